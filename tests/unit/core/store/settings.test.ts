import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonFileSettingsStore } from '../../../../src/core/store/index.js';
import { defaultSettings, type SettingsPatch } from '../../../../src/shared/settings.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const settingsFile = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-settings-'));
  dirs.push(dir);
  return path.join(dir, 'nested', 'settings.json');
};

describe('JsonFileSettingsStore', () => {
  it('starts from the defaults and keeps what was set across instances', () => {
    const file = settingsFile();
    const first = new JsonFileSettingsStore(file);
    expect(first.get()).toEqual(defaultSettings);
    first.set({ serverUrl: 'https://trucliên.gov.vn/api', tsaUrl: 'http://tsa.ca.gov.vn', tokenModules: ['/usr/lib/libbit4xpki.so'], language: 'en' });
    first.set({ sealImagePath: '/home/vt/con-dau.png' });
    const second = new JsonFileSettingsStore(file);
    expect(second.get()).toEqual({
      serverUrl: 'https://trucliên.gov.vn/api',
      tsaUrl: 'http://tsa.ca.gov.vn',
      tokenModules: ['/usr/lib/libbit4xpki.so'],
      signatureImagePath: null,
      sealImagePath: '/home/vt/con-dau.png',
      language: 'en',
    });
    expect(second.loadProblem).toBeUndefined();
    expect(readdirSync(path.dirname(file))).toEqual(['settings.json']);
  });

  it('keeps the optional settings (exchange login, signing level) across instances, not only those with a default', () => {
    const file = settingsFile();
    new JsonFileSettingsStore(file).set({ exchangeLogin: { module: '/usr/lib/softhsm/libsofthsm2.so', label: 'DON VI', cert: 'don-vi' }, defaultLevel: 'B-B', receiptConfirmation: 'auto' });
    expect(new JsonFileSettingsStore(file).get()).toMatchObject({ exchangeLogin: { module: '/usr/lib/softhsm/libsofthsm2.so', label: 'DON VI', cert: 'don-vi' }, defaultLevel: 'B-B', receiptConfirmation: 'auto' });
  });

  it('refuses bad values and unknown keys (a PIN above all) and writes nothing', () => {
    const file = settingsFile();
    const store = new JsonFileSettingsStore(file);
    store.set({ language: 'vi' });
    const before = readFileSync(file, 'utf8');
    expect(() => store.set({ serverUrl: 'ftp://x' })).toThrow(expect.objectContaining({ code: 'STORE_SETTINGS_INVALID' }));
    expect(() => store.set({ language: 'fr' } as unknown as SettingsPatch)).toThrow(expect.objectContaining({ code: 'STORE_SETTINGS_INVALID' }));
    expect(() => store.set({ pin: '123456' } as unknown as SettingsPatch)).toThrow(expect.objectContaining({ code: 'STORE_SETTINGS_INVALID' }));
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readFileSync(file, 'utf8')).not.toContain('123456');
  });

  it('starts with defaults when the file is damaged, keeping the damaged file aside', () => {
    const file = settingsFile();
    new JsonFileSettingsStore(file).set({ language: 'en' });
    writeFileSync(file, '{"language": "en", "serverUrl": ');
    const store = new JsonFileSettingsStore(file);
    expect(store.get()).toEqual(defaultSettings);
    expect(store.loadProblem?.keptAs).toMatch(/settings\.json\.unreadable-\d+$/);
    expect(readFileSync(store.loadProblem!.keptAs, 'utf8')).toBe('{"language": "en", "serverUrl": ');
  });

  it('hands out copies, so a caller cannot change the settings without set()', () => {
    const store = new JsonFileSettingsStore(settingsFile());
    store.get().tokenModules.push('/tmp/evil.so');
    expect(store.get().tokenModules).toEqual([]);
  });
});
