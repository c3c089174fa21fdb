// Reads an RFC 3161 TimeStampResp and accepts its token only if it answers our request and its signature verifies.
import { createHash } from 'node:crypto';
import { VanthuError } from '../../shared/errors.js';
import { certificateId, signerIdentifierMatches } from './certificate-id.js';
import { DerError, TAG, bytesEqual, expectTag, readChildren, readOid, readSmallInteger, readWhole, toHex, type DerElement } from './der.js';
import { HASHES } from './algorithms.js';
import { OID } from './oids.js';
import { findAttribute, readSignedData, signedAttributesToVerify } from './signed-data-reader.js';
import { digestNameOf, signatureVerifies } from './signature-check.js';
import { parseSigningCertificateV2 } from './signing-certificate-v2.js';
import type { TimestampRequest } from './timestamp-request.js';

export interface Timestamp {
  /** The TimeStampToken (a CMS ContentInfo), DER, ready to embed. */
  token: Uint8Array;
  genTime: Date;
  /** TSTInfo serialNumber as hex. */
  serialNumber: string;
  policy: string;
  /** The TSA certificate that signed the token (DER); trusting it is the validator's job. */
  tsaCertificate: Uint8Array;
}

export interface TstInfo {
  policy: string;
  hashOid: string;
  hashedMessage: Uint8Array;
  serialNumber: string;
  genTime: Date;
  nonce: Uint8Array | undefined;
}

/** PKIFailureInfo bit names (RFC 3161 2.4.2). */
const FAILURE_BITS: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

const STATUS_NAMES = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];

function failureNames(bitString: DerElement): string[] {
  const [, ...bits] = bitString.content;
  const names: string[] = [];
  bits.forEach((byte, index) => {
    for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) names.push(FAILURE_BITS[index * 8 + bit] ?? `bit ${index * 8 + bit}`);
  });
  return names;
}

/** GeneralizedTime YYYYMMDDHHMMSS[.fff]Z as RFC 3161 requires it. */
function readGeneralizedTime(element: DerElement | undefined): Date {
  const text = Buffer.from(expectTag(element, TAG.GENERALIZED_TIME, 'genTime').content).toString('latin1');
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?Z$/.exec(text);
  if (!match) throw new DerError(`genTime "${text}" is not a UTC GeneralizedTime`);
  const [, year, month, day, hour, minute, second, fraction] = match;
  const millis = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  return new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), millis));
}

export function readTstInfo(der: Uint8Array): TstInfo {
  const fields = readChildren(expectTag(readWhole(der), TAG.SEQUENCE, 'TSTInfo'));
  const [version, policy, messageImprint, serialNumber, genTime, ...optional] = fields;
  if (readSmallInteger(expectTag(version, TAG.INTEGER, 'TSTInfo version')) !== 1) throw new DerError('TSTInfo version is not 1');
  const [hashAlgorithm, hashedMessage] = readChildren(expectTag(messageImprint, TAG.SEQUENCE, 'messageImprint'));
  const nonce = optional.find((field) => field.tag === TAG.INTEGER);
  return {
    policy: readOid(policy, 'policy'),
    hashOid: readOid(readChildren(expectTag(hashAlgorithm, TAG.SEQUENCE, 'hashAlgorithm'))[0]),
    hashedMessage: expectTag(hashedMessage, TAG.OCTET_STRING, 'hashedMessage').content,
    serialNumber: toHex(expectTag(serialNumber, TAG.INTEGER, 'serialNumber').content),
    genTime: readGeneralizedTime(genTime),
    nonce: nonce?.content,
  };
}

/** Strips the sign-padding zero byte so INTEGER magnitudes compare by value. */
const magnitude = (bytes: Uint8Array): Uint8Array => (bytes.length > 1 && bytes[0] === 0 ? bytes.subarray(1) : bytes);

