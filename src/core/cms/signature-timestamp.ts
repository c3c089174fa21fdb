// PAdES B-T: timestamps a SignerInfo's signature value and adds the token as an unsigned attribute, keeping all other bytes.
import { VanthuError } from '../../shared/errors.js';
import type { HashAlgorithm } from '../../shared/token.js';
import { HASHES, hashBytes } from './algorithms.js';
import { DerError, TAG, bytesEqual, contextTag, encode, sequence, sortSetMembers } from './der.js';
import { OID } from './oids.js';
import { attribute } from './signed-attributes.js';
import { readSignedData, type SignedDataParts, type SignerInfoParts } from './signed-data-reader.js';
import { readTimestampTokenInfo, type Timestamp } from './timestamp-response.js';
import { requestTimestamp, type TsaOptions } from './tsa-client.js';

function readCms(cms: Uint8Array): SignedDataParts {
  try {
    return readSignedData(cms);
  } catch (error) {
    if (!(error instanceof DerError)) throw error;
    throw new VanthuError('CMS_INVALID', { detail: error.message }, { cause: error });
  }
}

function signerAt(parts: SignedDataParts, index: number): SignerInfoParts {
  const signerInfo = parts.signerInfos[index];
  if (!signerInfo) throw new VanthuError('CMS_INVALID', { detail: `no SignerInfo number ${index + 1}` });
  return signerInfo;
}

/** The signature value of a SignerInfo: what a signature timestamp covers. */
export function signatureValueOf(cms: Uint8Array, signerIndex = 0): Uint8Array {
  return Uint8Array.from(signerAt(readCms(cms), signerIndex).signature);
}

/**
 * Adds `attributeDer` (an Attribute TLV) to the unsigned attributes of one SignerInfo and
 * re-encodes the CMS. Everything else (signed attributes, certificates, other signers) keeps
 * its exact bytes, so the existing signature stays valid.
 */
export function addUnsignedAttribute(cms: Uint8Array, attributeDer: Uint8Array, signerIndex = 0): Uint8Array {
  const parts = readCms(cms);
  const signerInfo = signerAt(parts, signerIndex);
  const existing = signerInfo.unsignedAttributes.map((unsigned) => unsigned.element.bytes);
  // Unsigned attributes are outside the signature, so putting them in DER order is safe.
  const unsignedAttrs = encode(contextTag(1), ...sortSetMembers([...existing, attributeDer]));
  const kept = signerInfo.fields.filter((field) => field !== signerInfo.unsignedAttrs).map((field) => field.bytes);
  const newSignerInfo = sequence(...kept, unsignedAttrs);

  const signerInfos = parts.signerInfos.map((other, i) => (i === signerIndex ? newSignerInfo : other.element.bytes));
  const signedDataFields = parts.fields.map((field) => (field === parts.signerInfosField ? encode(TAG.SET, ...signerInfos) : field.bytes));
  return sequence(parts.contentType.bytes, encode(contextTag(0), sequence(...signedDataFields)));
}

/** Throws unless the token's message imprint is the hash of `signatureValue`: a token for another signature proves nothing. */
function assertTokenCovers(timestampToken: Uint8Array, signatureValue: Uint8Array): void {
  let imprint: { hashOid: string; hashedMessage: Uint8Array };
  try {
    imprint = readTimestampTokenInfo(timestampToken);
  } catch (error) {
    if (!(error instanceof DerError)) throw error;
    throw new VanthuError('BAD_INPUT', { detail: `not a timestamp token: ${error.message}` }, { cause: error });
  }
  const hash = (Object.keys(HASHES) as HashAlgorithm[]).find((name) => HASHES[name].oid === imprint.hashOid);
  if (!hash || !bytesEqual(hashBytes(hash, signatureValue), imprint.hashedMessage)) {
    throw new VanthuError('BAD_INPUT', { detail: 'the timestamp token was not made for this signature / dấu thời gian không được cấp cho chữ ký này' });
  }
}

/**
 * Adds a TimeStampToken over the signature value as id-aa-signatureTimeStampToken (PAdES B-T).
 * The token must already be checked (requestTimestamp does); here only its imprint is matched.
 */
export function addSignatureTimestamp(cms: Uint8Array, timestampToken: Uint8Array, signerIndex = 0): Uint8Array {
  assertTokenCovers(timestampToken, signatureValueOf(cms, signerIndex));
  return addUnsignedAttribute(cms, attribute(OID.signatureTimeStampToken, timestampToken), signerIndex);
}

/**
 * Asks the TSA for a timestamp over the hash of the signature value and adds it: B-B in, B-T out.
 * Throws the TSA_* errors when the TSA is down, slow, or answers wrongly; the CMS is then unchanged.
 */
export async function timestampSignature(
  cms: Uint8Array,
  tsa: TsaOptions & { hash?: HashAlgorithm; signerIndex?: number },
): Promise<{ cms: Uint8Array; timestamp: Timestamp }> {
  const hash = tsa.hash ?? 'SHA-256';
  const signerIndex = tsa.signerIndex ?? 0;
  const digest = hashBytes(hash, signatureValueOf(cms, signerIndex));
  const timestamp = await requestTimestamp(digest, hash, tsa);
  return { cms: addSignatureTimestamp(cms, timestamp.token, signerIndex), timestamp };
}
