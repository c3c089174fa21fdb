// The server's verification: a pool of worker threads gives the inline verdicts, submissions go through it; the verdict cache keys by file and trust list and lasts as long as the revocation data used.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { MemoryRevocationCache, trustStoreFrom, type RevocationCache, type TrustStore } from '../../../src/core/trust/index.js';
import { watchedRevocationCache } from '../../../src/server/messages/revocation-cache.js';
import { cachedVerifier, inlineVerifier, poolVerifier, trustFingerprint, VERDICT_MAX_AGE_MS, type PdfVerifier, type VerifyRequest } from '../../../src/server/messages/verifier.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { envelope, expectRefusal, login, sha256, startTestServer, submit, testKeys, upload, type Keys, type TestServer } from './kit.js';

const pki = usePki();
let keys: Keys;
let sealed: Uint8Array;
let other: Uint8Array;
let trust: TrustStore;
let nobody: TrustStore;

beforeAll(async () => {
  keys = await testKeys(pki);
  sealed = (await signPdf(fixture('classic-xref.pdf'), keys.agency, {})).bytes;
  other = (await signPdf(fixture('xref-stream.pdf'), keys.agency, {})).bytes;
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  nobody = await trustStoreFrom({ pemOrDerFiles: [] });
});

afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

const request = (bytes: Uint8Array, now = new Date(), online = true): VerifyRequest => ({ bytes, sha256: sha256(bytes), online, now });

/** The inline verifier with a count of the verifications that really ran. */
function counted(roots: TrustStore, revocation?: RevocationCache): PdfVerifier & { runs: number } {
  const inner = inlineVerifier(roots, revocation);
  const out = {
    runs: 0,
    threads: 0,
    verify: (r: VerifyRequest) => {
      out.runs++;
      return inner.verify(r);
    },
    close: () => inner.close(),
  };
  return out;
}

