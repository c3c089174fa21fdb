// The server's verification: a pool of worker threads gives the inline verdicts, submissions go through it; the verdict cache keys by file, trust list and day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { cachedVerifier, inlineVerifier, poolVerifier, trustFingerprint, type PdfVerifier, type VerifyRequest } from '../../../src/server/messages/verifier.js';
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
function counted(roots: TrustStore): PdfVerifier & { runs: number } {
  const inner = inlineVerifier(roots);
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

  it('keeps a decided verdict per (file, trust list, day): the same bytes are verified once; another file, day or trust list is verified again', async () => {
    const inner = counted(trust);
    const cache = cachedVerifier(inner, trust, 2);
    const noon = new Date('2026-12-07T05:00:00Z');
    const [a, b] = await Promise.all([cache.verify(request(sealed, noon)), cache.verify(request(sealed, noon))]);
    expect(inner.runs).toBe(1);
    expect(cache.hits).toBe(1);
    expect(await cache.verify(request(sealed, new Date('2026-12-07T16:59:00Z')))).toEqual(a);
    expect(inner.runs).toBe(1);
    expect(b).toEqual(a);
    // A copy each time: a caller changing its report does not change the cached one.
    a.signatures.length = 0;
    expect((await cache.verify(request(sealed, noon))).signatures).toHaveLength(1);
    expect(inner.runs).toBe(1);

    await cache.verify(request(sealed, new Date('2026-12-08T01:00:00Z')));
    expect(inner.runs).toBe(2);
    await cache.verify(request(sealed, noon, false));
    expect(inner.runs).toBe(3);
    // Bounded: the least recently used entry goes.
    await cache.verify(request(other, noon));
    expect(cache.size).toBe(2);
    expect(inner.runs).toBe(4);

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
