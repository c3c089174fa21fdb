// The enveloped XML signature of an edXML package (XML-DSig, exc-c14n): checked when present, and made with the agency's key through a Signer.
import { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml, type ErrorFirstCallback } from 'xml-crypto';
import { VanthuError } from '../../shared/errors.js';
import type { EdxmlSignatureCheck } from './types.js';

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export type XmlSignatureAlgorithm = 'rsa-sha256' | 'rsa-sha1';
const ALGORITHM_URI: Record<XmlSignatureAlgorithm, string> = {
  'rsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'rsa-sha1': 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
};
const DIGEST_URI: Record<XmlSignatureAlgorithm, string> = {
  'rsa-sha256': 'http://www.w3.org/2001/04/xmlenc#sha256',
  'rsa-sha1': 'http://www.w3.org/2000/09/xmldsig#sha1',
};

/** The agency's key as XML-DSig needs it: its certificate and a PKCS#1 v1.5 signature over data hashed with `hash`. */
export interface XmlSigningKey {
  certificateDer: Uint8Array;
  sign(data: Uint8Array, hash: 'SHA-1' | 'SHA-256'): Promise<Uint8Array>;
}

/** A DOM of text the own reader has already accepted (no DTD, bounded); xmldom's complaints become one message. */
function domOf(xml: string): { doc: Document; problem?: string } {
  const problems: string[] = [];
  const report = (message: string): void => void problems.push(message);
  const doc = new DOMParser({ errorHandler: { warning: () => undefined, error: report, fatalError: report } }).parseFromString(xml, 'application/xml') as unknown as Document;
  return { doc, problem: problems[0] };
}

function certificateNote(cert: X509Certificate, now: Date): string | undefined {
  if (new Date(cert.validTo) < now) return `expired ${cert.validTo} / hết hạn`;
  if (new Date(cert.validFrom) > now) return `not yet valid / chưa có hiệu lực`;
  if (cert.subject === cert.issuer && cert.verify(cert.publicKey)) return 'self-signed / tự ký';
  return undefined;
}

/**
 * The check of the package's enveloped signature, or undefined when it has none. The reference must be the whole
 * document (URI=""); the certificate is taken from KeyInfo and only described here (whether it chains to a trusted
 * CA is the trust layer's question). A placeholder or expired certificate is reported, never fatal.
 */
export function checkEnvelopedSignature(xml: string, now = new Date()): EdxmlSignatureCheck | undefined {
  if (!xml.includes(DSIG_NS)) return undefined;
  const { doc, problem } = domOf(xml);
  const signature = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0];
  if (!signature) return undefined;
  const algorithm = signature.getElementsByTagNameNS(DSIG_NS, 'SignatureMethod')[0]?.getAttribute('Algorithm') ?? undefined;
  if (problem) return { result: 'unchecked', algorithm, detail: `the package is not namespace-well-formed, so its signature cannot be checked: ${problem.slice(0, 200)}` };
  const certText = signature.getElementsByTagNameNS(DSIG_NS, 'X509Certificate')[0]?.textContent?.replace(/\s+/g, '') ?? '';
  let cert: X509Certificate | undefined;
  try {
    cert = certText ? new X509Certificate(Buffer.from(certText, 'base64')) : undefined;
  } catch {
    cert = undefined;
  }
  if (!cert) return { result: 'unchecked', algorithm, placeholderCertificate: true, detail: 'KeyInfo holds no readable X.509 certificate (a placeholder) / không có chứng thư đọc được' };
  const note = certificateNote(cert, now);
  const described = { algorithm, subject: cert.subject.replace(/\n/g, ', '), notAfter: new Date(cert.validTo).toISOString(), ...(note ? { placeholderCertificate: true } : {}) };
  const verifier = new SignedXml({ publicCert: cert.toString() });
  try {
    verifier.loadSignature(signature as unknown as Node);
    const wholeDocument = verifier.getReferences().every((r) => r.uri === '' || r.uri === undefined) && verifier.getReferences().length > 0;
    if (!wholeDocument) return { result: 'invalid', ...described, detail: 'the signature does not cover the whole package (Reference URI is not "") / chữ ký không phủ toàn bộ gói' };
    const ok = verifier.checkSignature(xml);
    return { result: ok ? 'valid' : 'invalid', ...described, ...(note ? { detail: `certificate ${note}` } : {}) };
  } catch (error) {
    return { result: 'invalid', ...described, detail: `${(error as Error).message.slice(0, 200)}${note ? `; certificate ${note}` : ''}` };
  }
}

