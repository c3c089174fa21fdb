// The enveloped XML signature of an edXML package: checked when present (as the package's signature verdict), and made with the agency's key after TraceHeaderList.
import { VanthuError } from '../../shared/errors.js';
import { checkEnvelopedXml, DSIG_NS, signEnvelopedXml, type XmlSignatureAlgorithm, type XmlSigningKey } from '../xml/enveloped-signature.js';
import type { EdxmlSignatureCheck } from './types.js';

export { xmlKeyFromSigner, type XmlSignatureAlgorithm, type XmlSigningKey } from '../xml/enveloped-signature.js';

/**
 * The check of the package's enveloped signature, or undefined when it has none. The reference must be the whole
 * document (URI=""); the certificate is taken from KeyInfo and only described here (whether it chains to a trusted
 * CA is the trust layer's question). A placeholder or expired certificate is reported, never fatal.
 */
export function checkEnvelopedSignature(xml: string, now = new Date()): EdxmlSignatureCheck | undefined {
  // Most packages are unsigned: no need to build the DOM of their attachments to learn it.
  if (!xml.includes(DSIG_NS)) return undefined;
  const check = checkEnvelopedXml(xml, now);
  const algorithm = check.algorithm;
  if (check.signatureCount === 0) return undefined;
  if (check.verdict === 'unreadable-xml') return { result: 'unchecked', algorithm, detail: `the package is not namespace-well-formed, so its signature cannot be checked: ${check.detail ?? ''}` };
  if (check.verdict === 'no-certificate' || !check.certificate) return { result: 'unchecked', algorithm, placeholderCertificate: true, detail: 'KeyInfo holds no readable X.509 certificate (a placeholder) / không có chứng thư đọc được' };
  const { subject, notAfter, placeholderNote } = check.certificate;
  const described = { algorithm, subject, notAfter, ...(placeholderNote ? { placeholderCertificate: true } : {}) };
  const certificateNote = placeholderNote ? `certificate ${placeholderNote}` : undefined;
  if (check.verdict === 'not-whole-document') return { result: 'invalid', ...described, detail: 'the signature does not cover the whole package (Reference URI is not "") / chữ ký không phủ toàn bộ gói' };
  const detail = [check.detail, certificateNote].filter(Boolean).join('; ');
  return { result: check.verdict === 'valid' ? 'valid' : 'invalid', ...described, ...(detail ? { detail } : {}) };
}

/** `xml` with an enveloped signature by `key` inserted after the element `afterLocalName` (the first of that name). */
export async function signEnveloped(xml: string, key: XmlSigningKey, algorithm: XmlSignatureAlgorithm = 'rsa-sha256', afterLocalName = 'TraceHeaderList'): Promise<string> {
  try {
    return await signEnvelopedXml(xml, key, algorithm, { after: afterLocalName });
  } catch (error) {
    if (error instanceof VanthuError) throw error;
    throw new VanthuError('EDXML_FIELD_INVALID', { field: 'Signature', detail: `could not sign the package: ${error instanceof Error ? error.message : String(error)} / không ký được gói` });
  }
}
