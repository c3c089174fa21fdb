// OCSP (RFC 6960): builds a request for one certificate and judges a response: who signed it, for which certificate, how fresh.
import { createHash, randomBytes } from 'node:crypto';
import { TAG, contextTag, derNull, encode, octetString, oid, sequence } from '../cms/der.js';
import { derKey, remember } from '../x509/parse-cache.js';
import { equalBytes, integerHex } from './bytes.js';
import { readOcspResponse, type BasicOcspResponse, type OcspResponse, type OcspSingleResponse } from './ocsp-response.js';
import { signatureVerifies, tryReadCertificate, type TrustCertificate } from './certificate.js';
import { dateText, problem, type EvidenceSource } from './problems.js';
import { coversTime, reasonName, type Verdict } from './revocation-reasons.js';
import { digestName, verifySignature } from './signature.js';

const OID = {
  SHA1: '1.3.14.3.2.26',
  BASIC: '1.3.6.1.5.5.7.48.1.1',
  NONCE: '1.3.6.1.5.5.7.48.1.2',
  OCSP_SIGNING: 'OCSPSigning',
} as const;
const STATUS_NAMES = ['successful', 'malformedRequest', 'internalError', 'tryLater', '(4)', 'sigRequired', 'unauthorized'];

export interface OcspRequest {
  der: Uint8Array;
  /** The nonce extension's extnValue as sent, to compare with the echo. */
  nonce: Uint8Array;
}

/** A request with a SHA-1 CertID (the one every responder supports, RFC 5019) and a random nonce. */
export function buildOcspRequest(cert: TrustCertificate, issuer: TrustCertificate): OcspRequest {
  const nonce = octetString(randomBytes(16));
  const certId = sequence(
    sequence(oid(OID.SHA1), derNull()),
    octetString(createHash('sha1').update(issuer.subjectDer).digest()),
    octetString(createHash('sha1').update(issuer.publicKeyBits).digest()),
    encode(TAG.INTEGER, cert.serial),
  );
  const extensions = sequence(sequence(oid(OID.NONCE), octetString(nonce)));
  // TBSRequest { requestList SEQUENCE OF Request { reqCert }, [2] EXPLICIT requestExtensions }.
  const tbsRequest = sequence(sequence(sequence(certId)), encode(contextTag(2), extensions));
  return { der: sequence(tbsRequest), nonce };
}

function matchesCertId(id: OcspSingleResponse, cert: TrustCertificate, issuer: TrustCertificate): boolean {
  const hash = digestName(id.hashOid);
  if (!hash) return false;
  return (
    integerHex(id.serial) === integerHex(cert.serial) &&
    equalBytes(id.issuerNameHash, createHash(hash).update(issuer.subjectDer).digest()) &&
    equalBytes(id.issuerKeyHash, createHash(hash).update(issuer.publicKeyBits).digest())
  );
}

/** The certificates a BasicOCSPResponse carries that can be read, from their original DER (re-encoding could change signed bytes). */
const embeddedCertificates = (basic: BasicOcspResponse): TrustCertificate[] =>
  basic.certificates.flatMap((der) => {
    const read = tryReadCertificate(der);
    return 'cert' in read ? [read.cert] : [];
  });

type Status = { status: 'good' } | { status: 'revoked'; revokedAt: Date; reason: string | undefined } | { status: 'unknown' };

function statusOf(single: OcspSingleResponse): Status | undefined {
  const status = single.certStatus;
  if (status?.status !== 'revoked') return status;
  return { status: 'revoked', revokedAt: status.revokedAt, reason: status.reason === undefined ? undefined : reasonName(status.reason) };
}

