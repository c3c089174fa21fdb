// Kept OCSP answers: the test PKI's responder made to answer with a one-minute nextUpdate, a counted fetch, and a crafted clock past it.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRevocation, layeredRevocationCache, MemoryRevocationCache, ocspKey, type RevocationCache } from '../../../../src/core/trust/index.js';
import { readCertificate } from '../../../../src/core/trust/certificate.js';
import { freePort } from '../../../kit/free-port.js';
import { closedPort, testCerts } from './kit.js';

const t = testCerts();
let responder: ChildProcess;
let shortLivedUrl: string;
let deadUrl: string;

/** `openssl ocsp` over the test PKI's index, whose answers hold for one minute only. */
async function startShortLivedResponder(port: number): Promise<ChildProcess> {
  const child = spawn(
    'openssl',
    ['ocsp', '-index', t.pki.ocsp.index, '-port', String(port), '-rsigner', t.pki.ocsp.certPem, '-rkey', t.pki.ocsp.keyPem, '-CA', t.pki.ocsp.caPem, '-nmin', '1', '-timeout', '5'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let said = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('waiting for OCSP client connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`openssl ocsp exited with ${code}: ${said}`)));
  });
  return child;
}

beforeAll(async () => {
  const port = await freePort();
  responder = await startShortLivedResponder(port);
  shortLivedUrl = `http://127.0.0.1:${port}/`;
  deadUrl = `http://127.0.0.1:${await closedPort()}/`;
});
afterAll(() => {
  responder?.kill();
});

/** The certificates' OCSP URL sent to `target` instead, every request counted. */
function countingFetch(target: () => string): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  const redirected: typeof fetch = (input, init) => {
    calls++;
    const url = String(input instanceof Request ? input.url : input);
    return fetch(url.startsWith(t.pki.urls.ocsp) ? target() : url, init);
  };
  return { fetch: redirected, calls: () => calls };
}

