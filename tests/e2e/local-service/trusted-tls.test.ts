import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTlsMaterial, firefoxNssDbs, isCaTrustedInNssDb, OriginPolicy, startLocalService, trustCaInNssDb, type LocalService, type ServiceAnswer, type TlsMaterial } from '../../../src/core/local-service/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { startEOfficeSite, type EOfficeSite } from '../../kit/e-office-site.js';

// The TLS a browser accepts without flags: the local CA added to a fresh profile's NSS database (no --ignore-certificate-errors here).
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-local-tls-'));
// Chromium on Linux reads the user's NSS database from $HOME/.pki/nssdb.
const trustingHome = path.join(dir, 'home-trusting');
const freshHome = path.join(dir, 'home-fresh');
const nssDb = path.join(trustingHome, '.pki', 'nssdb');

let tls: TlsMaterial;
let site: EOfficeSite;
let service: LocalService;
const browsers: Browser[] = [];

const launch = async (home: string): Promise<Browser> => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS, env: { ...process.env, HOME: home } });
  browsers.push(browser);
  return browser;
};

const getVersion = async (browser: Browser): Promise<ServiceAnswer> => {
  const page = await browser.newPage();
  await page.goto(`${site.origin}/qlvb?service=${service.port}`);
  return page.evaluate(() => (window as unknown as { callSigningService: (o: string, r: unknown) => Promise<ServiceAnswer> }).callSigningService('GetVersion', {}));
};

beforeAll(async () => {
  mkdirSync(freshHome, { recursive: true });
  tls = await ensureTlsMaterial(path.join(dir, 'tls'));
  site = await startEOfficeSite();
  service = await startLocalService({
    port: 0,
    tls,
    policy: new OriginPolicy({ allowed: [site.origin] }),
    identity: () => Promise.reject(new Error('no signing in this test')),
    certificate: () => Promise.reject(new Error('no certificate in this test')),
    keptDir: path.join(dir, 'kept'),
    log: () => undefined,
    trust: await trustStoreFrom({ pemOrDerFiles: [], includeBundled: false }),
    caTrust: async () => ((await isCaTrustedInNssDb(nssDb, tls.caPem)) ? 'trusted' : 'not-trusted'),
    version: 'vanthu thử',
  });
});

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await service?.close();
  await site?.close();
});

describe('the local CA in a Chromium profile NSS database', () => {
  it('keeps the private keys readable by the user only, and the same CA across restarts', async () => {
    expect(statSync(path.join(dir, 'tls', 'local-ca.key')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'tls', 'localhost.key')).mode & 0o777).toBe(0o600);
    expect((await ensureTlsMaterial(path.join(dir, 'tls'))).caFingerprint).toBe(tls.caFingerprint);
  });

  it('without the CA the browser refuses both the socket and the status page', async () => {
    const browser = await launch(freshHome);
    expect(await getVersion(browser)).toMatchObject({ NoConnection: true });
    const page = await browser.newPage();
    await expect(page.goto(`https://127.0.0.1:${service.port}/`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
  });

  it('after the CA is added with certutil, the page signs through wss://127.0.0.1 and the status page says trusted', async () => {
    expect(await isCaTrustedInNssDb(nssDb, tls.caPem)).toBe(false);
    await trustCaInNssDb(nssDb, tls.caPath);
    // Adding again replaces rather than duplicates.
    await trustCaInNssDb(nssDb, tls.caPath);
    expect(await isCaTrustedInNssDb(nssDb, tls.caPem)).toBe(true);

    const browser = await launch(trustingHome);
    expect(await getVersion(browser)).toMatchObject({ Status: 0, Version: 'vanthu thử' });
    const page = await browser.newPage();
    const response = await page.goto(`https://127.0.0.1:${service.port}/`);
    expect(response?.status()).toBe(200);
    expect(await page.textContent('body')).toContain('đã tin cậy chứng thư của dịch vụ ký số vanthu');
    expect(await page.textContent('body')).toContain(tls.caFingerprint);
  });

  it('finds the Firefox profiles that have an NSS database and adds the CA to each', async () => {
    const home = path.join(dir, 'home-firefox');
    const profile = path.join(home, '.mozilla', 'firefox', 'abcd1234.default-release');
    const empty = path.join(home, '.mozilla', 'firefox', 'not-a-profile');
    mkdirSync(empty, { recursive: true });
    await trustCaInNssDb(profile, tls.caPath);
    expect(await firefoxNssDbs(home)).toEqual([profile]);
    expect(await isCaTrustedInNssDb(profile, tls.caPem)).toBe(true);
    expect(await isCaTrustedInNssDb(empty, tls.caPem)).toBe(false);
  });
});
