import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { usePki } from '../../kit/pki.js';

const pki = usePki();

const vanthu = (...args: string[]) => {
  const result = spawnSync(process.execPath, ['bin/vanthu.mjs', ...args], {
    env: { ...process.env, SOFTHSM2_CONF: pki.softhsmConf },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('vanthu token list', () => {
  it('lists the SoftHSM tokens and certificates as JSON', () => {
    const { code, stdout } = vanthu('token', 'list', '--module', '/usr/lib/softhsm/libsofthsm2.so', '--json');
    expect(code).toBe(0);
    const output = JSON.parse(stdout) as {
      ok: boolean;
      modules: { loaded: boolean; tokens: { label: string; serial: string; certificates: { id: string; label: string; certificate: { subject: { commonName: string }; vietnameseIds: Record<string, string>; publicKey: { type: string } } }[] }[] }[];
    };
    expect(output.ok).toBe(true);
    const tokens = output.modules[0]!.tokens;
    for (const expected of pki.tokens) {
      const token = tokens.find((t) => t.label === expected.label);
      expect(token?.serial).toBe(expected.serial);
      expect(token?.certificates.map((c) => [c.id, c.label, c.certificate.subject.commonName, c.certificate.publicKey.type])).toEqual(
        expected.objects.map((o) => [o.id, o.label, o.subjectCN, o.keyType]),
      );
    }
    expect(tokens.find((t) => t.label === 'VANTHU AGENCY')?.certificates[0]?.certificate.vietnameseIds).toEqual({ taxCode: '4800123456' });
  });

  it('prints a readable listing with Vietnamese names', () => {
    const { code, stdout } = vanthu('token', 'list', '--module', pki.module);
    expect(code).toBe(0);
    expect(stdout).toContain('Token "VANTHU LEADER"');
    expect(stdout).toContain('Nguyễn Thị Hồng Nhung');
    expect(stdout).toContain('UID=CCCD:004190012345');
  });

  it('exits 2 with a bilingual reason for a file that is not a module', () => {
    const { code, stdout } = vanthu('token', 'list', '--module', '/etc/hostname', '--json');
    expect(code).toBe(2);
    const output = JSON.parse(stdout) as { ok: boolean; modules: { error: { code: string; messageVi: string } }[] };
    expect(output.ok).toBe(false);
    expect(output.modules[0]!.error.code).toBe('TOKEN_MODULE_NOT_LIBRARY');
    expect(output.modules[0]!.error.messageVi).toContain('không phải là thư viện PKCS#11');
  });

  it('exits 2 for a missing module and for bad usage', () => {
    expect(vanthu('token', 'list', '--module', '/nowhere/vnptca_p11_v8.so').code).toBe(2);
    const bad = vanthu('token', 'list', '--bogus');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Cách dùng không đúng');
    expect(vanthu('tokens').code).toBe(2);
  });
});
