// Validation in worker threads (the app's incoming files): the same verdicts as inline, the caller's revocation cache used and filled through the port, the whole trust list (provisional roots, intermediates) carried to the thread.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { openDatabase, SqliteRevocationCache } from '../../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type RevocationCache, type TrustStore } from '../../../../src/core/trust/index.js';
import { threadedValidator, trustListFingerprint, validatePdf, type ThreadedValidator } from '../../../../src/core/validation/index.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../../kit/signing-key.js';

const pki = usePki();
const WORKER = new URL('../../../../src/core/validation/validate-worker.mjs', import.meta.url);
let agency: PdfSigningKey;
let sealed: Uint8Array;
let trust: TrustStore;
let validator: ThreadedValidator;
const dirs: string[] = [];

beforeAll(async () => {
  agency = await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa');
  sealed = (await signPdf(fixture('classic-xref.pdf'), agency, {})).bytes;
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  validator = threadedValidator(WORKER);
});

afterAll(async () => {
  await validator.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await logoutAll();
  await finalizeAllModules();
});

const tampered = (bytes: Uint8Array): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  const at = Buffer.from(copy).indexOf('stream\n') + 9;
  copy[at] = copy[at]! ^ 1;
  return copy;
};

describe('threadedValidator', () => {
  it('gives the inline verdicts: valid, invalid when a byte changed, indeterminate without the root', async () => {
    const nobody = await trustStoreFrom({ pemOrDerFiles: [] });
    const [good, bad, untrusted] = await Promise.all([
      validator.validate(sealed, { trust, online: false }),
      validator.validate(tampered(sealed), { trust, online: false }),
      validator.validate(sealed, { trust: nobody, online: false }),
    ]);
    const inline = await validatePdf(sealed, { trust, online: false });
    expect(good.verdict).toBe(inline.verdict);
    expect(good.signatures.map((s) => [s.verdict, s.indication, s.chain.trusted])).toEqual(inline.signatures.map((s) => [s.verdict, s.indication, s.chain.trusted]));
    expect(bad.verdict).toBe('invalid');
    expect(untrusted.verdict).toBe('indeterminate');
    expect(untrusted.signatures[0]!.findings.map((f) => f.code)).toContain('CHAIN_UNTRUSTED');
  });

  it("fills the caller's revocation cache from the thread, and the next check in the thread takes the answer from it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-threaded-'));
    dirs.push(dir);
    const db = openDatabase(path.join(dir, 'vanthu.db'));
    try {
      const store = new SqliteRevocationCache(db);
      let hits = 0;
      // The cache stays on this thread: the worker reaches it through the port.
      const cache: RevocationCache = {
        get: async (key, now) => {
          const entry = await store.get(key, now);
          if (entry) hits++;
          return entry;
        },
        put: (entry) => store.put(entry),
      };
      const first = await validator.validate(sealed, { trust, online: true, revocationCache: cache });
      expect(first.verdict).toBe('valid');
      expect(first.signatures[0]!.revocation.status).toBe('good');
      expect(hits).toBe(0);
      expect(db.prepare<[], number>("SELECT count(*) FROM revocation_cache WHERE kind = 'ocsp'").pluck().get()).toBe(1);
      const second = await validator.validate(sealed, { trust, online: true, revocationCache: cache });
      expect(second.verdict).toBe('valid');
      expect(hits).toBe(1);
    } finally {
      db.close();
    }
  });

  it('validates on the calling thread when the thread cannot start (an entry missing from a build), and says so', async () => {
    const failures: unknown[] = [];
    const broken = threadedValidator(new URL('./no-such-worker.mjs', WORKER), { onThreadFailure: (error) => failures.push(error) });
    try {
      expect(broken.inline).toBe(false);
      const [good, bad] = [await broken.validate(sealed, { trust, online: false }), await broken.validate(tampered(sealed), { trust, online: false })];
      expect(good.verdict).toBe((await validatePdf(sealed, { trust, online: false })).verdict);
      expect(good.signatures[0]!.chain.trusted).toBe(true);
      expect(bad.verdict).toBe('invalid');
      expect(broken.inline).toBe(true);
      expect(failures).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });

  it('carries which roots are provisional to the thread: the report says so as inline does', async () => {
    const provisional = { ...trust, provisional: new Set(trust.roots.map((der) => rootFingerprint(der))) };
    expect(trustListFingerprint(provisional)).not.toBe(trustListFingerprint(trust));
    const inline = await validatePdf(sealed, { trust: provisional, online: false });
    const threaded = await validator.validate(sealed, { trust: provisional, online: false });
    const codes = (report: typeof inline): string[] => report.signatures.flatMap((s) => s.findings.map((f) => f.code)).sort();
    expect(codes(threaded)).toEqual(codes(inline));
    expect(codes(inline)).not.toEqual(codes(await validatePdf(sealed, { trust, online: false })));
  });
});

function rootFingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}
