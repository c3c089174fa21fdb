// OCSP (RFC 6960): builds a request for one certificate and judges a response: who signed it, for which certificate, how fresh.
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { copyBytes, equalBytes, integerHex } from './bytes.js';
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
  const nonce = new asn1js.OctetString({ valueHex: randomBytes(16) }).toBER();
  const certId = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.SHA1 }), new asn1js.Null()] }),
      new asn1js.OctetString({ valueHex: createHash('sha1').update(issuer.subjectDer).digest() }),
      new asn1js.OctetString({ valueHex: createHash('sha1').update(issuer.publicKeyBits).digest() }),
      new asn1js.Integer({ valueHex: cert.serial }),
    ],
  });
  const extensions = new asn1js.Sequence({
    value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.NONCE }), new asn1js.OctetString({ valueHex: nonce })] })],
  });
  const tbsRequest = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [certId] })] }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 2 }, value: [extensions] }),
    ],
  });
  return { der: new Uint8Array(new asn1js.Sequence({ value: [tbsRequest] }).toBER()), nonce: new Uint8Array(nonce) };
}

function matchesCertId(id: pkijs.CertID, cert: TrustCertificate, issuer: TrustCertificate): boolean {
  const hash = digestName(id.hashAlgorithm.algorithmId);
  if (!hash) return false;
  return (
    integerHex(id.serialNumber.valueBlock.valueHexView) === integerHex(cert.serial) &&
    equalBytes(id.issuerNameHash.valueBlock.valueHexView, createHash(hash).update(issuer.subjectDer).digest()) &&
    equalBytes(id.issuerKeyHash.valueBlock.valueHexView, createHash(hash).update(issuer.publicKeyBits).digest())
  );
}

/** The certificates a BasicOCSPResponse carries, as their original DER (re-encoding could change signed bytes). */
function embeddedCertificates(basicDer: Uint8Array): TrustCertificate[] {
  const parsed = asn1js.fromBER(basicDer).result;
  if (!(parsed instanceof asn1js.Sequence)) return [];
  const tagged = parsed.valueBlock.value.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0);
  const list = tagged instanceof asn1js.Constructed ? tagged.valueBlock.value[0] : undefined;
  if (!(list instanceof asn1js.Sequence)) return [];
  return list.valueBlock.value.flatMap((block) => {
    const read = tryReadCertificate(block.valueBeforeDecodeView);
    return 'cert' in read ? [read.cert] : [];
  });
}

type Status = { status: 'good' } | { status: 'revoked'; revokedAt: Date; reason: string | undefined } | { status: 'unknown' };

function statusOf(single: pkijs.SingleResponse): Status | undefined {
  const block: unknown = single.certStatus;
  if (!(block instanceof asn1js.BaseBlock) || block.idBlock.tagClass !== 3) return undefined;
  if (block.idBlock.tagNumber === 0) return { status: 'good' };
  if (block.idBlock.tagNumber === 2) return { status: 'unknown' };
  if (block.idBlock.tagNumber !== 1 || !(block instanceof asn1js.Constructed)) return undefined;
  const [time, reasonTag] = block.valueBlock.value;
  if (!(time instanceof asn1js.GeneralizedTime)) return undefined;
  let reason: string | undefined;
  if (reasonTag instanceof asn1js.Constructed && reasonTag.valueBlock.value[0] instanceof asn1js.Enumerated) {
    reason = reasonName(reasonTag.valueBlock.value[0].valueBlock.valueDec);
  }
  return { status: 'revoked', revokedAt: time.toDate(), reason };
}

/** Finds who signed the response and whether RFC 6960 4.2.2.2 lets them answer for `issuer`. */
function checkSigner(basic: pkijs.BasicOCSPResponse, basicDer: Uint8Array, issuer: TrustCertificate, source: EvidenceSource): Verdict | undefined {
  const data = basic.tbsResponseData.tbsView;
  const signature = basic.signature.valueBlock.valueHexView;
  if (verifySignature(basic.signatureAlgorithm, data, signature, issuer.publicKey)) return undefined;
  const producedAt = basic.tbsResponseData.producedAt;
  for (const responder of embeddedCertificates(basicDer)) {
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
  let basic: pkijs.BasicOCSPResponse;
  let basicDer: Uint8Array;
  try {
    const response = pkijs.OCSPResponse.fromBER(copyBytes(der));
    const status = response.responseStatus.valueBlock.valueDec;
    if (status !== 0) return { kind: 'unusable', problem: problem('TRUST_OCSP_REJECTED', { ...source, status: STATUS_NAMES[status] ?? String(status) }) };
    if (!response.responseBytes || response.responseBytes.responseType !== OID.BASIC) return bad('not a basic OCSP response');
    basicDer = copyBytes(response.responseBytes.response.valueBlock.valueHexView);
    basic = pkijs.BasicOCSPResponse.fromBER(copyBytes(basicDer));
  } catch (error) {
    return bad(error instanceof Error ? error.message : String(error));
  }
  const single = basic.tbsResponseData.responses.find((r) => matchesCertId(r.certID, cert, issuer));
  if (!single) return { kind: 'unrelated' };

  const refused = checkSigner(basic, basicDer, issuer, source);
  if (refused) return refused;
  if (nonce) {
    const echoed = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === OID.NONCE);
    // RFC 5019 responders may leave the nonce out; one that echoes a different nonce answers someone else.
    if (echoed && !equalBytes(echoed.extnValue.valueBlock.valueHexView, nonce)) {
      return { kind: 'unusable', problem: problem('TRUST_OCSP_NONCE_MISMATCH', source) };
    }
  }
  const status = statusOf(single);
  if (!status) return bad('unreadable certStatus');
  const producedAt = basic.tbsResponseData.producedAt;
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
