// Enveloped XML-DSig over a whole document (exc-c14n, URI=""): made with a token key, checked with the certificate in KeyInfo.
import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { VanthuError } from '../../shared/errors.js';

// xml-crypto's and xmldom's typings pull the DOM lib into the Node project (where Node's own types must stay
// alone): both are loaded untyped and typed here by the little this module uses.
export interface XmlElement {
  getElementsByTagNameNS(namespace: string, name: string): ArrayLike<XmlElement>;
  getAttribute(name: string): string | null;
  textContent: string | null;
}
export interface XmlDocument {
  documentElement: XmlElement | null;
  getElementsByTagNameNS(namespace: string, name: string): ArrayLike<XmlElement>;
}
type ErrorFirstCallback<T> = (error: Error | null, value?: T) => void;
type SignatureLocation = { reference: string; action: 'append' | 'after' };
interface SignedXmlInstance {
  SignatureAlgorithms: Record<string, unknown>;
  addReference(options: { xpath: string; transforms: string[]; digestAlgorithm: string; isEmptyUri?: boolean }): void;
  computeSignature(xml: string, options: { location: SignatureLocation }, callback: ErrorFirstCallback<SignedXmlInstance>): void;
  getSignedXml(): string;
  loadSignature(node: XmlElement): void;
  getReferences(): { uri?: string }[];
  checkSignature(xml: string): boolean;
}
const load = createRequire(import.meta.url);
const { SignedXml } = load('xml-crypto') as { SignedXml: new (options: Record<string, unknown>) => SignedXmlInstance };
type ParserErrorHandler = Record<'warning' | 'error' | 'fatalError', (message: string) => void>;
const { DOMParser } = load('@xmldom/xmldom') as {
  DOMParser: new (options: { errorHandler: ParserErrorHandler }) => { parseFromString(xml: string, type: string): XmlDocument };
};

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export type XmlSignatureAlgorithm = 'rsa-sha256' | 'rsa-sha1';
const ALGORITHMS: Record<XmlSignatureAlgorithm, { signature: string; digest: string; hash: 'SHA-1' | 'SHA-256' }> = {
  'rsa-sha256': { signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256', hash: 'SHA-256' },
  'rsa-sha1': { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1', hash: 'SHA-1' },
};

/** The signer's key as XML-DSig needs it: its certificate and a PKCS#1 v1.5 signature over data hashed with `hash`. */
export interface XmlSigningKey {
  certificateDer: Uint8Array;
  sign(data: Uint8Array, hash: 'SHA-1' | 'SHA-256'): Promise<Uint8Array>;
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

/** The DOM of `xml` and the parser's first complaint (error or fatal error), if it had any. */
export function readXml(xml: string): { document: XmlDocument; problem?: string } {
  const problems: string[] = [];
  const report = (message: string): void => void problems.push(message);
  const document = new DOMParser({ errorHandler: { warning: () => undefined, error: report, fatalError: report } }).parseFromString(xml, 'application/xml');
  const problem = problems[0] ?? (document.documentElement ? undefined : 'no root element');
  return problem === undefined ? { document } : { document, problem };
}

/** Where the signature goes: after the first element of that local name, or as the root's last child. */
export type SignaturePlacement = { after: string } | 'append-to-root';

/**
 * `xml` with an enveloped signature made by `key`: Reference URI="" with the enveloped-signature and exc-c14n
 * transforms, SignedInfo in exc-c14n, the certificate in KeyInfo. The key is asked once, through the callback form
 * xml-crypto offers for asynchronous signers. Errors of the key or of xml-crypto are passed on as they are.
 */
export async function signEnvelopedXml(xml: string, key: XmlSigningKey, algorithm: XmlSignatureAlgorithm, placement: SignaturePlacement): Promise<string> {
  const { signature: uri, digest, hash } = ALGORITHMS[algorithm];
  class KeySignature {
    getSignature(signedInfo: string | Buffer, _privateKey: unknown, callback?: ErrorFirstCallback<string>): void {
      key.sign(new Uint8Array(Buffer.from(signedInfo)), hash).then(
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
  const publicCert = new X509Certificate(Buffer.from(key.certificateDer)).toString();
  // privateKey is a placeholder: xml-crypto wants one; the key's algorithm above never reads it.
  const signer = new SignedXml({ privateKey: 'on-the-token', publicCert, signatureAlgorithm: uri, canonicalizationAlgorithm: EXC_C14N });
  signer.SignatureAlgorithms[uri] = KeySignature;
  // URI="": the whole document, without adding an Id attribute to its root element.
  signer.addReference({ xpath: '/*', transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: digest, isEmptyUri: true });
  const location: SignatureLocation = placement === 'append-to-root' ? { reference: '/*', action: 'append' } : { reference: `//*[local-name()='${placement.after}']`, action: 'after' };
  return new Promise((resolve, reject) => {
    signer.computeSignature(xml, { location }, (error, done) => {
      if (error || !done) reject(error ?? new Error('xml-crypto gave no signed document'));
      else resolve(done.getSignedXml());
    });
  });
}

/** The certificate KeyInfo carries, described (whether it chains to a trusted CA is the trust layer's question). */
export interface KeyInfoCertificate {
  subject: string;
  notAfter: string;
  /** Why it looks like a placeholder rather than an agency's certificate (expired, not yet valid, self-signed), in English and Vietnamese. */
  placeholderNote?: string;
}

function describeCertificate(cert: X509Certificate, now: Date): KeyInfoCertificate {
  const described = { subject: cert.subject.replace(/\n/g, ', '), notAfter: new Date(cert.validTo).toISOString() };
  if (new Date(cert.validTo) < now) return { ...described, placeholderNote: `expired ${cert.validTo} / hết hạn` };
  if (new Date(cert.validFrom) > now) return { ...described, placeholderNote: 'not yet valid / chưa có hiệu lực' };
  if (cert.subject === cert.issuer && cert.verify(cert.publicKey)) return { ...described, placeholderNote: 'self-signed / tự ký' };
  return described;
}

function keyInfoCertificate(signature: XmlElement): X509Certificate | undefined {
  const keyInfo = signature.getElementsByTagNameNS(DSIG_NS, 'KeyInfo')[0];
  const text = keyInfo?.getElementsByTagNameNS(DSIG_NS, 'X509Certificate')[0]?.textContent?.replace(/\s+/g, '') ?? '';
  try {
    return text ? new X509Certificate(Buffer.from(text, 'base64')) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the check found: valid; changed (digest or signature does not hold); not-whole-document (a reference is not
 * the whole document); unreadable-xml; no-signature; no-certificate (KeyInfo holds no readable certificate).
 */
export type EnvelopedSignatureVerdict = 'valid' | 'changed' | 'not-whole-document' | 'unreadable-xml' | 'no-signature' | 'no-certificate';

export interface EnvelopedSignatureCheck {
  verdict: EnvelopedSignatureVerdict;
  /** How many ds:Signature elements the document holds; the first is the one checked. */
  signatureCount: number;
  /** The SignatureMethod algorithm URI of the checked signature. */
  algorithm?: string;
  certificate?: KeyInfoCertificate;
  /** The parser's or xml-crypto's own words (English), when they explain the verdict. */
  detail?: string;
}

/** Whether every reference covers the whole document: URI "" (or none), or the root element's own Id. */
function coversWholeDocument(references: { uri?: string }[], document: XmlDocument): boolean {
  const root = document.documentElement;
  const rootId = root?.getAttribute('Id') || root?.getAttribute('ID') || root?.getAttribute('id');
  const whole = new Set<string | undefined>(['', undefined, ...(rootId ? [`#${rootId}`] : [])]);
  return references.length > 0 && references.every((reference) => whole.has(reference.uri));
}

/** Checks the document's (first) enveloped signature with the certificate in its KeyInfo; never throws. */
export function checkEnvelopedXml(xml: string, now = new Date()): EnvelopedSignatureCheck {
  const { document, problem } = readXml(xml);
  const signatures = Array.from(document.getElementsByTagNameNS(DSIG_NS, 'Signature'));
  const signature = signatures[0];
  const algorithm = signature?.getElementsByTagNameNS(DSIG_NS, 'SignatureMethod')[0]?.getAttribute('Algorithm') ?? undefined;
  const found = { signatureCount: signatures.length, ...(algorithm ? { algorithm } : {}) };
  if (problem !== undefined) return { verdict: 'unreadable-xml', ...found, detail: problem.slice(0, 200) };
  if (!signature) return { verdict: 'no-signature', ...found };
  const cert = keyInfoCertificate(signature);
  if (!cert) return { verdict: 'no-certificate', ...found };
  const described = { ...found, certificate: describeCertificate(cert, now) };
  const verifier = new SignedXml({ publicCert: cert.toString() });
  try {
    verifier.loadSignature(signature);
    if (!coversWholeDocument(verifier.getReferences(), document)) return { verdict: 'not-whole-document', ...described };
    return { verdict: verifier.checkSignature(xml) ? 'valid' : 'changed', ...described };
  } catch (error) {
    return { verdict: 'changed', ...described, detail: (error instanceof Error ? error.message : String(error)).slice(0, 200) };
  }
}
