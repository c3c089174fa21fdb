// What a verification keeps for the next ones (a sender's seal and TSA certificates read, their public keys, the OCSP and CRL signature checks): the same reports as a thread that starts with nothing kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { threadedValidator, validatePdf } from '../../../../src/core/validation/index.js';
import { derKey, remember } from '../../../../src/core/x509/parse-cache.js';
import { startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../../kit/signing-key.js';

const pki = usePki();
const WORKER = new URL('../../../../src/core/validation/validate-worker.mjs', import.meta.url);
let trust: TrustStore;
let tsa: FakeTsa;
let agency: PdfSigningKey;
const files: Uint8Array[] = [];

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  tsa = await startFakeTsa(pki);
  agency = await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa');
  // Two documents of one sender at B-LTA: the same seal, TSA and OCSP responder, revocation data in each file.
  for (const name of ['classic-xref.pdf', 'object-streams.pdf']) files.push((await signPdf(fixture(name), agency, { level: 'B-LTA', tsaUrl: tsa.url, trust })).bytes);
});
afterAll(async () => {
  await tsa?.close();
  await logoutAll();
  await finalizeAllModules();
});

/** The value kept across verifications under `key`, or undefined when nothing is kept (outside a scope, remember computes). */
const kept = (key: string): unknown => remember(key, () => undefined);

describe('checks kept across verifications', () => {
  it('keeps the sender’s seal read, and its public key, after a verification', async () => {
    const report = await validatePdf(files[0]!, { trust, online: false });
    expect(report.verdict).toBe('valid');
    expect(kept(derKey('certificate-info', agency.certificate))).toMatchObject({ isCA: false });
    expect(kept(derKey('trust-certificate', agency.certificate))).toMatchObject({ isCA: false });
    expect(kept(derKey('x509-public-key', agency.certificate))).toBeDefined();
  });

  it('gives each document the report a thread with nothing kept gives it', async () => {
    const now = new Date();
    for (const file of files) {
      // A new thread for each file: it starts with nothing kept.
      const fresh = threadedValidator(WORKER, { threads: 1 });
      try {
        const cold = await fresh.validate(file, { trust, online: false, now });
        const warm = [await validatePdf(file, { trust, online: false, now }), await validatePdf(file, { trust, online: false, now })];
        expect(cold.verdict).toBe('valid');
        expect(warm[0]).toEqual(cold);
        expect(warm[1]).toEqual(cold);
      } finally {
        await fresh.close();
      }
    }
  });
});
