// Trusting the local CA on each OS: the commands built for macOS and Windows, the dispatch by platform, and the NSS path run for real.
import { mkdtempSync, rmSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  macFindCommand,
  macLoginKeychain,
  macTrustCommand,
  macVerifyCommand,
  runTrustCommand,
  TrustToolMissingError,
  userTrustStore,
  windowsTrustCommand,
  windowsVerifyCommand,
  type CommandRunner,
  type TrustCommand,
} from '../../../../src/core/local-service/os-trust.js';
import { ensureTlsMaterial, NssTrustError, type TlsMaterial } from '../../../../src/core/local-service/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-os-trust-'));
let tls: TlsMaterial;
let otherCa: TlsMaterial;
const hex = (fingerprint: string): string => fingerprint.replace(/:/g, '');

beforeAll(async () => {
  tls = await ensureTlsMaterial(path.join(dir, 'tls'));
  otherCa = await ensureTlsMaterial(path.join(dir, 'other'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Stands in for `security`/`certutil`, which do not exist on this Linux machine: records each command and answers from a table. */
function recordingRunner(answers: Record<string, string | Error>): { run: CommandRunner; ran: TrustCommand[] } {
  const ran: TrustCommand[] = [];
  const run: CommandRunner = async (command) => {
    ran.push(command);
    const answer = answers[`${command.program} ${command.args[0]!.replace(/^-user$/, command.args[1]!)}`];
    if (answer instanceof Error) throw answer;
    return { stdout: answer ?? '', stderr: '' };
  };
  return { run, ran };
}

describe('the commands built for each OS', () => {
  it('macOS: add to the login keychain as an SSL root, find by name with hashes, verify offline', () => {
    const keychain = macLoginKeychain('/Users/vanthu');
    expect(keychain).toBe('/Users/vanthu/Library/Keychains/login.keychain-db');
    expect(macTrustCommand('/x/local-ca.pem', keychain)).toEqual({ program: 'security', args: ['add-trusted-cert', '-r', 'trustRoot', '-p', 'ssl', '-k', keychain, '/x/local-ca.pem'] });
    expect(macFindCommand(keychain)).toEqual({ program: 'security', args: ['find-certificate', '-a', '-Z', '-c', 'vanthu Local Signing CA', keychain] });
    expect(macVerifyCommand('/x/local-ca.pem')).toEqual({ program: 'security', args: ['verify-cert', '-c', '/x/local-ca.pem', '-p', 'ssl', '-L', '-q'] });
  });

  it("Windows: the current user's Root store, checked by the CA's serial number", () => {
    expect(windowsTrustCommand('C:\\vanthu\\local-ca.pem')).toEqual({ program: 'certutil', args: ['-user', '-addstore', 'Root', 'C:\\vanthu\\local-ca.pem'] });
    const serial = new X509Certificate(tls.caPem).serialNumber;
    expect(serial).toMatch(/^[0-9A-F]{32}$/);
    expect(windowsVerifyCommand(tls.caPem)).toEqual({ program: 'certutil', args: ['-user', '-verifystore', 'Root', serial] });
  });
});

describe('userTrustStore dispatches by platform', () => {
  it('knows NSS on Linux, the login keychain on macOS, the user Root store on Windows, and nothing elsewhere', () => {
    expect(userTrustStore('linux')?.kind).toBe('nss');
    expect(userTrustStore('darwin')?.kind).toBe('macos-login-keychain');
    expect(userTrustStore('win32')?.kind).toBe('windows-user-root');
    expect(userTrustStore('freebsd')).toBeUndefined();
  });

  it('macOS: trusting runs add-trusted-cert on the home login keychain; trusted only when the keychain lists this CA and verify-cert passes', async () => {
    const keychain = macLoginKeychain('/Users/vanthu');
    const listing = `keychain: "${keychain}"\nSHA-256 hash: ${hex(new X509Certificate(tls.caPem).fingerprint256)}\nSHA-1 hash: ${hex(new X509Certificate(tls.caPem).fingerprint)}\n`;
    const trusting = recordingRunner({});
    await userTrustStore('darwin', { home: '/Users/vanthu', run: trusting.run })!.trust(tls);
    expect(trusting.ran).toEqual([macTrustCommand(tls.caPath, keychain)]);

    const listed = recordingRunner({ 'security find-certificate': listing, 'security verify-cert': '' });
    expect(await userTrustStore('darwin', { home: '/Users/vanthu', run: listed.run })!.isTrusted(tls)).toBe(true);
    expect(listed.ran).toEqual([macFindCommand(keychain), macVerifyCommand(tls.caPath)]);

    // Another vanthu CA of the same name (an older one) does not count.
    expect(await userTrustStore('darwin', { home: '/Users/vanthu', run: listed.run })!.isTrusted(otherCa)).toBe(false);
    const untrusted = recordingRunner({ 'security find-certificate': listing, 'security verify-cert': new NssTrustError('security báo lỗi', 'security failed') });
    expect(await userTrustStore('darwin', { home: '/Users/vanthu', run: untrusted.run })!.isTrusted(tls)).toBe(false);
    const missing = recordingRunner({ 'security find-certificate': new TrustToolMissingError('thiếu', 'missing') });
    await expect(userTrustStore('darwin', { run: missing.run })!.isTrusted(tls)).rejects.toBeInstanceOf(TrustToolMissingError);
  });

  it('Windows: trusting runs certutil -user -addstore Root; trusted only when verifystore shows this CA', async () => {
    const trusting = recordingRunner({});
    await userTrustStore('win32', { run: trusting.run })!.trust(tls);
    expect(trusting.ran).toEqual([windowsTrustCommand(tls.caPath)]);

    const sha1 = hex(new X509Certificate(tls.caPem).fingerprint).toLowerCase();
    const found = recordingRunner({ 'certutil -verifystore': `Root "Trusted Root Certification Authorities"\n================ Certificate 0 ================\nSerial Number: ${new X509Certificate(tls.caPem).serialNumber}\nCert Hash(sha1): ${sha1}\nCertUtil: -verifystore command completed successfully.\n` });
    expect(await userTrustStore('win32', { run: found.run })!.isTrusted(tls)).toBe(true);
    expect(found.ran).toEqual([windowsVerifyCommand(tls.caPem)]);
    expect(await userTrustStore('win32', { run: found.run })!.isTrusted(otherCa)).toBe(false);
    const absent = recordingRunner({ 'certutil -verifystore': new NssTrustError('certutil báo lỗi', 'certutil failed') });
    expect(await userTrustStore('win32', { run: absent.run })!.isTrusted(tls)).toBe(false);
  });

  it('Linux: adds the CA to the given NSS database with the real certutil and then reports it trusted', async () => {
    const nssDb = path.join(dir, 'nssdb');
    const store = userTrustStore('linux', { nssDb })!;
    expect(await store.isTrusted(tls)).toBe(false);
    await store.trust(tls);
    expect(await store.isTrusted(tls)).toBe(true);
    expect(await store.isTrusted(otherCa)).toBe(false);
  });
});

describe('runTrustCommand', () => {
  it('returns the output of a program that succeeds', async () => {
    expect((await runTrustCommand({ program: 'openssl', args: ['x509', '-in', tls.caPath, '-noout', '-serial'] })).stdout.trim()).toBe(`serial=${new X509Certificate(tls.caPem).serialNumber}`);
  });

  it('tells a missing program from a failing one, with a Vietnamese message', async () => {
    const missing = await runTrustCommand({ program: 'security-not-installed-here', args: [] }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(TrustToolMissingError);
    expect((missing as TrustToolMissingError).code).toBe('LOCAL_CA_TRUST_FAILED');
    expect((missing as TrustToolMissingError).messageVi).toContain('Không tìm thấy công cụ security-not-installed-here');
    const failing = await runTrustCommand({ program: 'openssl', args: ['x509', '-in', path.join(dir, 'absent.pem')] }).catch((error: unknown) => error);
    expect(failing).toBeInstanceOf(NssTrustError);
    expect(failing).not.toBeInstanceOf(TrustToolMissingError);
    expect((failing as NssTrustError).messageVi).toMatch(/^openssl báo lỗi: /);
  });
});
