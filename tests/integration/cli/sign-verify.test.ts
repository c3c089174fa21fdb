import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVanthu, type CliResult } from '../../kit/cli.js';
import { startFakeTsa, type FakeTsa } from '../../kit/fake-tsa.js';
import { discPng, pdfsig, qpdfCheck } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';

// The CLI contract of DESIGN.md for sign and verify, run as a user would, on a private copy of the tokens.
const pki = usePrivateTokens();
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-cli-sign-'));
const fixture = (name: string): string => path.resolve('tests/fixtures/pdf', name);
let tsa: FakeTsa;
beforeAll(async () => {
  tsa = await startFakeTsa(pki);
});
afterAll(() => tsa?.close());

const vanthu = (args: string[], stdin = ''): Promise<CliResult> => runVanthu(args, { env: { ...process.env, SOFTHSM2_CONF: pki.softhsmConf }, stdin });

const token = ['--module', pki.module, '--token', 'VANTHU LEADER', '--pin-stdin'];

describe('vanthu sign and verify', () => {
  it('signs a PDF with the leader appearance at B-T, and verify says it is valid', async () => {
    const image = path.join(dir, 'chu-ky.png');
    writeFileSync(image, discPng(100, [20, 40, 200]));
    const out = path.join(dir, 'signed.pdf');
    const signed = await vanthu(['sign', fixture('classic-xref.pdf'), '-o', out, ...token, '--cert', 'leader-rsa', '--level', 'B-T', '--tsa', tsa.url, '--appearance', 'leader', '--image', image, '--page', '2', '--rect', '350,100,150,75', '--reason', 'Ký ban hành', '--chain', pki.subCaPem, '--json'], `${pki.userPin}\n`);
    expect(signed.code, signed.stderr).toBe(0);
    expect(JSON.parse(signed.stdout)).toMatchObject({ ok: true, files: [{ ok: true, fieldName: 'Signature1', level: 'B-T' }] });
    expect(signed.stdout + signed.stderr).not.toContain(pki.userPin);
    expect(qpdfCheck(out).status).toBe(0);
    expect(pdfsig(out, pki.nssDbSpec)[0]).toMatchObject({ signatureValidation: 'Signature is Valid.', certificateValidation: 'Certificate is Trusted.', totalDocumentSigned: true });

    const verified = await vanthu(['verify', out, '--trust', pki.rootPem, '--online', '--json']);
    expect(verified.code, verified.stdout).toBe(0);
    const report = JSON.parse(verified.stdout);
    expect(report).toMatchObject({ verdict: 'valid', signatures: [{ level: 'B-T', reason: 'Ký ban hành', signer: { subject: { commonName: 'Nguyễn Thị Hồng Nhung' } } }] });

    const readable = await vanthu(['verify', out, '--trust', pki.rootPem, '--online']);
    expect(readable.stdout).toContain('HỢP LỆ — Chữ ký hợp lệ');
    expect(readable.stdout).toContain('Nguyễn Thị Hồng Nhung — UBND tỉnh Cao Bằng');
  });

  it('adds the attachment stamp with the main document number', async () => {
    const out = path.join(dir, 'phu-luc.pdf');
    const signed = await vanthu(['sign', fixture('xref-stream.pdf'), '-o', out, '--module', pki.module, '--token', 'VANTHU AGENCY', '--pin-stdin', '--appearance', 'attachment', '--notation', '05/UBND-VP'], pki.userPin);
    expect(signed.code, signed.stderr).toBe(0);
    const text = spawnSync('pdftotext', ['-f', '1', '-l', '1', out, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('05/UBND-VP');
    expect(text).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00/);
  });

  it('signs a folder with one PIN, and a broken file fails alone', async () => {
    const input = path.join(dir, 'batch-in');
    const output = path.join(dir, 'batch-out');
    mkdirSync(input);
    for (const name of ['a-classic.pdf', 'b-objstm.pdf', 'd-linearized.pdf']) copyFileSync(fixture(name.startsWith('a') ? 'classic-xref.pdf' : name.startsWith('b') ? 'object-streams.pdf' : 'linearized.pdf'), path.join(input, name));
    writeFileSync(path.join(input, 'c-broken.pdf'), 'this is not a PDF');
    const result = await vanthu(['sign', '--batch', input, '--out', output, ...token, '--json'], pki.userPin);
    // A file that is not a PDF is bad input: exit 2, and only that file fails.
    expect(result.code).toBe(2);
    const files = (JSON.parse(result.stdout) as { files: { input: string; ok: boolean; error?: { code: string } }[] }).files;
    expect(files.map((f) => [path.basename(f.input), f.ok, f.error?.code])).toEqual([
      ['a-classic.pdf', true, undefined],
      ['b-objstm.pdf', true, undefined],
      ['c-broken.pdf', false, 'PDF_INVALID'],
      ['d-linearized.pdf', true, undefined],
    ]);
    expect(readdirSync(output).sort()).toEqual(['a-classic.pdf', 'b-objstm.pdf', 'd-linearized.pdf']);
    for (const name of readdirSync(output)) expect(pdfsig(path.join(output, name), pki.nssDbSpec)[0]?.signatureValidation).toBe('Signature is Valid.');
  });

  it('stops at a wrong PIN without touching the files', async () => {
    const out = path.join(dir, 'never.pdf');
    const result = await vanthu(['sign', fixture('classic-xref.pdf'), '-o', out, ...token], '000000\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Mã PIN không đúng');
    expect(result.stderr).not.toContain('000000');
    expect(() => readFileSync(out)).toThrow();
  });

  it('says invalid for a tampered file and exits 1; bad usage exits 2', async () => {
    const out = path.join(dir, 'to-tamper.pdf');
    expect((await vanthu(['sign', fixture('classic-xref.pdf'), '-o', out, ...token], pki.userPin)).code).toBe(0);
    const bytes = readFileSync(out);
    bytes[bytes.indexOf('So: 05') + 4] = '9'.charCodeAt(0);
    writeFileSync(out, bytes);
    const verified = await vanthu(['verify', out, '--trust', pki.rootPem, '--online']);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('KHÔNG HỢP LỆ — Văn bản đã bị sửa sau khi ký');
    expect(verified.stdout).toContain('đã bị thay đổi sau khi ký');

    expect((await vanthu(['verify', path.join(dir, 'missing.pdf')])).code).toBe(2);
    expect((await vanthu(['sign', fixture('classic-xref.pdf'), '-o', out, '--module', pki.module])).code).toBe(2);
    expect((await vanthu(['sign', fixture('classic-xref.pdf'), '-o', out, ...token, '--level', 'B-T'])).code).toBe(2);
  });

  it('refuses a revoked certificate before asking for the PIN', async () => {
    const out = path.join(dir, 'revoked.pdf');
    const result = await vanthu(['sign', fixture('classic-xref.pdf'), '-o', out, '--module', pki.module, '--token', 'VANTHU REVOKED', '--pin-stdin'], '000000\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Không ký bằng chứng thư số "Lê Thị Thu Hà"');
    expect(result.stderr).toMatch(/revoked/i);
    expect(() => readFileSync(out)).toThrow();
    // The wrong PIN was never sent: the token does not report a failed login.
    const listing = JSON.parse((await vanthu(['token', 'list', '--module', pki.module, '--json'])).stdout) as { modules: { tokens: { label: string; flags: { userPinCountLow: boolean } }[] }[] };
    expect(listing.modules[0]!.tokens.find((t) => t.label === 'VANTHU REVOKED')?.flags.userPinCountLow).toBe(false);
  });

  it('exits 2 for empty, truncated, garbage and encrypted PDFs and leaves no output', async () => {
    const original = readFileSync(fixture('classic-xref.pdf'));
    const inputs: Record<string, Uint8Array | string> = {
      'zero-byte.pdf': new Uint8Array(),
      'truncated.pdf': original.subarray(0, Math.floor(original.length / 2)),
      'garbage.pdf': 'PK\u0003\u0004 not a pdf',
    };
    for (const [name, content] of Object.entries(inputs)) writeFileSync(path.join(dir, name), content);
    for (const name of [...Object.keys(inputs), fixture('encrypted.pdf')]) {
      const input = name.startsWith('/') ? name : path.join(dir, name);
      const out = path.join(dir, `out-${path.basename(name)}`);
      const result = await vanthu(['sign', input, '-o', out, ...token, '--json'], pki.userPin);
      expect(result.code, name).toBe(2);
      const code = (JSON.parse(result.stdout) as { files: { error: { code: string } }[] }).files[0]?.error.code;
      expect(['PDF_INVALID', 'PDF_ENCRYPTED'], name).toContain(code);
      expect(readdirSync(dir).filter((f) => f.startsWith(`out-${path.basename(name)}`) || f.includes('.tmp')), name).toEqual([]);
    }
  });

  it('embeds the intermediate CA the token lacks, fetched from the certificate\'s AIA', async () => {
    const out = path.join(dir, 'aia.pdf');
    const signed = await vanthu(['sign', fixture('classic-xref.pdf'), '-o', out, ...token, '--cert', 'leader-ec', '--trust', pki.rootPem], pki.userPin);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stderr).toBe('');
    // Offline: the chain can only be built from what the signature carries.
    const report = JSON.parse((await vanthu(['verify', out, '--trust', pki.rootPem, '--json'])).stdout) as { signatures: { chain: { trusted: boolean; path: string[] } }[] };
    expect(report.signatures[0]?.chain).toMatchObject({ trusted: true, path: ['Nguyễn Thị Hồng Nhung', 'Test CA Chuyên dùng Chính phủ', 'Test Vietnam National Root CA'] });
  });
});