/** Verifies the token's own CMS signature with the TSA certificate it carries. */
export function checkTokenSignature(token: Uint8Array, url: string): { tstInfo: Uint8Array; tsaCertificate: Uint8Array } {
  const invalid = (detail: string) => new VanthuError('TSA_SIGNATURE_INVALID', { url, detail });
  const parts = readSignedData(token);
  if (parts.eContentType !== OID.tstInfo || !parts.eContent) throw new DerError('the token does not hold a TSTInfo');
  const [signerInfo, ...others] = parts.signerInfos;
  if (!signerInfo || others.length > 0) throw new DerError(`the token has ${parts.signerInfos.length} signers, not 1`);
  const tsaCertificate = parts.certificates.find((der) => signerIdentifierMatches(signerInfo.sid, certificateId(der)));
  if (!tsaCertificate) throw new DerError('the token does not carry the TSA certificate');

  const digestName = digestNameOf(signerInfo.digestAlgorithm);
  if (!digestName) throw new DerError('the token uses an unsupported digest algorithm');
  const messageDigest = findAttribute(signerInfo.signedAttributes, OID.messageDigest)?.values[0];
  const expected = createHash(digestName).update(parts.eContent).digest();
  if (!messageDigest || !bytesEqual(expectTag(messageDigest, TAG.OCTET_STRING, 'messageDigest').content, expected)) {
    throw invalid('messageDigest does not match the TSTInfo');
  }
  const essCertId = findAttribute(signerInfo.signedAttributes, OID.signingCertificateV2)?.values[0];
  if (essCertId) {
    const [first] = parseSigningCertificateV2(essCertId);
    if (first?.hash && !bytesEqual(first.certHash, createHash(first.hash).update(tsaCertificate).digest())) {
      throw invalid('signing-certificate-v2 does not name the certificate that signed');
    }
  }
  const verifies = signatureVerifies({
    certificate: tsaCertificate,
    signatureAlgorithm: signerInfo.signatureAlgorithm,
    digestAlgorithm: signerInfo.digestAlgorithm,
    data: signedAttributesToVerify(signerInfo),
    signature: signerInfo.signature,
  });
  if (!verifies) throw invalid('the signature does not verify with the TSA certificate');
  return { tstInfo: parts.eContent, tsaCertificate };
}

/**
 * Accepts a TimeStampResp for `request`: status granted (or with mods), the same nonce and
 * message imprint, and a token signature that verifies. Throws the TSA_* errors otherwise.
 */
export function acceptTimestampResponse(response: Uint8Array, request: TimestampRequest, url: string): Timestamp {
  let token: Uint8Array;
  let status: number;
  let statusText: string | undefined;
  try {
    const [statusInfo, tokenElement] = readChildren(expectTag(readWhole(response), TAG.SEQUENCE, 'TimeStampResp'));
    const [statusField, ...details] = readChildren(expectTag(statusInfo, TAG.SEQUENCE, 'PKIStatusInfo'));
    status = readSmallInteger(expectTag(statusField, TAG.INTEGER, 'status'));
    const freeText = details.find((field) => field.tag === TAG.SEQUENCE);
    const failInfo = details.find((field) => field.tag === TAG.BIT_STRING);
    const texts = freeText ? readChildren(freeText).map((text) => Buffer.from(text.content).toString('utf8')) : [];
    const failures = failInfo ? failureNames(failInfo) : [];
    statusText = [...texts, ...failures].join('; ') || undefined;
    if (status > 1) throw new VanthuError('TSA_REJECTED', { url, status: STATUS_NAMES[status] ?? String(status), statusText });
    token = expectTag(tokenElement, TAG.SEQUENCE, 'timeStampToken').bytes;
  } catch (error) {
    if (error instanceof VanthuError) throw error;
    throw new VanthuError('TSA_BAD_RESPONSE', { url, detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }

  try {
    const { tstInfo: tstInfoDer, tsaCertificate } = checkTokenSignature(Uint8Array.from(token), url);
    const tstInfo = readTstInfo(tstInfoDer);
    if (!request.nonce || !tstInfo.nonce || !bytesEqual(magnitude(tstInfo.nonce), magnitude(request.nonce))) {
      throw new VanthuError('TSA_NONCE_MISMATCH', { url });
    }
    if (tstInfo.hashOid !== HASHES[request.hash].oid || !bytesEqual(tstInfo.hashedMessage, request.digest)) {
      throw new VanthuError('TSA_IMPRINT_MISMATCH', { url });
    }
    return {
      token: Uint8Array.from(token),
      genTime: tstInfo.genTime,
      serialNumber: tstInfo.serialNumber,
      policy: tstInfo.policy,
      tsaCertificate: Uint8Array.from(tsaCertificate),
    };
  } catch (error) {
    // A certificate in the token that cannot be read is the TSA's fault, not the user's.
    if (error instanceof VanthuError && error.code !== 'CERT_PARSE_FAILED') throw error;
    throw new VanthuError('TSA_BAD_RESPONSE', { url, detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
}

/** The TSTInfo of a stored TimeStampToken (no checks: for showing the time of an embedded token). */
export function readTimestampTokenInfo(token: Uint8Array): TstInfo {
  const parts = readSignedData(token);
  if (parts.eContentType !== OID.tstInfo || !parts.eContent) throw new DerError('the token does not hold a TSTInfo');
  return readTstInfo(parts.eContent);
}
