// The trusted roots channels end to end through the dispatcher: a test-PKI root added and trusted, a non-CA certificate refused, a bundled root turned off and back on, the added root removed.
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonFileSettingsStore } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { createDispatcher, type Dispatch } from '../../../src/main/ipc/dispatcher.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { createHandlers } from '../../../src/main/services.js';
import { trustFromSettings } from '../../../src/main/trust-settings.js';
import type { TrustStore } from '../../../src/core/trust/index.js';
import type { TrustList } from '../../../src/shared/ipc/trust.js';
import { usePki } from '../../kit/pki.js';

const pki = usePki();
let dataDir: string;
let runtime: AppRuntime;
let settings: JsonFileSettingsStore;
let trust: TrustStore;
let dispatch: Dispatch;

const sha256 = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');
const storeHas = (fingerprint: string): boolean => trust.roots.some((der) => sha256(der) === fingerprint);

async function call(channel: string, request: unknown): Promise<TrustList> {
  const result = await dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.messageEn}`);
  return result.value as TrustList;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-trust-'));
  settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
  // A server that never answers: enough for the runtime to build its exchange engine, which hears of trust changes.
  settings.set({ serverUrl: 'http://127.0.0.1:9' });
  trust = await trustFromSettings(settings.get());
  runtime = await startRuntime({ dataDir, modulePaths: [], trust, tokenPollMs: 60_000, settings: settings.get() });
  dispatch = createDispatcher(createHandlers({ version: 'test', userModulePaths: () => [], runtime, settings, trust }));
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
  await finalizeAllModules();
});

describe('trusted roots in the app', () => {
  it('lists the bundled roots with their facts, provisional ones marked, all on by default', async () => {
    const list = await call('trust.list', {});
    expect(list.extra).toEqual([]);
    const g3 = list.bundled.find((root) => root.subjectName === 'Vietnam National Root CA G3');
    expect(g3).toMatchObject({ provisional: false, enabled: true, selfSigned: true });
    expect(g3!.validFrom).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    const provisional = list.bundled.filter((root) => root.provisional);
    expect(provisional.length).toBe(5);
    for (const root of list.bundled) expect(storeHas(root.fingerprint)).toBe(true);
  });

  it('adds a test-PKI root from PEM, keeps a private copy in the data folder, and trusts it at once', async () => {
    const rootDer = new Uint8Array(readFileSync(pki.rootDer));
    const fingerprint = sha256(rootDer);
    expect(storeHas(fingerprint)).toBe(false);
    const list = await call('trust.addRoot', { certificateBase64: readFileSync(pki.rootPem).toString('base64') });
    expect(list.extra).toEqual([expect.objectContaining({ fingerprint, selfSigned: true, file: path.join(dataDir, 'trust', `${fingerprint}.pem`) })]);
    const copy = list.extra[0]!.file;
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(copy)).mode & 0o777).toBe(0o700);
    expect(settings.get().extraTrustRoots).toEqual([copy]);
    expect(storeHas(fingerprint)).toBe(true);
  });

  it('tells the exchange engine the trust list changed, so held documents are checked again', async () => {
    const engine = runtime.exchange.engine!;
    expect(engine).toBeDefined();
    const rechecked = new Promise<{ trigger: string }>((resolve) => engine.once('rechecked', resolve));
    await call('trust.setBundledEnabled', { fingerprint: (await call('trust.list', {})).bundled[0]!.fingerprint, enabled: true });
    expect((await rechecked).trigger).toBe('trust-changed');
  });

  it('adds an intermediate CA given as DER (a CA need not be self-signed)', async () => {
    const subCa = new X509Certificate(readFileSync(pki.subCaPem));
    const list = await call('trust.addRoot', { certificateBase64: subCa.raw.toString('base64') });
    expect(list.extra.find((root) => root.fingerprint === sha256(subCa.raw))).toMatchObject({ selfSigned: false });
    expect(storeHas(sha256(subCa.raw))).toBe(true);
  });

  it('refuses a certificate that is not a CA, in both languages, and changes nothing', async () => {
    const leafPem = pki.tokens[0]!.objects[0]!.certPem;
    const before = settings.get().extraTrustRoots;
    const result = await dispatch('trust.addRoot', { certificateBase64: readFileSync(leafPem).toString('base64') });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('TRUST_ROOT_NOT_CA');
      expect(result.error.messageVi).toContain('không phải chứng thư của tổ chức cấp chứng thư');
      expect(result.error.messageEn).toContain('is not a certification authority');
    }
    const garbage = await dispatch('trust.addRoot', { certificateBase64: Buffer.from('not a certificate').toString('base64') });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'TRUST_ROOT_BYTES_INVALID' } });
    expect(settings.get().extraTrustRoots).toEqual(before);
  });

  it('turns a bundled root off (gone from the store) and on again', async () => {
    const g3 = (await call('trust.list', {})).bundled.find((root) => root.subjectName === 'Vietnam National Root CA G3')!;
    const off = await call('trust.setBundledEnabled', { fingerprint: g3.fingerprint.toUpperCase().match(/../g)!.join(':'), enabled: false });
    expect(off.bundled.find((root) => root.fingerprint === g3.fingerprint)).toMatchObject({ enabled: false });
    expect(settings.get().disabledBundledRoots).toEqual([g3.fingerprint]);
    expect(storeHas(g3.fingerprint)).toBe(false);
    const on = await call('trust.setBundledEnabled', { fingerprint: g3.fingerprint, enabled: true });
    expect(on.bundled.find((root) => root.fingerprint === g3.fingerprint)).toMatchObject({ enabled: true });
    expect(storeHas(g3.fingerprint)).toBe(true);
  });

  it('turns on a root that was disabled by file name', async () => {
    settings.set({ disabledBundledRoots: ['MIC_National_Root_CA.pem'] });
    const mic = (await call('trust.list', {})).bundled.find((root) => root.subjectName.includes('MIC'))!;
    expect(mic.enabled).toBe(false);
    const on = await call('trust.setBundledEnabled', { fingerprint: mic.fingerprint, enabled: true });
    expect(on.bundled.find((root) => root.fingerprint === mic.fingerprint)).toMatchObject({ enabled: true });
    expect(settings.get().disabledBundledRoots).toEqual([]);
  });

  it('removes the added root: no longer trusted, its copy deleted', async () => {
    const fingerprint = sha256(new Uint8Array(readFileSync(pki.rootDer)));
    const copy = path.join(dataDir, 'trust', `${fingerprint}.pem`);
    const list = await call('trust.removeRoot', { fingerprint });
    expect(list.extra.map((root) => root.fingerprint)).not.toContain(fingerprint);
    expect(existsSync(copy)).toBe(false);
    expect(storeHas(fingerprint)).toBe(false);
    const again = await dispatch('trust.removeRoot', { fingerprint });
    expect(again).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});
