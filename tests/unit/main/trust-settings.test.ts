import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildChain } from '../../../src/core/trust/index.js';
import { refreshTrust, trustFromSettings } from '../../../src/main/trust-settings.js';
import { usePki } from '../../kit/pki.js';

const pki = usePki();
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-trust-settings-'));
const G2_ROOT_FILE = 'RootCA_chuyen_dung_Chinh_phu_G2.pem';

describe('trust from the app settings', () => {
  it('trusts the bundle by default, adds extra root files, skips a broken one and says which', async () => {
    const broken = path.join(dir, 'broken.pem');
    writeFileSync(broken, 'not a certificate');
    const bad: string[] = [];
    const leader = new Uint8Array(readFileSync(pki.tokens[0]!.objects[0]!.certDer));
    const subCa = new Uint8Array(readFileSync(pki.subCaDer));
    const plain = await trustFromSettings({});
    expect(plain.roots).toHaveLength(10);
    expect(buildChain(leader, [subCa], plain, new Date()).trusted).toBe(false);
    const store = await trustFromSettings({ extraTrustRoots: [broken, pki.rootPem] }, { onBadFile: (file) => bad.push(file) });
    expect(bad).toEqual([broken]);
    expect(store.roots).toHaveLength(11);
    expect(buildChain(leader, [subCa], store, new Date()).trusted).toBe(true);
  });

  it('refreshes the shared store in place when the user disables a bundled root', async () => {
    const store = await trustFromSettings({});
    const held = store;
    await refreshTrust(store, { disabledBundledRoots: [G2_ROOT_FILE] });
    expect(held.roots).toHaveLength(9);
    expect(held.roots.some((der) => Buffer.from(der).toString('latin1').includes('G2'))).toBe(false);
  });
});
