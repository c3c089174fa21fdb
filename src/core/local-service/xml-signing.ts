// SignXML / VerifyXML of the local signing service: the shared enveloped XML-DSig (RSA-SHA256, appended to the root) on the token, and its check told in Vietnamese.
import { checkEnvelopedXml, readXml, signEnvelopedXml, xmlKeyFromSigner } from '../xml/enveloped-signature.js';
import type { PdfSigningKey } from '../signing/index.js';

export class XmlSigningError extends Error {
  constructor(readonly messageVi: string, message: string) {
    super(message);
  }
}

const UNREADABLE_VI = 'Dữ liệu XML không đọc được.';

/** Signs the whole document (enveloped signature appended to the root), the key staying on the token. */
export async function signXml(xml: string, key: PdfSigningKey): Promise<string> {
  if (key.keyType !== 'rsa') throw new XmlSigningError('Ký XML hiện chỉ hỗ trợ khóa RSA.', 'XML signing supports RSA keys only');
  const { problem } = readXml(xml);
  if (problem !== undefined) throw new XmlSigningError(UNREADABLE_VI, `the XML cannot be parsed: ${problem}`);
  return signEnvelopedXml(xml, xmlKeyFromSigner(key.signer, key.certificate), 'rsa-sha256', 'append-to-root');
}

export interface XmlCheck {
  valid: boolean;
  signer?: string;
  reason?: string;
}

const REASON_VI = {
  'unreadable-xml': UNREADABLE_VI,
  'no-signature': 'Dữ liệu XML không có chữ ký.',
  'no-certificate': 'Chữ ký XML không kèm chứng thư số.',
  'not-whole-document': 'Chữ ký XML không bao trùm toàn bộ dữ liệu.',
  changed: 'Dữ liệu XML đã bị thay đổi sau khi ký.',
} as const;

/** Checks the document's signature with the certificate it carries (the math and what it covers; trust is not judged here). */
export function verifyXml(xml: string): XmlCheck {
  const check = checkEnvelopedXml(xml);
  // Only one signature can be answered for: a second one could cover anything.
  if (check.verdict !== 'unreadable-xml' && check.signatureCount > 1) return { valid: false, reason: 'Dữ liệu XML có nhiều chữ ký; chỉ kiểm tra được một.' };
  if (check.verdict !== 'valid') return { valid: false, reason: REASON_VI[check.verdict] };
  return { valid: true, signer: check.certificate?.subject };
}
