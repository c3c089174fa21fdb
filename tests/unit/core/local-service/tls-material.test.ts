// The local CA can vouch for loopback only: critical nameConstraints, checked by pkijs and by `openssl verify`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as pkijs from 'pkijs';
import { afterAll, describe, expect, it } from 'vitest';
import * as asn1js from 'asn1js';
import { certificateSerial, ensureTlsMaterial, NAME_CONSTRAINTS_OID } from '../../../../src/core/local-service/tls-material.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-tls-material-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const der = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
const firstPem = (chain: string): string => chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/)![0];
const openssl = (args: string[]): { status: number | null; output: string } => {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

/** A server certificate for `dnsName`, signed with the kept CA key by openssl: what a thief of the key could make. */
function issueWithCaKey(tlsDir: string, dnsName: string): string {
  const work = mkdtempSync(path.join(dir, 'rogue-'));
  const [key, csr, cert, ext] = ['rogue.key', 'rogue.csr', 'rogue.pem', 'rogue.ext'].map((name) => path.join(work, name)) as [string, string, string, string];
  writeFileSync(ext, `subjectAltName=DNS:${dnsName}\nextendedKeyUsage=serverAuth\n`);
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-subj', `/CN=${dnsName}`, '-out', csr], { stdio: 'pipe' });
  execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', path.join(tlsDir, 'local-ca.pem'), '-CAkey', path.join(tlsDir, 'local-ca.key'), '-CAcreateserial', '-days', '30', '-extfile', ext, '-out', cert], { stdio: 'pipe' });
  return cert;
}

describe('certificateSerial', () => {
  it('is a positive DER INTEGER of 16 bytes with no leading zero, whatever the random bytes (a zero first byte made OpenSSL refuse the certificate)', () => {
    for (const first of [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff]) {
      for (const second of [0x00, 0x7f, 0x80]) {
        const random = new Uint8Array(16).fill(0x5a);
        random[0] = first;
        random[1] = second;
        const serial = certificateSerial(random);
        expect(serial[0], `first byte from ${first}`).toBeGreaterThanOrEqual(1);
        expect(serial[0]).toBeLessThanOrEqual(0x7f);
        expect(Array.from(serial.subarray(1))).toEqual(Array.from(random.subarray(1)));
        // DER: the content is the 16 bytes as they are (no zero added or needed).
        const der = new Uint8Array(new asn1js.Integer({ valueHex: serial }).toBER(false));
        expect(Array.from(der.subarray(0, 2))).toEqual([0x02, 16]);
      }
    }
  });
});

describe('the local CA made by ensureTlsMaterial', () => {
  it('carries critical name constraints permitting only localhost, 127.0.0.1/32 and ::1/128, and pathLenConstraint 0', async () => {
    const tls = await ensureTlsMaterial(path.join(dir, 'fresh'));
    expect(tls.caReplaced).toBeUndefined();
    const ca = pkijs.Certificate.fromBER(der(tls.caPem));
    const constraints = ca.extensions?.find((extension) => extension.extnID === NAME_CONSTRAINTS_OID);
    expect(constraints?.critical).toBe(true);
    const parsed = constraints!.parsedValue as pkijs.NameConstraints;
    expect(parsed.excludedSubtrees).toBeUndefined();
    const permitted = parsed.permittedSubtrees!.map(({ base }) => (base.type === 2 ? `dns:${base.value as string}` : `ip:${Buffer.from((base.value as { valueBlock: { valueHexView: Uint8Array } }).valueBlock.valueHexView).toString('hex')}`));
    expect(permitted).toEqual(['dns:localhost', 'ip:7f000001ffffffff', `ip:${'00'.repeat(15)}01${'ff'.repeat(16)}`]);
    const basic = ca.extensions?.find((extension) => extension.extnID === '2.5.29.19');
    expect(basic?.critical).toBe(true);
    expect(basic?.parsedValue).toMatchObject({ cA: true, pathLenConstraint: 0 });
  });

  it('openssl verify accepts the service certificate and refuses one for example.gov.vn made with the same CA key', async () => {
    const tlsDir = path.join(dir, 'verify');
    const tls = await ensureTlsMaterial(tlsDir);
    const leaf = path.join(tlsDir, 'leaf-only.pem');
    writeFileSync(leaf, firstPem(tls.certPem));
    const accepted = openssl(['verify', '-CAfile', tls.caPath, '-verify_ip', '127.0.0.1', leaf]);
    expect(accepted.output).toContain(': OK');
    expect(accepted.status).toBe(0);
    expect(openssl(['verify', '-CAfile', tls.caPath, '-verify_hostname', 'localhost', leaf]).status).toBe(0);

    const rogue = issueWithCaKey(tlsDir, 'example.gov.vn');
    const refused = openssl(['verify', '-CAfile', tls.caPath, rogue]);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/name constraint|permitted subtree violation/i);
  });

  it('replaces a kept CA that has no name constraints, says so once, then keeps the new one', async () => {
    const tlsDir = path.join(dir, 'old');
    mkdirSync(tlsDir, { recursive: true });
    const caKey = path.join(tlsDir, 'local-ca.key');
    const caPem = path.join(tlsDir, 'local-ca.pem');
    // The shape an older vanthu kept: an unconstrained CA that could vouch for any site.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', caKey, '-subj', '/O=vanthu/CN=vanthu Local Signing CA', '-days', '3650', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', caPem], { stdio: 'pipe' });
    const oldPem = readFileSync(caPem, 'utf8');
    expect(openssl(['verify', '-CAfile', caPem, issueWithCaKey(tlsDir, 'example.gov.vn')]).status).toBe(0);

    const renewed = await ensureTlsMaterial(tlsDir);
    expect(renewed.caReplaced).toBe(true);
    expect(renewed.caPem).not.toBe(oldPem);
    expect(readFileSync(caPem, 'utf8')).toBe(renewed.caPem);
    expect(pkijs.Certificate.fromBER(der(renewed.caPem)).extensions?.some((extension) => extension.extnID === NAME_CONSTRAINTS_OID)).toBe(true);

    const again = await ensureTlsMaterial(tlsDir);
    expect(again.caReplaced).toBeUndefined();
    expect(again.caFingerprint).toBe(renewed.caFingerprint);
  });
});