/** Finds who signed the response and whether RFC 6960 4.2.2.2 lets them answer for `issuer`. */
function checkSigner(basic: BasicOcspResponse, issuer: TrustCertificate, source: EvidenceSource): Verdict | undefined {
  const { tbs: data, signature, producedAt } = basic;
  if (verifySignature(basic.signatureAlgorithm, data, signature, issuer.publicKey)) return undefined;
  for (const responder of embeddedCertificates(basic)) {
    if (!verifySignature(basic.signatureAlgorithm, data, signature, responder.publicKey)) continue;
    const issuedByIssuer = equalBytes(responder.issuerDer, issuer.subjectDer) && signatureVerifies(responder, issuer);
    const refuse = (detail: string): Verdict => ({ kind: 'unusable', problem: problem('TRUST_OCSP_RESPONDER_NOT_AUTHORIZED', { ...source, detail }) });
    if (!issuedByIssuer) return refuse(`"${responder.name}" was not issued by "${issuer.name}"`);
    if (!responder.extendedKeyUsage?.includes(OID.OCSP_SIGNING)) return refuse(`"${responder.name}" lacks the OCSPSigning extended key usage`);
    if (producedAt < responder.notBefore || producedAt > responder.notAfter) return refuse(`"${responder.name}" was not valid at ${dateText(producedAt)}`);
    return undefined;
  }
  return { kind: 'unusable', problem: problem('TRUST_OCSP_SIGNATURE_INVALID', source) };
}

/** The response read once per verification, or why it cannot be read. */
function parseOcspResponse(der: Uint8Array): OcspResponse | { error: string } {
  try {
    return readOcspResponse(der);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * What an OCSP response (DER OCSPResponse) says about `cert` at `at`. 'unrelated' when it is about other
 * certificates (a PDF's DSS holds many); `nonce` is given for responses we asked for ourselves.
 */
export function judgeOcspResponse(
  der: Uint8Array,
  cert: TrustCertificate,
  issuer: TrustCertificate,
  at: Date,
  source: EvidenceSource,
  nonce?: Uint8Array,
): Verdict {
  const bad = (detail: string): Verdict => ({ kind: 'unusable', problem: problem('TRUST_OCSP_BAD_RESPONSE', { ...source, detail }) });
  const key = derKey('ocsp-response', der);
  const parsed = remember(key, () => parseOcspResponse(der));
  if ('status' in parsed) return { kind: 'unusable', problem: problem('TRUST_OCSP_REJECTED', { ...source, status: STATUS_NAMES[parsed.status] ?? String(parsed.status) }) };
  if ('error' in parsed) return bad(parsed.error);
  const { basic } = parsed;
  const single = basic.responses.find((r) => matchesCertId(r, cert, issuer));
  if (!single) return { kind: 'unrelated' };

  // One signature check per response and issuer, however many certificates, signatures and documents ask: it depends
  // only on the response's and the certificates' bytes (the responder's validity at the response's producedAt), so an
  // accepted signer is kept across verifications; a refusal (its message names the source) only within one.
  const refused = remember(`${key}:signer:${issuer.fingerprint}:${JSON.stringify(source)}`, () => checkSigner(basic, issuer, source), (verdict) => verdict === undefined);
  if (refused) return refused;
  if (nonce) {
    // RFC 5019 responders may leave the nonce out; one that echoes a different nonce answers someone else.
    if (basic.nonce && !equalBytes(basic.nonce, nonce)) {
      return { kind: 'unusable', problem: problem('TRUST_OCSP_NONCE_MISMATCH', source) };
    }
  }
  const status = statusOf(single);
  if (!status) return bad('unreadable certStatus');
  const { producedAt } = basic;
  if (status.status === 'unknown') return { kind: 'unusable', problem: problem('TRUST_OCSP_CERT_UNKNOWN', { ...source, subject: cert.name }) };
  // Revocation is final, so a revocation before `at` stands however old the answer is.
  if (status.status === 'revoked' && status.revokedAt <= at) {
    return { kind: 'status', status: 'revoked', revokedAt: status.revokedAt, reason: status.reason, producedAt };
  }
  if (!coversTime(single.thisUpdate, single.nextUpdate, at)) {
    return {
      kind: 'unusable',
      problem: problem('TRUST_OCSP_STALE', { ...source, thisUpdate: dateText(single.thisUpdate), nextUpdate: single.nextUpdate ? dateText(single.nextUpdate) : '-' }),
    };
  }
  return status.status === 'revoked'
    ? { kind: 'status', status: 'good', revokedAt: status.revokedAt, reason: status.reason, producedAt }
    : { kind: 'status', status: 'good', producedAt };
}
