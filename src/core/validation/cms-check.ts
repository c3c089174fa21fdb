// Checks the CMS inside a PDF signature: digest of the signed bytes, signature value, signer binding, and its timestamp.
import { createHash } from 'node:crypto';
// The readers themselves, not the cms barrel: it also holds the TSA client, whose node:http a verification never needs.
import { OID } from '../cms/oids.js';
import { findAttribute, readSignedData, signedAttributesToVerify } from '../cms/signed-data-reader.js';
import { parseSigningCertificateV2 } from '../cms/signing-certificate-v2.js';
import { checkTokenSignature, readTstInfo } from '../cms/timestamp-response.js';
import { certificateId, signerIdentifierMatches } from '../cms/certificate-id.js';
import { berToDer } from '../cms/ber.js';
import { TAG, bytesEqual, expectTag, readElement } from '../cms/der.js';
import { UnsupportedAlgorithmError, digestNameOf, signatureVerifies } from '../cms/signature-check.js';

export interface TimestampCheck {
  valid: boolean;
  problem: string | undefined;
  time: Date | undefined;
  tsaCertificate: Uint8Array | undefined;
  /** Certificates the token carries (for building the TSA's chain). */
  certificates: Uint8Array[];
}

export interface CmsCheck {
  readable: boolean;
  problem: string | undefined;
  signerCertificate: Uint8Array | undefined;
  certificates: Uint8Array[];
  digestMatches: boolean;
  signatureValid: boolean;
  certificateBound: boolean | undefined;
  /** A CAdES signingTime attribute, which PAdES baseline forbids but older tools write. */
  signingTimeAttribute: boolean;
  /** Set when the digest or signature algorithm (or the key) is not implemented here: the value could not be checked. */
  algorithmUnsupported: string | undefined;
  /** The SignedData carries encapsulated content (wrong for a detached PAdES signature). */
  encapsulatedContent: boolean;
  /** Node's name of the digest used, e.g. 'sha1' for legacy signatures. */
  digestName: string | undefined;
  timestamp: TimestampCheck | undefined;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The CMS inside the /Contents placeholder as DER, without its zero padding (BER from other signers converted). */
export function trimPadding(contents: Uint8Array): Uint8Array {
  try {
    return readElement(contents).bytes;
  } catch {
    return berToDer(contents);
  }
}

/** The digest of bytes given whole or in parts (a signature's two byte ranges, hashed where they lie in the file). */
function digestOf(algorithm: string, bytes: Uint8Array | readonly Uint8Array[]): Buffer {
  const hash = createHash(algorithm);
  for (const part of bytes instanceof Uint8Array ? [bytes] : bytes) hash.update(part);
  return hash.digest();
}

/** Checks an RFC 3161 token: its own signature, and that it stamps exactly `stamped` hashed with its algorithm. */
export function checkTimestampToken(token: Uint8Array, stamped: Uint8Array | readonly Uint8Array[]): TimestampCheck {
  try {
    const { tstInfo, tsaCertificate } = checkTokenSignature(token, 'embedded timestamp');
    const info = readTstInfo(tstInfo);
    const hashName = Object.entries({ sha256: OID.sha256, sha384: OID.sha384, sha512: OID.sha512, sha224: OID.sha224, sha1: OID.sha1 }).find(([, oid]) => oid === info.hashOid)?.[0];
    const certificates = readSignedData(token).certificates;
    if (!hashName) return { valid: false, problem: `unsupported imprint hash ${info.hashOid}`, time: info.genTime, tsaCertificate, certificates };
    const matches = bytesEqual(info.hashedMessage, digestOf(hashName, stamped));
    return { valid: matches, problem: matches ? undefined : 'it stamps other data', time: info.genTime, tsaCertificate, certificates };
  } catch (error) {
    return { valid: false, problem: message(error), time: undefined, tsaCertificate: undefined, certificates: [] };
  }
}

/** What a CMS that could not be read proves: nothing. */
const unreadable = (problem: string | undefined): CmsCheck => ({
  readable: false,
  problem,
  signerCertificate: undefined,
  certificates: [],
  digestMatches: false,
  signatureValid: false,
  certificateBound: undefined,
  signingTimeAttribute: false,
  algorithmUnsupported: undefined,
  encapsulatedContent: false,
  digestName: undefined,
  timestamp: undefined,
});

export function checkCms(contents: Uint8Array, signedBytes: Uint8Array | readonly Uint8Array[]): CmsCheck {
  const base = unreadable(undefined);
  let parts;
  try {
    parts = readSignedData(trimPadding(contents));
  } catch (error) {
    return unreadable(message(error));
  }
  const [signerInfo] = parts.signerInfos;
  if (!signerInfo || parts.signerInfos.length !== 1) return { ...base, problem: `${parts.signerInfos.length} signers instead of 1` };
  const signerCertificate = parts.certificates.find((der) => {
    try {
      return signerIdentifierMatches(signerInfo.sid, certificateId(der));
    } catch {
      return false;
    }
  });
  const result: CmsCheck = { ...base, readable: true, certificates: parts.certificates, signerCertificate, encapsulatedContent: parts.eContent !== undefined };
  if (!signerCertificate) return { ...result, problem: 'the signer certificate is not in the signature' };

  let digestName: string | undefined;
  try {
    digestName = digestNameOf(signerInfo.digestAlgorithm);
  } catch (error) {
    return { ...result, readable: false, problem: message(error) };
  }
  if (!digestName) return { ...result, algorithmUnsupported: 'unsupported digest algorithm', problem: 'unsupported digest algorithm' };
  result.digestName = digestName;
  const messageDigest = findAttribute(signerInfo.signedAttributes, OID.messageDigest)?.values[0];
  if (!messageDigest) return { ...result, readable: false, problem: 'no messageDigest attribute' };
  try {
    result.digestMatches = bytesEqual(expectTag(messageDigest, TAG.OCTET_STRING, 'messageDigest').content, digestOf(digestName, signedBytes));
    result.signatureValid = signatureVerifies({
      certificate: signerCertificate,
      signatureAlgorithm: signerInfo.signatureAlgorithm,
      digestAlgorithm: signerInfo.digestAlgorithm,
      data: signedAttributesToVerify(signerInfo),
      signature: signerInfo.signature,
    });
  } catch (error) {
    if (error instanceof UnsupportedAlgorithmError) result.algorithmUnsupported = error.message;
    else result.readable = false;
    result.problem = message(error);
  }
  const essCertificate = findAttribute(signerInfo.signedAttributes, OID.signingCertificateV2)?.values[0];
  if (essCertificate) {
    try {
      const [first] = parseSigningCertificateV2(essCertificate);
      result.certificateBound = !!first?.hash && bytesEqual(first.certHash, createHash(first.hash).update(signerCertificate).digest());
    } catch {
      result.certificateBound = false;
    }
  }
  result.signingTimeAttribute = findAttribute(signerInfo.signedAttributes, OID.signingTime) !== undefined;
  const token = findAttribute(signerInfo.unsignedAttributes, OID.signatureTimeStampToken)?.values[0];
  if (token) result.timestamp = checkTimestampToken(token.bytes, signerInfo.signature);
  return result;
}

/** checkCms that never throws: anything unexpected in a damaged CMS is an unreadable signature. */
export function checkCmsSafely(contents: Uint8Array, signedBytes: Uint8Array | readonly Uint8Array[]): CmsCheck {
  try {
    return checkCms(contents, signedBytes);
  } catch (error) {
    return unreadable(message(error));
  }
}
