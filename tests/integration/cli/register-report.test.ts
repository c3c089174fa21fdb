// `vanthu register print|export` on a real store, and `vanthu verify --report` on a file signed with the test token, run as a user would.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { open } from '../../../src/core/store/index.js';
import { runVanthu, type CliResult } from '../../kit/cli.js';
import { qpdfCheck } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { seedRegisters } from '../../kit/register-seed.js';

const pki = usePrivateTokens();
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-cli-register-'));
const dataDir = path.join(dir, 'data');
const vanthu = (args: string[], stdin = ''): Promise<CliResult> => runVanthu(args, { env: { ...process.env, SOFTHSM2_CONF: pki.softhsmConf }, stdin });
// -layout keeps a label and its value on one line.
const text = (file: string, layout = true): string => execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

beforeAll(() => {
  const store = open(dataDir);
  seedRegisters(store.db);
  store.close();
});

describe('vanthu register', () => {
  it('prints the outgoing register of a year as a PDF with the Decree 30 headers', async () => {
    const out = path.join(dir, 'so-di.pdf');
    const result = await vanthu(['register', 'print', 'outgoing', '--year', '2026', '-o', out, '--data', dataDir, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, kind: 'outgoing', from: '2026-01-01', to: '2026-12-31', rows: 3 });
    expect(qpdfCheck(out).status).toBe(0);
    const words = text(out, false); // reading order: -layout interleaves the wrapped header cells
    for (const w of ['SỔ ĐĂNG KÝ VĂN BẢN ĐI', 'Năm 2026', 'Số, ký hiệu văn bản', 'Người ký', '01/UBND-VP', 'Hoàng Xuân Ánh']) expect(words).toContain(w);
    // 2025's document is another year's register.
    expect(words).not.toContain('Tổng kết công tác năm 2025');
  });

  it('exports the incoming register of a period as .xlsx', async () => {
    const out = path.join(dir, 'so-den.xlsx');
    const result = await vanthu(['register', 'export', 'incoming', '--from', '01/01/2026', '--to', '31/03/2026', '-o', out, '--data', dataDir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Từ ngày 01/01/2026 đến ngày 31/03/2026: 1 văn bản');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const ws = workbook.worksheets[0]!;
    expect(ws.getCell(5, 1).value).toBe('Ngày đến');
    expect(ws.getCell(6, 3).value).toBe('Văn phòng Chính phủ');
    expect(ws.getCell(6, 1).value).toBeInstanceOf(Date);
    expect(ws.getCell(7, 3).value ?? null).toBeNull();
  });

  it('refuses a period given wrong, and a folder with no store, with exit 2 and nothing written', async () => {
    const out = path.join(dir, 'never.pdf');
    const backwards = await vanthu(['register', 'print', 'incoming', '--from', '31/03/2026', '--to', '01/01/2026', '-o', out, '--data', dataDir]);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('từ ngày 31/03/2026 sau đến ngày 01/01/2026');
    const noPeriod = await vanthu(['register', 'print', 'incoming', '-o', out, '--data', dataDir]);
    expect(noPeriod.code).toBe(2);
    const badDate = await vanthu(['register', 'export', 'incoming', '--from', '31/02/2026', '--to', '01/03/2026', '-o', out, '--data', dataDir]);
    expect(badDate.code).toBe(2);
    const noStore = await vanthu(['register', 'print', 'outgoing', '--year', '2026', '-o', out, '--data', path.join(dir, 'empty')]);
    expect(noStore.code).toBe(2);
    expect(existsSync(path.join(dir, 'empty'))).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  it('answers --help from the usage table', async () => {
    const help = await vanthu(['register', 'export', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('vanthu register export outgoing|incoming');
  });
});

describe('vanthu verify --report', () => {
  it('writes a Vietnamese report naming the signer, the CA, the verdict in words and the hash', async () => {
    const signed = path.join(dir, 'da-ky.pdf');
    const sign = await vanthu(['sign', path.resolve('tests/fixtures/pdf/classic-xref.pdf'), '-o', signed, '--module', pki.module, '--token', 'VANTHU LEADER', '--cert', 'leader-rsa', '--pin-stdin', '--level', 'B-B', '--chain', pki.subCaPem, '--offline'], `${pki.userPin}\n`);
    expect(sign.code, sign.stderr).toBe(0);
    const out = path.join(dir, 'bao-cao.pdf');
    const verified = await vanthu(['verify', signed, '--trust', pki.rootPem, '--online', '--report', out, '--json']);
    expect(verified.code, verified.stderr).toBe(0);
    const report = JSON.parse(verified.stdout) as { file: { sha256: string }; signatures: { signer: { issuer: { commonName: string } } }[] };
    expect(qpdfCheck(out).status).toBe(0);
    const words = text(out);
    for (const w of ['BÁO CÁO KIỂM TRA CHỮ KÝ SỐ', 'Tên tệp: da-ky.pdf', 'Người ký: Nguyễn Thị Hồng Nhung', 'HỢP LỆ — Chữ ký hợp lệ', 'Thời điểm kiểm tra', '(giờ Việt Nam)', 'Tổ chức cấp chứng thư số:', report.signatures[0]!.signer.issuer.commonName]) {
      expect(words).toContain(w);
    }
    // The hash may wrap; its characters are all there, in order.
    expect(words.replace(/ /g, '')).toContain(report.file.sha256);
    // Not one English word of the validator's English texts.
    expect(words).not.toMatch(/\b(valid|signature|signer|revoked)\b/i);
  });

  it('refuses --report with more than one file', async () => {
    const result = await vanthu(['verify', 'a.pdf', 'b.pdf', '--report', path.join(dir, 'x.pdf')]);
    expect(result.code).toBe(2);
  });
});
