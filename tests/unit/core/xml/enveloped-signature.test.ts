// The one XML-DSig module as both callers use it: a signature made by edXML verifies through the local service and back, a changed byte fails, RSA-SHA1 and RSA-SHA256, the whole-document rule and the KeyInfo certificate notes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEnvelopedSignature, signEnveloped } from '../../../../src/core/edxml/index.js';
import { signXml, verifyXml, XmlSigningError } from '../../../../src/core/local-service/xml-signing.js';
import type { PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { checkEnvelopedXml, readXml, signEnvelopedXml, xmlKeyFromSigner, type XmlSignatureAlgorithm } from '../../../../src/core/xml/enveloped-signature.js';
import { makeOutsideKeys, type SoftwareKey } from '../../../kit/edxml-fixtures.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../../kit/signing-key.js';

const pki = usePki();
let agency: PdfSigningKey;
let outside: { issued: SoftwareKey; placeholder: SoftwareKey };

beforeAll(async () => {
  agency = await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa');
  outside = makeOutsideKeys();
}, 60_000);
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

const PAGE_XML = '<?xml version="1.0" encoding="UTF-8"?><ToTrinh xmlns="urn:vanthu:thu"><TrichYeu>Về việc triển khai ký số</TrichYeu><Header><Trace>28.22.H17</Trace></Header><Body>Nội dung</Body></ToTrinh>';
const URI = { 'rsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'rsa-sha1': 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' } as const;
/** The signed text with one byte of the signed content changed ("k" of "ký" becomes "K"). */
const tampered = (signed: string): string => signed.replace('ký số', 'Ký số');

describe('one signature, two callers', () => {
  it('a signature of the local service (token, appended to the root) checks as valid through edXML, and a changed byte as invalid', async () => {
    const signed = await signXml(PAGE_XML, agency);
    expect(signed.lastIndexOf('<Signature')).toBeGreaterThan(signed.indexOf('</Body>'));
    expect(checkEnvelopedSignature(signed)).toMatchObject({ result: 'valid', algorithm: URI['rsa-sha256'], subject: expect.stringContaining('CN=UBND tỉnh Cao Bằng') });
    expect(checkEnvelopedSignature(tampered(signed))?.result).toBe('invalid');
  });

  it('a signature of edXML (outside key, after a named element) verifies through the local service, and a changed byte fails there', async () => {
    const signed = await signEnveloped(PAGE_XML, outside.issued, 'rsa-sha1', 'Header');
    expect(signed.indexOf('</Header><Signature')).toBeGreaterThan(0);
    expect(verifyXml(signed)).toEqual({ valid: true, signer: expect.stringContaining('So Noi vu tinh Bac Kan') });
    expect(verifyXml(tampered(signed))).toEqual({ valid: false, reason: 'Dữ liệu XML đã bị thay đổi sau khi ký.' });
  });
});

describe('the shared module', () => {
  for (const algorithm of ['rsa-sha1', 'rsa-sha256'] as XmlSignatureAlgorithm[]) {
    it(`signs ${algorithm} on the token and checks it, and a changed byte as changed`, async () => {
      const signed = await signEnvelopedXml(PAGE_XML, xmlKeyFromSigner(agency.signer, agency.certificate), algorithm, 'append-to-root');
      expect(signed).toContain(`<Reference URI="">`);
      const check = checkEnvelopedXml(signed);
      expect(check).toMatchObject({ verdict: 'valid', signatureCount: 1, algorithm: URI[algorithm], certificate: { subject: expect.stringContaining('CN=UBND tỉnh Cao Bằng') } });
      expect(check.certificate?.placeholderNote).toBeUndefined();
      expect(checkEnvelopedXml(tampered(signed)).verdict).toBe('changed');
      // The signature value itself changed by one character: the digest holds, the signature does not.
      const value = /<SignatureValue>([^<]+)</.exec(signed)![1]!;
      const flipped = value.slice(0, 10) + (value[10] === 'A' ? 'B' : 'A') + value.slice(11);
      expect(checkEnvelopedXml(signed.replace(value, flipped)).verdict).toBe('changed');
    });
  }

  it('refuses a reference that is not the whole document, before any digest is compared', async () => {
    const signed = await signEnvelopedXml(PAGE_XML, outside.issued, 'rsa-sha256', 'append-to-root');
    const fragment = signed.replace('<Reference URI="">', '<Reference URI="#part">');
    expect(checkEnvelopedXml(fragment).verdict).toBe('not-whole-document');
    expect(verifyXml(fragment).reason).toBe('Chữ ký XML không bao trùm toàn bộ dữ liệu.');
    expect(checkEnvelopedSignature(fragment)?.result).toBe('invalid');
  });

  it('describes a self-signed KeyInfo certificate as a placeholder without failing the signature', async () => {
    const signed = await signEnvelopedXml(PAGE_XML, outside.placeholder, 'rsa-sha1', 'append-to-root');
    expect(checkEnvelopedXml(signed)).toMatchObject({ verdict: 'valid', certificate: { subject: expect.stringContaining('Placeholder Certificate'), placeholderNote: 'self-signed / tự ký' } });
    const later = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    expect(checkEnvelopedXml(signed, later).certificate?.placeholderNote).toMatch(/^expired .* \/ hết hạn$/);
    const noCertificate = signed.replace(/<X509Certificate>[^<]+</, '<X509Certificate>UExBQ0VIT0xERVI=<');
    expect(checkEnvelopedXml(noCertificate).verdict).toBe('no-certificate');
    expect(verifyXml(noCertificate).reason).toBe('Chữ ký XML không kèm chứng thư số.');
  });

  it('collects parser errors: unreadable XML is refused for signing and told apart when checking', async () => {
    const broken = '<ToTrinh><TrichYeu>&thamChieuKhongCo;</TrichYeu></ToTrinh>';
    expect(readXml(broken).problem).toBeDefined();
    expect(readXml(PAGE_XML).problem).toBeUndefined();
    await expect(signXml(broken, agency)).rejects.toBeInstanceOf(XmlSigningError);
    expect(checkEnvelopedXml(broken).verdict).toBe('unreadable-xml');
    expect(verifyXml(broken).reason).toBe('Dữ liệu XML không đọc được.');
    expect(readXml('không phải XML').problem).toBe('no root element');
    expect(verifyXml('không phải XML').reason).toBe('Dữ liệu XML không đọc được.');
    expect(verifyXml(PAGE_XML).reason).toBe('Dữ liệu XML không có chữ ký.');
  });

  it('answers for one signature only in the local service', async () => {
    const once = await signEnvelopedXml(PAGE_XML, outside.issued, 'rsa-sha256', 'append-to-root');
    const twice = await signEnvelopedXml(once, outside.issued, 'rsa-sha256', { after: 'Header' });
    expect(checkEnvelopedXml(twice).signatureCount).toBe(2);
    expect(verifyXml(twice).reason).toBe('Dữ liệu XML có nhiều chữ ký; chỉ kiểm tra được một.');
  });
});
