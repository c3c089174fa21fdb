// The printed verification report of a file signed on the test token: valid, then the same file altered after signing, read back with pdftotext and qpdf.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printVerificationReport } from '../../../../src/core/registers/index.js';
import { signPdf } from '../../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { fixture, qpdfCheck, writeTemp } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../../kit/signing-key.js';

const pki = usePki();
let trust: TrustStore;
let signed: Uint8Array;
const CHECKED_AT = new Date('2026-12-07T03:00:00Z');
const layoutText = (bytes: Uint8Array, name: string): string =>
  execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', writeTemp(name, bytes), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  const key = await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-rsa');
  signed = (await signPdf(fixture('classic-xref.pdf'), key, { reason: 'Phê duyệt' })).bytes;
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

describe('the printed verification report', () => {
  it('names the file, its hash, the check time in Vietnam time, and the signer, CA and verdict in words', async () => {
    const report = await validatePdf(signed, { trust, online: true });
    const pdf = await printVerificationReport(report, { fileName: 'Công văn 05.pdf', checkedAt: CHECKED_AT, agencyName: 'Ủy ban nhân dân tỉnh Cao Bằng' });
    expect(qpdfCheck(writeTemp('bao-cao.pdf', pdf)).status).toBe(0);
    const text = layoutText(pdf, 'bao-cao-text.pdf');
    const signer = report.signatures[0]!.signer!;
    for (const words of [
      'ỦY BAN NHÂN DÂN TỈNH CAO BẰNG',
      'BÁO CÁO KIỂM TRA CHỮ KÝ SỐ',
      'Tên tệp: Công văn 05.pdf',
      `Mã băm SHA-256: ${report.file.sha256.match(/.{8}/g)!.join(' ')}`,
      'Thời điểm kiểm tra: 07/12/2026 10:00:00 (giờ Việt Nam)',
      'Chữ ký thứ 1',
      `Người ký: ${signer.subject.commonName}`,
      `Tổ chức cấp chứng thư số: ${signer.issuer.commonName}`,
      `Số hiệu chứng thư số: ${signer.serialNumber}`,
      'Toàn vẹn: Văn bản còn nguyên như lúc ký',
      'Trang 1/1',
    ]) {
      expect(text).toContain(words);
    }
    expect(text).toMatch(/Kết quả: (HỢP LỆ — Chữ ký hợp lệ|CHƯA XÁC ĐỊNH — )/);
  });

  it('says the document was changed after signing, and what to do, when a signed byte is altered', async () => {
    const tampered = signed.slice();
    // A letter of the page's text, inside the signed range (the first revision).
    const at = Buffer.from(tampered).indexOf('Tj');
    expect(at).toBeGreaterThan(0);
    tampered[at - 3] = tampered[at - 3] === 0x41 ? 0x42 : 0x41;
    const report = await validatePdf(tampered, { trust, online: false });
    expect(report.verdict).toBe('invalid');
    const text = layoutText(await printVerificationReport(report, { fileName: 'sua.pdf', checkedAt: CHECKED_AT }), 'bao-cao-sua.pdf');
    expect(text).toContain('Kết quả: KHÔNG HỢP LỆ — Văn bản đã bị sửa sau khi ký');
    expect(text).toContain('Nên làm: Không dùng văn bản này; đề nghị nơi gửi gửi lại bản đúng.');
    expect(text).toContain('Toàn vẹn: Văn bản không còn nguyên như lúc ký');
  });

  it('prints a file name the fonts cannot show with "?" in place of the missing characters', async () => {
    const report = await validatePdf(signed, { trust, online: false });
    const text = layoutText(await printVerificationReport(report, { fileName: 'văn bản 📄 文.pdf', checkedAt: CHECKED_AT }), 'bao-cao-ten.pdf');
    expect(text).toContain('Tên tệp: văn bản ? ?.pdf');
  });
});
