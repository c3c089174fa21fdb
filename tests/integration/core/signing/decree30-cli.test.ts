import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVanthu, type CliResult } from '../../../kit/cli.js';
import { discPng, pdfsig } from '../../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../../kit/pki.js';
import { decree30Pdf } from '../../../fixtures/pdf/decree30/make-decree30.js';

// The leader-then-clerk flow through `vanthu sign` with automatic placement, as an office would run it.
const pki = usePrivateTokens();
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-decree30-cli-'));
const vanthu = (args: string[], stdin = ''): Promise<CliResult> => runVanthu(args, { env: { ...process.env, SOFTHSM2_CONF: pki.softhsmConf }, stdin });
const tokenOf = (label: string, cert: string): string[] => ['--module', pki.module, '--token', label, '--cert', cert, '--pin-stdin', '--chain', pki.subCaPem, '--trust', pki.rootPem];

describe('vanthu sign with Decree 30 placement', () => {
  it('leader signs above the printed name, the clerk seals and numbers it, and both signatures stay valid', async () => {
    const input = path.join(dir, 'cong-van.pdf');
    writeFileSync(input, await decree30Pdf());
    const signature = path.join(dir, 'chu-ky.png');
    const seal = path.join(dir, 'con-dau.png');
    writeFileSync(signature, discPng(100, [20, 40, 200]));
    writeFileSync(seal, discPng(110, [210, 20, 20]));

    const approved = path.join(dir, 'da-ky.pdf');
    const leader = await vanthu(['sign', input, '-o', approved, ...tokenOf('VANTHU LEADER', 'leader-rsa'), '--appearance', 'leader', '--image', signature, '--json'], `${pki.userPin}\n`);
    expect(leader.code, leader.stderr).toBe(0);

    const issued = path.join(dir, 'ban-hanh.pdf');
    const clerk = await vanthu(
      ['sign', approved, '-o', issued, ...tokenOf('VANTHU AGENCY', 'agency-rsa'), '--appearance', 'seal', '--image', seal, '--seal-size', '34', '--number', '5/UBND-VP', '--date', '2026-01-05', '--json'],
      `${pki.userPin}\n`,
    );
    expect(clerk.code, clerk.stderr).toBe(0);
    expect(JSON.parse(clerk.stdout)).toMatchObject({ ok: true, files: [{ fieldName: 'Signature2' }] });

    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', issued, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/Số: ?05\/UBND-VP/);
    expect(text).toContain('ngày 05 tháng 01 năm 2026');
    expect(pdfsig(issued, pki.nssDbSpec).map((s) => [s.signatureValidation, s.certificateValidation])).toEqual([
      ['Signature is Valid.', 'Certificate is Trusted.'],
      ['Signature is Valid.', 'Certificate is Trusted.'],
    ]);
    const verified = await vanthu(['verify', issued, '--trust', pki.rootPem, '--online', '--json']);
    expect(verified.code, verified.stdout).toBe(0);
    const report = JSON.parse(verified.stdout) as { verdict: string; signatures: { verdict: string; modifications: { disallowed: string[] } }[] };
    expect(report.verdict).toBe('valid');
    expect(report.signatures.map((s) => [s.verdict, s.modifications.disallowed])).toEqual([
      ['valid', []],
      ['valid', []],
    ]);
    // The original bytes and the leader's revision are prefixes: nothing was rewritten.
    expect(readFileSync(issued).subarray(0, readFileSync(approved).length).equals(readFileSync(approved))).toBe(true);
  }, 90_000);

  it('asks for --page/--rect when the signer name is not on the last page, and refuses --number with --batch', async () => {
    const input = path.join(dir, 'nguoi-khac.pdf');
    writeFileSync(input, await decree30Pdf({ nameRuns: ['Trần Văn', 'Bình'] }));
    const signature = path.join(dir, 'chu-ky-2.png');
    writeFileSync(signature, discPng(100, [20, 40, 200]));
    const out = path.join(dir, 'khong-ky.pdf');
    const result = await vanthu(['sign', input, '-o', out, ...tokenOf('VANTHU LEADER', 'leader-rsa'), '--appearance', 'leader', '--image', signature], `${pki.userPin}\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Không tìm thấy tên người ký "Nguyễn Thị Hồng Nhung" trên trang 2');
    expect(result.stderr).toContain('Give the position with --page N and --rect');
    expect(() => readFileSync(out)).toThrow();

    const batch = await vanthu(['sign', '--batch', dir, '--out', path.join(dir, 'out'), ...tokenOf('VANTHU AGENCY', 'agency-rsa'), '--appearance', 'seal', '--number', '05/UBND-VP'], pki.userPin);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toContain('--number and --date go with one document');
  }, 60_000);
});
