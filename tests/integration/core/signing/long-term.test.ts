import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, upgradeSignatures, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { fixture, pdfsig, qpdfCheck, writeTemp } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../../kit/signing-key.js';

// B-LT and B-LTA: validation data in the DSS and archive timestamps, each an incremental update, checked offline.
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

describe('long-term signatures', () => {
  it('signs at B-LTA: the file validates offline, with the DSS and an archive timestamp', async () => {
    const original = fixture('classic-xref.pdf');
    const signed = await signPdf(original, leader, { level: 'B-LTA', tsaUrl: tsa.url, trust });
    expect(signed.level).toBe('B-LTA');
    expect(signed.pending).toBeUndefined();
    expect(Buffer.from(signed.bytes.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
    const file = writeTemp('b-lta.pdf', signed.bytes);
    expect(qpdfCheck(file).status).toBe(0);
    expect(pdfsig(file, pki.nssDbSpec)[0]).toMatchObject({ signatureValidation: 'Signature is Valid.' });

    // No network: the revocation answers must come from the file itself.
    const report = await validatePdf(signed.bytes, { trust, online: false });
    expect(report.verdict).toBe('valid');
    const [signature, archive] = report.signatures;
    expect(signature).toMatchObject({ kind: 'signature', level: 'B-LTA', revocation: { status: 'good' }, verdict: 'valid' });
    expect(signature?.modifications.disallowed).toEqual([]);
    expect(signature?.modifications.allowed).toEqual(expect.arrayContaining(['validation data (DSS) added']));
    expect(archive).toMatchObject({ kind: 'document-timestamp', subFilter: 'ETSI.RFC3161', verdict: 'valid', timestamp: { valid: true } });
  });

  it('upgrades a B-B file later, when the network is back: B-T by a document timestamp, then B-LT', async () => {
    const signed = await signPdf(fixture('object-streams.pdf'), leader, {});
    expect((await validatePdf(signed.bytes, { trust, online: true })).signatures[0]?.level).toBe('B-B');
    const bt = await upgradeSignatures(signed.bytes, 'B-T', { tsaUrl: tsa.url, trust });
    const btReport = await validatePdf(bt, { trust, online: true });
    expect(btReport.signatures.map((s) => [s.kind, s.level, s.verdict])).toEqual([
      ['signature', 'B-T', 'valid'],
      ['document-timestamp', 'unknown', 'valid'],
    ]);
    const lt = await upgradeSignatures(bt, 'B-LT', { tsaUrl: tsa.url, trust });
    const ltFile = writeTemp('upgraded-b-lt.pdf', lt);
    expect(qpdfCheck(ltFile)).toMatchObject({ status: 0 });
    expect(pdfsig(ltFile, pki.nssDbSpec)[0]).toMatchObject({ signatureValidation: 'Signature is Valid.', certificateValidation: 'Certificate is Trusted.' });
    const ltReport = await validatePdf(lt, { trust, online: false });
    expect(ltReport.signatures[0]).toMatchObject({ level: 'B-LT', verdict: 'valid', revocation: { status: 'good' } });
    // Nothing more to timestamp: B-T again adds nothing.
    expect((await upgradeSignatures(bt, 'B-T', { tsaUrl: tsa.url, trust })).length).toBe(bt.length);
  });

  it('keeps the signature at B-B and says what is pending when the TSA is down', async () => {
    tsa.mode = 'http-500';
    try {
      const signed = await signPdf(fixture('classic-xref.pdf'), leader, { level: 'B-LT', tsaUrl: tsa.url, trust });
      expect(signed.level).toBe('B-B');
      expect(signed.pending).toMatchObject({ level: 'B-LT', reason: { code: 'TSA_HTTP_ERROR' } });
      expect((await validatePdf(signed.bytes, { trust, online: true })).signatures[0]).toMatchObject({ level: 'B-B', verdict: 'valid' });
    } finally {
      tsa.mode = 'grant';
    }
  });
});