describe('revocation cache', () => {
  it('keeps an OCSP answer until its nextUpdate, then asks the responder again', async () => {
    const cache = new MemoryRevocationCache();
    const counted = countingFetch(() => shortLivedUrl);
    const at = new Date();
    const options = { at, online: true, methods: ['ocsp' as const], cache, fetch: counted.fetch };

    const first = await checkRevocation(t.leader, t.subCa, options);
    expect(first).toMatchObject({ status: 'good', source: 'ocsp' });
    expect(counted.calls()).toBe(1);
    const kept = await cache.get(ocspKey(readCertificate(t.leader), readCertificate(t.subCa)), at);
    expect(kept).toBeDefined();
    // The responder said one minute.
    expect(kept!.nextUpdate.getTime() - kept!.thisUpdate.getTime()).toBe(60_000);
    expect(Buffer.from(kept!.der).equals(Buffer.from(first.ocspResponse!))).toBe(true);

    const second = await checkRevocation(t.leader, t.subCa, { ...options, now: new Date(kept!.nextUpdate.getTime() - 1000) });
    expect(second).toMatchObject({ status: 'good', source: 'ocsp' });
    expect(counted.calls()).toBe(1);
    expect(Buffer.from(second.ocspResponse!).equals(Buffer.from(first.ocspResponse!))).toBe(true);

    // At nextUpdate the kept answer is over: the responder is asked again and the new answer kept.
    const third = await checkRevocation(t.leader, t.subCa, { ...options, now: kept!.nextUpdate });
    expect(third.status).toBe('good');
    expect(counted.calls()).toBe(2);
  });

  it('never uses a kept answer past its nextUpdate, even with the responder down', async () => {
    const cache = new MemoryRevocationCache();
    let target = shortLivedUrl;
    const counted = countingFetch(() => target);
    const at = new Date();
    const options = { at, online: true, methods: ['ocsp' as const], cache, fetch: counted.fetch };
    expect((await checkRevocation(t.leader, t.subCa, options)).status).toBe('good');
    const kept = await cache.get(ocspKey(readCertificate(t.leader), readCertificate(t.subCa)), at);

    target = deadUrl;
    // Before nextUpdate the kept answer stands in for the silent responder.
    const before = await checkRevocation(t.leader, t.subCa, { ...options, now: new Date(kept!.nextUpdate.getTime() - 1) });
    expect(before.status).toBe('good');
    expect(counted.calls()).toBe(1);
    // After it, nothing is known.
    const after = await checkRevocation(t.leader, t.subCa, { ...options, now: new Date(kept!.nextUpdate.getTime() + 1) });
    expect(after.status).toBe('unknown');
    expect(after.problems.map((p) => p.code)).toContain('TRUST_REVOCATION_UNREACHABLE');
    expect(counted.calls()).toBe(2);
  });

  it('with a process\'s memory in front of a shared cache: a fetched answer goes to both, one found there is kept nearby, neither is given past its nextUpdate', async () => {
    const [near, shared] = [new MemoryRevocationCache(), new MemoryRevocationCache()];
    let sharedAsked = 0;
    const far: RevocationCache = { get: (key, now) => (sharedAsked++, shared.get(key, now)), put: (entry) => shared.put(entry) };
    const counted = countingFetch(() => shortLivedUrl);
    const at = new Date();
    const key = ocspKey(readCertificate(t.leader), readCertificate(t.subCa));
    const fetched = await checkRevocation(t.leader, t.subCa, { at, online: true, methods: ['ocsp'], cache: layeredRevocationCache(near, far), fetch: counted.fetch });
    expect(fetched.status).toBe('good');
    expect([near.size, shared.size, counted.calls()]).toEqual([1, 1, 1]);

    // Another process: its memory is empty, the shared cache answers once and its memory keeps the answer.
    const otherNear = new MemoryRevocationCache();
    const other = layeredRevocationCache(otherNear, far);
    sharedAsked = 0;
    for (let i = 0; i < 3; i++) expect((await checkRevocation(t.leader, t.subCa, { at, online: true, methods: ['ocsp'], cache: other, fetch: counted.fetch })).status).toBe('good');
    expect([sharedAsked, otherNear.size, counted.calls()]).toEqual([1, 1, 1]);

    // Past nextUpdate neither gives it: both are asked, then the responder.
    const nextUpdate = (await shared.get(key, at))!.nextUpdate;
    expect(await other.get(key, nextUpdate)).toBeUndefined();
    expect(sharedAsked).toBe(2);
    expect((await checkRevocation(t.leader, t.subCa, { at, now: nextUpdate, online: true, methods: ['ocsp'], cache: other, fetch: counted.fetch })).status).toBe('good');
    expect(counted.calls()).toBe(2);
  });

  it('keys answers by issuer and serial: a kept answer for one certificate is not another one\'s', async () => {
    const cache = new MemoryRevocationCache();
    const counted = countingFetch(() => shortLivedUrl);
    const options = { at: new Date(), online: true, methods: ['ocsp' as const], cache, fetch: counted.fetch };
    expect((await checkRevocation(t.leader, t.subCa, options)).status).toBe('good');
    const revoked = await checkRevocation(t.revoked, t.subCa, options);
    expect(revoked).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
    expect(counted.calls()).toBe(2);
    // The revoked answer is kept too, and given again without the network.
    expect((await checkRevocation(t.revoked, t.subCa, options)).status).toBe('revoked');
    expect(counted.calls()).toBe(2);
    expect(cache.size).toBe(2);
  });

  it('asks the network when the cache fails, and the file\'s own evidence before the cache', async () => {
    const broken: RevocationCache = {
      get: () => Promise.reject(new Error('database is locked')),
      put: () => Promise.reject(new Error('database is locked')),
    };
    const counted = countingFetch(() => shortLivedUrl);
    const good = await checkRevocation(t.leader, t.subCa, { at: new Date(), online: true, methods: ['ocsp'], cache: broken, fetch: counted.fetch });
    expect(good.status).toBe('good');
    expect(counted.calls()).toBe(1);

    // Evidence at hand (a DSS) settles it before the cache is even asked.
    let asked = 0;
    const watching: RevocationCache = { get: () => (asked++, Promise.resolve(undefined)), put: () => Promise.resolve() };
    const fromFile = await checkRevocation(t.leader, t.subCa, { at: new Date(), online: true, ocspResponses: [good.ocspResponse!], cache: watching, fetch: counted.fetch });
    expect(fromFile.status).toBe('good');
    expect(asked).toBe(0);
    expect(counted.calls()).toBe(1);
  });
});
