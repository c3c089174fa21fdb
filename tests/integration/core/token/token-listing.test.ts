import { afterAll, describe, expect, it } from 'vitest';
import { finalizeAllModules, listTokens, TokenSession } from '../../../../src/core/token/index.js';
import { usePki } from '../../../kit/pki.js';

const pki = usePki();
afterAll(finalizeAllModules);

describe('listTokens on SoftHSM', () => {
  it('lists every initialised token, not the empty slot SoftHSM adds', async () => {
    const [report] = await listTokens([pki.module]);
    expect(report?.loaded).toBe(true);
    const labels = report!.tokens.map((t) => t.label).sort();
    expect(labels).toEqual(pki.tokens.map((t) => t.label).sort());
    for (const token of report!.tokens) {
      expect(token.serial).toBe(pki.tokens.find((t) => t.label === token.label)?.serial);
      expect(token.manufacturer).toBe('SoftHSM project');
      expect(token.flags.tokenInitialized).toBe(true);
      expect(token.flags.loginRequired).toBe(true);
    }
  });

  it('reads each token certificate with its id, label and Vietnamese subject', async () => {
    const [report] = await listTokens([pki.module]);
    const leader = report!.tokens.find((t) => t.label === 'VANTHU LEADER')!;
    expect(leader.certificates.map((c) => [c.id, c.label, c.certificate.subject.commonName])).toEqual([
      ['01', 'leader-rsa', 'Nguyễn Thị Hồng Nhung'],
      ['02', 'leader-ec', 'Nguyễn Thị Hồng Nhung'],
    ]);
    const agency = report!.tokens.find((t) => t.label === 'VANTHU AGENCY')!;
    expect(agency.certificates[0]?.certificate.subject.commonName).toBe('UBND tỉnh Cao Bằng');
    expect(agency.certificates[0]?.certificate.vietnameseIds.taxCode).toBe('4800123456');
  });

  it('cannot tell about private keys before login, and finds them after', async () => {
    const session = await TokenSession.open(pki.module, { label: 'VANTHU AGENCY' });
    expect((await session.certificates()).map((c) => c.privateKey)).toEqual(['unknown']);
    await session.login(pki.userPin);
    try {
      const [certificate] = await session.certificates();
      expect(certificate?.privateKey).toBe('present');
      expect(certificate?.alwaysAuthenticate).toBe(false);
    } finally {
      await session.logout();
    }
  });

  it('reports a module that cannot load instead of throwing', async () => {
    const reports = await listTokens(['/etc/hostname', pki.module]);
    expect(reports[0]).toMatchObject({ loaded: false, error: { code: 'TOKEN_MODULE_NOT_LIBRARY' }, tokens: [] });
    expect(reports[1]?.loaded).toBe(true);
  });

  it('says which token is missing', async () => {
    await expect(TokenSession.open(pki.module, { label: 'KHÔNG CÓ' })).rejects.toMatchObject({
      code: 'TOKEN_NOT_FOUND',
      messageVi: expect.stringContaining('KHÔNG CÓ'),
    });
  });
});
