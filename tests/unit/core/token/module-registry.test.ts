import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_MODULES, listModuleCandidates } from '../../../../src/core/token/module-registry.js';

describe('listModuleCandidates', () => {
  it('knows the Vietnamese CAs of DOMAIN.md on Windows', async () => {
    const candidates = await listModuleCandidates({ platform: 'win32', searchDirs: ['C:\\Windows\\System32'] });
    const files = candidates.map((c) => path.win32.basename(c.path));
    for (const name of ['bit4xpki.dll', 'viettel-ca_v6.dll', 'vnptca_p11_v8.dll', 'fpt-ca_v5.dll', 'BkavCA.dll', 'eps2003csp11.dll', 'misaca_csp11_v2.dll']) {
      expect(files).toContain(name);
    }
    expect(candidates.every((c) => !c.present)).toBe(true);
  });

  it('finds installed modules in the search folders, once even when linked from two places', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-registry-'));
    writeFileSync(path.join(dir, 'libbit4xpki.so'), 'x');
    const other = mkdtempSync(path.join(tmpdir(), 'vanthu-registry-'));
    symlinkSync(path.join(dir, 'libbit4xpki.so'), path.join(other, 'libbit4xpki.so'));
    const candidates = await listModuleCandidates({ platform: 'linux', searchDirs: [dir, other] });
    const bit4id = candidates.filter((c) => c.path.endsWith('libbit4xpki.so'));
    expect(bit4id).toEqual([{ vendor: 'VGCA (Ban Cơ yếu) – Bit4id', path: path.join(dir, 'libbit4xpki.so'), present: true, userAdded: false }]);
    // FPT-CA's Linux module has an absolute path.
    expect(candidates.some((c) => c.path === '/usr/lib/fptca_v4.so')).toBe(true);
  });

  it('lists user-added paths first, present or not', async () => {
    const candidates = await listModuleCandidates({ platform: 'linux', searchDirs: [], userPaths: ['/usr/lib/softhsm/libsofthsm2.so', '/nowhere/x.so'] });
    expect(candidates.slice(0, 2)).toEqual([
      { vendor: 'user', path: '/usr/lib/softhsm/libsofthsm2.so', present: true, userAdded: true },
      { vendor: 'user', path: '/nowhere/x.so', present: false, userAdded: true },
    ]);
  });

  it('covers every OS for OpenSC', () => {
    const opensc = KNOWN_MODULES.find((m) => m.vendor === 'OpenSC');
    expect(Object.keys(opensc?.files ?? {}).sort()).toEqual(['darwin', 'linux', 'win32']);
  });
});
