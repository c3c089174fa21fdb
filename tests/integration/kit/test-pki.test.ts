import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tokenNamed, usePki } from '../../kit/pki.js';

// The test PKI itself, checked with openssl and NSS: every other test relies on it.
const pki = usePki();
const leaderPem = tokenNamed(pki, 'VANTHU LEADER').objects[0]!.certPem;
const agencyPem = tokenNamed(pki, 'VANTHU AGENCY').objects[0]!.certPem;

const ocspStatus = (certPem: string): string =>
  execFileSync(
    'openssl',
    ['ocsp', '-issuer', pki.subCaPem, '-cert', certPem, '-url', pki.urls.ocsp, '-CAfile', pki.rootPem, '-verify_other', pki.subCaPem, '-timeout', '10'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );

describe('test PKI', () => {
  it('chains the leader and agency certificates to the root', () => {
    for (const cert of [leaderPem, agencyPem]) {
      const out = execFileSync('openssl', ['verify', '-CAfile', pki.rootPem, '-untrusted', pki.subCaPem, cert], { encoding: 'utf8' });
      expect(out.trim()).toBe(`${cert}: OK`);
    }
  });

  it('has the revoked certificate in the CRL served on loopback', async () => {
    const crl = Buffer.from(await (await fetch(pki.urls.crl)).arrayBuffer());
    const text = execFileSync('openssl', ['crl', '-inform', 'DER', '-noout', '-text'], { input: crl, encoding: 'utf8' });
    expect(text).toContain(`Serial Number: ${pki.revoked.certSerial}`);
    const verify = spawnSync('openssl', ['verify', '-crl_check', '-CAfile', pki.rootPem, '-untrusted', pki.subCaPem, '-CRLfile', pki.crlPem, pki.revoked.certPem], { encoding: 'utf8' });
    expect(verify.status).not.toBe(0);
    expect(verify.stdout + verify.stderr).toContain('certificate revoked');
  });

  it('answers OCSP on loopback: good for the leader, revoked for the revoked one', () => {
    expect(ocspStatus(leaderPem)).toContain(': good');
    const revoked = ocspStatus(pki.revoked.certPem);
    expect(revoked).toContain(': revoked');
    expect(revoked).toContain('Reason: keyCompromise');
  });

  it('gives pdfsig an NSS db that trusts the root', () => {
    const out = execFileSync('certutil', ['-L', '-d', pki.nssDbSpec], { encoding: 'utf8' });
    expect(out).toMatch(new RegExp(`${pki.nssRootNickname}\\s+CT,C,C`));
  });
});
