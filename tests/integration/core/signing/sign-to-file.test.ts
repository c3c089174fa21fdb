import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, signPdfToFile, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { discPng, fixture, pdfsig, qpdfCheck } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll, openedSessions, tokenSigningKey } from '../../../kit/signing-key.js';

// signPdfToFile: the file written part by part (original, update, /Contents patched in place) must be the very file signPdf makes in memory.
const pki = usePki();
let trust: TrustStore;
let tsa: FakeTsa;
let leader: PdfSigningKey;

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  tsa = await startFakeTsa(pki);
  leader = await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-rsa');
});
afterAll(async () => {
  await tsa?.close();
  await logoutAll();
  await finalizeAllModules();
});

const freshDir = (): string => mkdtempSync(path.join(tmpdir(), 'vanthu-sign-to-file-'));
const blueSignature = discPng(120, [20, 40, 200]);

describe('signPdfToFile', () => {
  it('writes byte for byte what signPdf returns (B-B, visible, PKCS#1 v1.5 is deterministic)', async () => {
    for (const name of ['classic-xref.pdf', 'object-streams.pdf']) {
      const original = fixture(name);
      const options = { signingTime: new Date('2026-03-05T03:15:30Z'), reason: 'Phê duyệt', widget: { page: 1, rect: [350, 100, 150, 75] as [number, number, number, number], image: blueSignature } };
      const inMemory = await signPdf(original, leader, options);
      const dir = freshDir();
      const output = path.join(dir, 'signed.pdf');
      const written = await signPdfToFile(original, output, leader, options);
      const onDisk = readFileSync(output);
      expect(Buffer.compare(onDisk, inMemory.bytes), name).toBe(0);
      expect(written).toEqual({ size: onDisk.length, fieldName: 'Signature1', level: 'B-B', timestampTime: undefined, pending: undefined });
      // The temp file was renamed, nothing else left beside the output.
      expect(readdirSync(dir)).toEqual(['signed.pdf']);
      expect(qpdfCheck(output).status).toBe(0);
      expect(pdfsig(output, pki.nssDbSpec)[0]).toMatchObject({ signatureValidation: 'Signature is Valid.', certificateValidation: 'Certificate is Trusted.' });
    }
  });

  it('signs at B-T (the file written while the TSA answers), and replaces an existing output', async () => {
    const original = fixture('object-streams.pdf');
    const dir = freshDir();
    const output = path.join(dir, 'out.pdf');
    writeFileSync(output, 'an older file');
    tsa.delayMs = 200;
    try {
      const written = await signPdfToFile(original, output, leader, { level: 'B-T', tsaUrl: tsa.url });
      expect(written.level).toBe('B-T');
      expect(written.timestampTime).toBeInstanceOf(Date);
    } finally {
      tsa.delayMs = 0;
    }
    const bytes = readFileSync(output);
    expect(Buffer.compare(bytes.subarray(0, original.length), original)).toBe(0);
    expect(readdirSync(dir)).toEqual(['out.pdf']);
    const report = await validatePdf(bytes, { trust, online: true });
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]).toMatchObject({ level: 'B-T', verdict: 'valid' });
    expect(pdfsig(output, pki.nssDbSpec)[0]).toMatchObject({ signatureValidation: 'Signature is Valid.' });
  });

  it('signs at B-LT: the validation data is added before the file is committed', async () => {
    const dir = freshDir();
    const output = path.join(dir, 'b-lt.pdf');
    const written = await signPdfToFile(fixture('classic-xref.pdf'), output, leader, { level: 'B-LT', tsaUrl: tsa.url, trust });
    expect(written).toMatchObject({ level: 'B-LT', pending: undefined });
    const bytes = readFileSync(output);
    expect(written.size).toBe(bytes.length);
    expect(qpdfCheck(output).status).toBe(0);
    const report = await validatePdf(bytes, { trust, online: false });
    expect(report.signatures[0]).toMatchObject({ level: 'B-LT', verdict: 'valid', revocation: { status: 'good' } });
  });

  it('keeps B-B and says what is pending when the TSA is down', async () => {
    const dir = freshDir();
    const output = path.join(dir, 'pending.pdf');
    tsa.mode = 'http-500';
    try {
      const written = await signPdfToFile(fixture('classic-xref.pdf'), output, leader, { level: 'B-T', tsaUrl: tsa.url });
      expect(written).toMatchObject({ level: 'B-B', pending: { level: 'B-T', reason: { code: 'TSA_HTTP_ERROR' } } });
    } finally {
      tsa.mode = 'grant';
    }
    expect((await validatePdf(readFileSync(output), { trust, online: true })).signatures[0]).toMatchObject({ level: 'B-B', verdict: 'valid' });
  });

  it('leaves an existing output as it was and no temp file when signing fails', async () => {
    const dir = freshDir();
    const output = path.join(dir, 'kept.pdf');
    writeFileSync(output, 'the file that was there');
    await expect(signPdfToFile(new TextEncoder().encode('not a pdf'), output, leader)).rejects.toMatchObject({ code: 'PDF_INVALID' });
    // A token that stops answering once the file is being written: the signature fails after the temp file was filled.
    const before = new Set(openedSessions);
    const agency = await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa');
    const agencySession = [...openedSessions].find((session) => !before.has(session));
    await agencySession!.logout();
    await expect(signPdfToFile(fixture('classic-xref.pdf'), output, agency)).rejects.toMatchObject({ code: expect.stringMatching(/^TOKEN_/) });
    await expect(signPdfToFile(fixture('classic-xref.pdf'), output, leader, { level: 'B-T' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(readdirSync(dir)).toEqual(['kept.pdf']);
    expect(readFileSync(output, 'utf8')).toBe('the file that was there');
  });
});
