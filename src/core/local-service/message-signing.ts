// SignMsg / VerifyMsg: a detached CMS signature (base64) over the UTF-8 text a page sends, made on the token.
import { X509Certificate } from 'node:crypto';
import type { HashAlgorithm } from '../../shared/token.js';
import { buildCmsSignedData, findAttribute, hashBytes, HASHES, readSignedData, signatureVerifies, signedAttributesToVerify } from '../cms/index.js';
import { readChildren, readOid } from '../cms/der.js';
import type { PdfSigningKey } from '../signing/index.js';

const HASH: HashAlgorithm = 'SHA-256';

export async function signMessage(text: string, key: PdfSigningKey): Promise<string> {
  const data = new TextEncoder().encode(text);
  const cms = await buildCmsSignedData({
    signer: key.signer,
    certificate: key.certificate,
    chain: key.chain,
    contentDigest: hashBytes(HASH, data),
    digestAlgorithm: HASH,
    signatureAlgorithm: key.keyType === 'ec' ? { name: 'ECDSA', hash: HASH } : { name: 'RSASSA-PKCS1-v1_5', hash: HASH },
  });
  return Buffer.from(cms).toString('base64');
}

export interface MessageCheck {
  valid: boolean;
  /** The signer's subject, when a certificate in the signature matches. */
  signer?: string;
  reason?: string;
}

/** Whether the signature covers exactly this text under a certificate it carries (the math; trust is not judged here). */
export function verifyMessage(text: string, signatureBase64: string): MessageCheck {
  let parts;
  try {
    parts = readSignedData(new Uint8Array(Buffer.from(signatureBase64, 'base64')));
  } catch {
    return { valid: false, reason: 'Chữ ký không đúng định dạng CMS.' };
  }
  const signerInfo = parts.signerInfos[0];
  if (!signerInfo) return { valid: false, reason: 'Chữ ký không có người ký.' };
  const digestOid = readOid(readChildren(signerInfo.digestAlgorithm)[0]);
  const hash = (Object.keys(HASHES) as HashAlgorithm[]).find((name) => HASHES[name].oid === digestOid);
  if (!hash) return { valid: false, reason: 'Thuật toán băm không được hỗ trợ.' };
  const digest = findAttribute(signerInfo.signedAttributes, '1.2.840.113549.1.9.4')?.values[0]?.content;
  if (!digest || Buffer.compare(Buffer.from(digest), Buffer.from(hashBytes(hash, new TextEncoder().encode(text)))) !== 0) {
    return { valid: false, reason: 'Nội dung thông điệp đã bị thay đổi sau khi ký.' };
  }
  for (const certificate of parts.certificates) {
    const ok = signatureVerifies({ certificate, signatureAlgorithm: signerInfo.signatureAlgorithm, digestAlgorithm: signerInfo.digestAlgorithm, data: signedAttributesToVerify(signerInfo), signature: signerInfo.signature });
    if (ok) return { valid: true, signer: new X509Certificate(certificate).subject.replace(/\n/g, ', ') };
  }
  return { valid: false, reason: 'Chữ ký không khớp với chứng thư số kèm theo.' };
}