/**
 * `xml` with an enveloped signature inserted after the element `afterLocalName` (the first of that name), signed by
 * `key`: Reference URI="" with the enveloped-signature and exc-c14n transforms, SignedInfo in exc-c14n, the
 * certificate in KeyInfo. The key is asked once, through the callback form xml-crypto offers for asynchronous signers.
 */
export async function signEnveloped(xml: string, key: XmlSigningKey, algorithm: XmlSignatureAlgorithm = 'rsa-sha256', afterLocalName = 'TraceHeaderList'): Promise<string> {
  const hash = algorithm === 'rsa-sha1' ? 'SHA-1' : 'SHA-256';
  const uri = ALGORITHM_URI[algorithm];
  const pem = new X509Certificate(Buffer.from(key.certificateDer)).toString();
  class KeySignature {
    getSignature(signedInfo: string, _privateKey: unknown, callback?: ErrorFirstCallback<string>): void {
      key.sign(new Uint8Array(Buffer.from(signedInfo, 'utf8')), hash).then(
        (bytes) => callback?.(null, Buffer.from(bytes).toString('base64')),
        (error: unknown) => callback?.(error instanceof Error ? error : new Error(String(error))),
      );
    }
    verifySignature(): boolean {
      throw new Error('signing only');
    }
    getAlgorithmName(): string {
      return uri;
    }
  }
  const signer = new SignedXml({ privateKey: 'on-the-token', publicCert: pem, signatureAlgorithm: uri, canonicalizationAlgorithm: EXC_C14N });
  (signer.SignatureAlgorithms as Record<string, unknown>)[uri] = KeySignature;
  signer.addReference({ xpath: '/*', transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: DIGEST_URI[algorithm], isEmptyUri: true });
  return new Promise((resolve, reject) => {
    signer.computeSignature(xml, { location: { reference: `//*[local-name()='${afterLocalName}']`, action: 'after' } }, (error, done) => {
      if (error || !done) reject(error instanceof VanthuError ? error : new VanthuError('EDXML_FIELD_INVALID', { field: 'Signature', detail: `could not sign the package: ${error?.message ?? 'no result'} / không ký được gói` }));
      else resolve(done.getSignedXml());
    });
  });
}

/**
 * A key made from a Signer of the token layer (RSA PKCS#1 v1.5): SHA-256 through `sign`; SHA-1 through `signRsaSha1`
 * when the signer has it (the PKCS#11 TokenSigner does), else TOKEN_MECHANISM_UNSUPPORTED.
 */
export function xmlKeyFromSigner(
  signer: { sign(data: Uint8Array, algorithm: { name: 'RSASSA-PKCS1-v1_5'; hash: 'SHA-256' }): Promise<Uint8Array>; signRsaSha1?: (data: Uint8Array) => Promise<Uint8Array> },
  certificateDer: Uint8Array,
): XmlSigningKey {
  return {
    certificateDer,
    sign: async (data, hash) => {
      if (hash === 'SHA-256') return signer.sign(data, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
      if (typeof signer.signRsaSha1 === 'function') return signer.signRsaSha1(data);
      throw new VanthuError('TOKEN_MECHANISM_UNSUPPORTED', { algorithm: 'RSASSA-PKCS1-v1_5 SHA-1' });
    },
  };
}