describe('server verification', () => {
  it('carries the whole trust list to its threads: a provisional root is reported as inline reports it, and the verdict cache tells the lists apart', async () => {
    const fingerprint = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');
    const provisional: TrustStore = { ...trust, provisional: new Set(trust.roots.map(fingerprint)) };
    const pool = poolVerifier(provisional, 1);
    try {
      const codes = (report: Awaited<ReturnType<PdfVerifier['verify']>>): string[] => report.signatures.flatMap((s) => s.findings.map((f) => f.code)).sort();
      const threaded = await pool.verify(request(sealed, new Date(), false));
      const inline = await inlineVerifier(provisional).verify(request(sealed, new Date(), false));
      expect(codes(threaded)).toEqual(codes(inline));
      expect(codes(inline)).toContain('PROVISIONAL_ROOT');
      expect(trustFingerprint(provisional)).not.toBe(trustFingerprint(trust));
    } finally {
      await pool.close();
    }
  });

  it('verifies in worker threads with the same verdicts as inline: valid, invalid when tampered, indeterminate without the root', async () => {
    const pool = poolVerifier(trust, 2);
    const poolWithoutRoots = poolVerifier(nobody, 1);
    try {
      const tampered = Uint8Array.from(sealed);
      const at = Buffer.from(tampered).indexOf('stream\n') + 9;
      tampered[at] = tampered[at]! ^ 1;
      const [good, bad, both] = await Promise.all([pool.verify(request(sealed)), pool.verify(request(tampered)), pool.verify(request(other))]);
      const inline = await inlineVerifier(trust).verify(request(sealed));
      expect(good.verdict).toBe('valid');
      expect(good.file.sha256).toBe(sha256(sealed));
      expect(good.signatures.map((s) => [s.verdict, s.chain.trusted, s.revocation.status])).toEqual(inline.signatures.map((s) => [s.verdict, s.chain.trusted, s.revocation.status]));
      expect(bad.verdict).toBe('invalid');
      expect(both.verdict).toBe('valid');
      const untrusted = await poolWithoutRoots.verify(request(sealed));
      expect(untrusted.verdict).toBe('indeterminate');
      expect(untrusted.signatures[0]!.findings.map((f) => f.code)).toContain('CHAIN_UNTRUSTED');
    } finally {
      await pool.close();
      await poolWithoutRoots.close();
    }
  });

  it('keeps a decided verdict per (file, trust list) until the nextUpdate of the revocation answers it used', async () => {
    const seen: Date[] = [];
    const revocation = new MemoryRevocationCache();
    const inner = counted(trust, watchedRevocationCache(revocation, (nextUpdate) => seen.push(nextUpdate)));
    const cache = cachedVerifier(inner, trust, 2);
    const now = new Date();
    const [a, b] = await Promise.all([cache.verify(request(sealed, now)), cache.verify(request(sealed, now))]);
    expect(a.verdict).toBe('valid');
    expect(inner.runs).toBe(1);
    expect(cache.hits).toBe(1);
    expect(b).toEqual(a);
    // The B-B file's OCSP answer (the test responder gives one day) was kept; the verdict lasts as long.
    expect(revocation.size).toBe(1);
    expect(seen).toHaveLength(1);
    const nextUpdate = seen[0]!.getTime();
    expect(nextUpdate).toBeGreaterThan(now.getTime());
    expect(await cache.verify(request(sealed, new Date(nextUpdate - 1000)))).toEqual(a);
    expect(inner.runs).toBe(1);
    // A copy each time: a caller changing its report does not change the cached one.
    a.signatures.length = 0;
    expect((await cache.verify(request(sealed, now))).signatures).toHaveLength(1);
    expect(inner.runs).toBe(1);

    // At the answer's nextUpdate the verdict is over: verified again.
    await cache.verify(request(sealed, new Date(nextUpdate)));
    expect(inner.runs).toBe(2);
    // A verdict made at the answer's nextUpdate is not kept; offline (revocation unknown, indeterminate) neither.
    expect(cache.size).toBe(0);
    await cache.verify(request(sealed, now, false));
    expect(inner.runs).toBe(3);
    await cache.verify(request(other, now));
    await cache.verify(request(sealed, now));
    expect(cache.size).toBe(2);
    expect(inner.runs).toBe(5);
    // Bounded: the least recently used entry goes.
    const small = cachedVerifier(counted(trust, revocation), trust, 1);
    await small.verify(request(sealed, now));
    await small.verify(request(other, now));
    expect(small.size).toBe(1);

    // A verdict that used no kept answer (no revocation cache here) lasts VERDICT_MAX_AGE_MS.
    const plain = counted(trust);
    const uncached = cachedVerifier(plain, trust, 2);
    expect((await uncached.verify(request(sealed, now))).verdict).toBe('valid');
    await uncached.verify(request(sealed, new Date(now.getTime() + VERDICT_MAX_AGE_MS - 1000)));
    expect(plain.runs).toBe(1);
    await uncached.verify(request(sealed, new Date(now.getTime() + VERDICT_MAX_AGE_MS)));
    expect(plain.runs).toBe(2);
    const noon = now;

    const otherTrust = counted(nobody);
    const separate = cachedVerifier(otherTrust, nobody, 10);
    expect(trustFingerprint(nobody)).not.toBe(trustFingerprint(trust));
    // Indeterminate (no root here) is not kept: asked again each time.
    expect((await separate.verify(request(sealed, noon))).verdict).toBe('indeterminate');
    await separate.verify(request(sealed, noon));
    expect(otherTrust.runs).toBe(2);
    expect(separate.size).toBe(0);
  });

  it('accepts a submission and refuses a tampered one through the pool (SQLite)', async () => {
    let server: TestServer | undefined;
    try {
      server = await startTestServer(pki, keys, 'sqlite', { verification: { threads: 1 } });
      const token = await login(server.app, keys.agency);
      const good = await upload(server.app, token, sealed);
      const accepted = await submit(server.app, token, envelope([{ sha256: good }]));
      expect(accepted.statusCode, accepted.body).toBe(201);
      const appended = Buffer.concat([other, Buffer.from('\n% added after signing\n')]);
      const bad = await upload(server.app, token, appended);
      const refused = expectRefusal(await submit(server.app, token, envelope([{ sha256: bad }])), 422, 'SERVER_SUBMISSION_INVALID');
      expect(refused.reasons?.map((r) => r.code)).toContain('SERVER_PDF_NOT_COVERED');
    } finally {
      await server?.close();
    }
  });
});
