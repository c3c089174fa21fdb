// `vanthu verify` on attack files built from a file the leader's token signed: one per attack class, each must exit 1 and say why.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from '../../../src/core/signing/index.js';
import { finalizeAllModules, type TokenSession } from '../../../src/core/token/index.js';
import { runVanthu } from '../../kit/cli.js';
import { discPng, fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import {
  appendUpdate,
  bodyOf,
  changedDict,
  definitions,
  line,
  nextObjectNumber,
  raw,
  refOf,
  signatureObjects,
  stream,
  text,
  tokenKey,
  valueOf,
  withRefs,
} from '../core/validation/attack-kit.js';

const pki = usePki();
const sessions: TokenSession[] = [];
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-cli-attacks-'));
const files = new Map<string, string>();

const save = (name: string, bytes: Uint8Array): void => {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  files.set(name, file);
};

beforeAll(async () => {
  const leader = await tokenKey(pki, 'VANTHU LEADER', 'leader-rsa', sessions);
  const widget = { page: 1, rect: [350, 100, 150, 75] as [number, number, number, number], image: discPng(80, [20, 40, 200]) };
  const signed = (await signPdf(fixture('classic-xref.pdf'), leader, { widget })).bytes;
  save('signed.pdf', signed);

  // ISA: the page content rewritten in an appended update.
  const contents = await refOf(signed, 4, 'Contents');
  save('isa-content.pdf', await appendUpdate(signed, [{ number: contents, body: stream(line(770, 'So: 99/UBND-VP')) }]));

  // SWA: the signature's /ByteRange and /Contents copied under a new field with its own reason.
  const [sig] = await signatureObjects(signed);
  const copied = bodyOf(signed, sig!.value).replace('<<', '<< /Reason (Dong y chi 9 ty dong)');
  const n = await nextObjectNumber(signed);
  const form = await refOf(signed, 1, 'AcroForm');
  save('swa-copied-signature.pdf', await appendUpdate(signed, [
    { number: n, body: copied },
    { number: n + 1, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature2) /V ${n} 0 R /Rect [0 0 0 0] /F 132 /P 4 0 R >>` },
    { number: form, body: await changedDict(signed, form, { Fields: withRefs(await valueOf(signed, form, 'Fields'), n + 1) }) },
    { number: 4, body: await changedDict(signed, 4, { Annots: withRefs(await valueOf(signed, 4, 'Annots'), n + 1) }) },
  ]));

  // USF: the same file with its /ByteRange overwritten in place by [0 0 0 0].
  const usf = new Uint8Array(signed);
  const open = text(usf).indexOf('[', text(usf).lastIndexOf('/ByteRange'));
  const close = text(usf).indexOf(']', open);
  usf.set(raw(' 0 0 0 0'.padEnd(close - open - 1, ' ')), open + 1);
  save('usf-byte-range-zero.pdf', usf);

  // Shadow hide-and-replace: an update made only of an xref pointing page 2's content back at its older bytes.
  const updated = (await signPdf(fixture('incrementally-updated.pdf'), leader, { widget })).bytes;
  save('shadow-xref-older-bytes.pdf', await appendUpdate(updated, [], { xref: { 7: definitions(updated, 7)[0]! } }));
});
afterAll(async () => {
  for (const session of sessions) await session.logout().catch(() => undefined);
  await finalizeAllModules();
});

const verify = (name: string, json = false) => runVanthu(['verify', files.get(name)!, '--trust', pki.rootPem, '--online', ...(json ? ['--json'] : [])]);

describe('vanthu verify rejects the attack classes', () => {
  it('accepts the signed file itself', async () => {
    const result = await verify('signed.pdf');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('HỢP LỆ — Chữ ký hợp lệ');
  });

  it('checks many files in one run: one report each, an unreadable one its own entry, and a summary line', async () => {
    const many = ['signed.pdf', 'isa-content.pdf'].map((name) => files.get(name)!);
    const missing = `${files.get('signed.pdf')!}.missing.pdf`;
    const readable = await runVanthu(['verify', ...many, missing, '--trust', pki.rootPem, '--online']);
    expect(readable.code, readable.stderr).toBe(1);
    expect(readable.stdout).toContain(`${many[0]}: HỢP LỆ`);
    expect(readable.stdout).toContain(`${missing}: KHÔNG ĐỌC ĐƯỢC`);
    expect(readable.stdout.trimEnd().split('\n').at(-1)).toBe('3 tệp: 1 hợp lệ, 1 không hợp lệ, 1 không đọc được');
    const json = await runVanthu(['verify', ...many, missing, '--trust', pki.rootPem, '--online', '--json']);
    const parsed = JSON.parse(json.stdout) as { files: { file: string; report?: { verdict: string }; error?: { code: string } }[]; summary: { valid: number; invalid: number; unreadable: number } };
    expect(parsed.files.map((f) => f.report?.verdict ?? f.error?.code)).toEqual(['valid', 'invalid', 'FILE_UNREADABLE']);
    expect(parsed.summary).toMatchObject({ valid: 1, invalid: 1, unreadable: 1 });
    const allValid = await runVanthu(['verify', many[0]!, many[0]!, '--trust', pki.rootPem, '--online', '--lang', 'en']);
    expect(allValid.code).toBe(0);
    expect(allValid.stdout.trimEnd().split('\n').at(-1)).toBe('2 file(s): 2 valid');
  });

  for (const [name, code, detail] of [
    ['isa-content.pdf', 'MODIFIED_AFTER_SIGNING', /object \d+ 0 R changed/],
    ['swa-copied-signature.pdf', 'BYTE_RANGE_INVALID', /signature dictionary was written after the bytes it signs/],
    ['usf-byte-range-zero.pdf', 'BYTE_RANGE_INVALID', /gap is not a hex string|ByteRange/],
    ['shadow-xref-older-bytes.pdf', 'MODIFIED_AFTER_SIGNING', /cross-reference/],
  ] as const) {
    it(name, async () => {
      const readable = await verify(name);
      expect(readable.code, readable.stdout + readable.stderr).toBe(1);
      expect(readable.stdout).toContain('KHÔNG HỢP LỆ');
      const json = await verify(name, true);
      expect(json.code).toBe(1);
      const report = JSON.parse(json.stdout) as { verdict: string; signatures: { findings: { code: string; messageEn: string }[] }[] };
      expect(report.verdict).toBe('invalid');
      expect(report.signatures.some((s) => (s as { indication?: string }).indication === 'TOTAL-FAILED')).toBe(true);
      const findings = report.signatures.flatMap((s) => s.findings).filter((f) => f.code === code);
      expect(findings.map((f) => f.messageEn).join('\n')).toMatch(detail);
    });
  }
});
