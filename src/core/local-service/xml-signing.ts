// SignXML / VerifyXML: an enveloped XML-DSig (RSA-SHA256, exclusive c14n) made on the token, and its check against the certificate in KeyInfo.
import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import type { PdfSigningKey } from '../signing/index.js';

// xml-crypto and xmldom's typings bring the DOM lib into the Node project (where Node's own types
// must stay alone): both are loaded untyped and typed here by the little this code uses.
interface XmlElement {
  getElementsByTagNameNS(namespace: string, name: string): ArrayLike<XmlElement>;
}
interface XmlDocument extends XmlElement {
  documentElement: (XmlElement & { getAttribute(name: string): string | null }) | null;
}
interface SignedXmlInstance {
  SignatureAlgorithms: Record<string, unknown>;
  addReference(options: { xpath: string; transforms: string[]; digestAlgorithm: string; isEmptyUri?: boolean }): void;
  computeSignature(xml: string, options: { location: { reference: string; action: 'append' } }, callback: (error: Error | null) => void): void;
  getSignedXml(): string;
  loadSignature(node: XmlElement): void;
  getReferences(): { uri?: string }[];
  checkSignature(xml: string): boolean;
}
interface SignedXmlClass {
  new (options: Record<string, unknown>): SignedXmlInstance;
  getCertFromKeyInfo(keyInfo: XmlElement | null): string | null;
}
const load = createRequire(import.meta.url);
const { SignedXml } = load('xml-crypto') as { SignedXml: SignedXmlClass };
const { DOMParser } = load('@xmldom/xmldom') as {
  DOMParser: new (options: { onError: (level: string, message: unknown) => void }) => { parseFromString(xml: string, type: string): XmlDocument };
};

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export class XmlSigningError extends Error {
  constructor(readonly messageVi: string, message: string) {
    super(message);
  }
}

function parse(xml: string): XmlDocument {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(String(message))) }).parseFromString(xml, 'text/xml');
  if (errors.length > 0 || !doc.documentElement) throw new XmlSigningError('Dữ liệu XML không đọc được.', `the XML cannot be parsed: ${errors[0] ?? 'no root element'}`);
  return doc;
}

/** Signs the whole document (enveloped signature appended to the root), the key staying on the token. */
export async function signXml(xml: string, key: PdfSigningKey): Promise<string> {
  if (key.keyType !== 'rsa') throw new XmlSigningError('Ký XML hiện chỉ hỗ trợ khóa RSA.', 'XML signing supports RSA keys only');
  parse(xml);
  const signer = key.signer;
  // xml-crypto asks its algorithm for the signature with a callback: the token signs there.
  class TokenRsaSha256 {
    getSignature = (signedInfo: string | Buffer, _privateKey: unknown, callback?: (error: Error | null, signature?: string) => void): void => {
      signer.sign(new Uint8Array(Buffer.from(signedInfo)), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }).then(
        (signature) => callback?.(null, Buffer.from(signature).toString('base64')),
        (error: unknown) => callback?.(error instanceof Error ? error : new Error(String(error))),
      );
    };
    verifySignature = (): boolean => false;
    getAlgorithmName = (): string => RSA_SHA256;
  }
  const certificatePem = new X509Certificate(key.certificate).toString();
  // privateKey is a placeholder: xml-crypto wants one, the token algorithm above never reads it.
  const sig = new SignedXml({ privateKey: 'on-token', publicCert: certificatePem, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: EXC_C14N });
  sig.SignatureAlgorithms[RSA_SHA256] = TokenRsaSha256;
  // URI="": the whole document, without adding an Id attribute to the page's root element.
  sig.addReference({ xpath: '/*', transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: SHA256, isEmptyUri: true });
  await new Promise<void>((resolve, reject) => {
    sig.computeSignature(xml, { location: { reference: '/*', action: 'append' } }, (error) => (error ? reject(error) : resolve()));
  });
  return sig.getSignedXml();
}

export interface XmlCheck {
  valid: boolean;
  signer?: string;
  reason?: string;
}

/** Checks the document's signature with the certificate it carries (the math and what it covers; trust is not judged here). */
export function verifyXml(xml: string): XmlCheck {
  let doc: XmlDocument;
  try {
    doc = parse(xml);
  } catch (error) {
    return { valid: false, reason: error instanceof XmlSigningError ? error.messageVi : 'Dữ liệu XML không đọc được.' };
  }
  const signatures = Array.from(doc.getElementsByTagNameNS(DSIG_NS, 'Signature'));
  if (signatures.length !== 1) return { valid: false, reason: signatures.length === 0 ? 'Dữ liệu XML không có chữ ký.' : 'Dữ liệu XML có nhiều chữ ký; chỉ kiểm tra được một.' };
  const certificateText = SignedXml.getCertFromKeyInfo(Array.from(signatures[0]!.getElementsByTagNameNS(DSIG_NS, 'KeyInfo'))[0] ?? null);
  if (!certificateText) return { valid: false, reason: 'Chữ ký XML không kèm chứng thư số.' };
  const sig = new SignedXml({ publicCert: certificateText });
  try {
    sig.loadSignature(signatures[0]!);
    // The reference must cover the whole document: a signature over a fragment says nothing of the rest.
    const refs = sig.getReferences();
    const rootId = doc.documentElement?.getAttribute('Id') || doc.documentElement?.getAttribute('ID') || doc.documentElement?.getAttribute('id');
    const wholeDocument = ['', undefined, ...(rootId ? [`#${rootId}`] : [])];
    if (refs.length !== 1 || !wholeDocument.includes(refs[0]!.uri)) return { valid: false, reason: 'Chữ ký XML không bao trùm toàn bộ dữ liệu.' };
    if (!sig.checkSignature(xml)) return { valid: false, reason: 'Dữ liệu XML đã bị thay đổi sau khi ký.' };
  } catch {
    return { valid: false, reason: 'Dữ liệu XML đã bị thay đổi sau khi ký.' };
  }
  return { valid: true, signer: new X509Certificate(certificateText).subject.replace(/\n/g, ', ') };
}
