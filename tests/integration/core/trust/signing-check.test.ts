import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCertificateForSigning, type TrustProblem, type TrustStore } from '../../../../src/core/trust/index.js';
import { closedPort, issue, scratchDir, testCerts, type Issued } from './kit.js';

const t = testCerts();
const store: TrustStore = { roots: [t.root] };
const codes = (problems: TrustProblem[]): string[] => problems.map((p) => p.code);
const dir = scratchDir();
let encipherOnly: Issued;
let deadOcsp: Issued;

beforeAll(async () => {
  encipherOnly = issue(t.pki, dir, 'encipher-only', [
    'basicConstraints = critical, CA:false',
    'keyUsage = critical, keyEncipherment',
    `crlDistributionPoints = URI:${t.pki.urls.crl}`,
  ]);
  deadOcsp = issue(t.pki, dir, 'signer-dead-ocsp', [
    'basicConstraints = critical, CA:false',
    'keyUsage = critical, digitalSignature, nonRepudiation',
    `authorityInfoAccess = OCSP;URI:http://127.0.0.1:${await closedPort()}/`,
  ]);
});

describe('checkCertificateForSigning', () => {
  it('lets the leader sign, online, with nothing to warn about', async () => {
    const result = await checkCertificateForSigning(t.leader, [t.subCa], store, { online: true });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.chain.trusted).toBe(true);
    expect(result.revocation).toMatchObject({ status: 'good', source: 'ocsp' });
  });

  it('forbids signing with the revoked certificate', async () => {
    const result = await checkCertificateForSigning(t.revoked, [t.subCa], store, { online: true });
    expect(result.ok).toBe(false);
    expect(codes(result.errors)).toEqual(['TRUST_CERT_REVOKED']);
    expect(result.errors[0]!.messageVi).toContain('đã bị thu hồi');
    expect(result.errors[0]!.messageVi).toContain('keyCompromise');
    expect(result.errors[0]!.messageEn).toContain('Lê Thị Thu Hà');
  });

  it('lets the leader sign offline, warning that the status could not be checked', async () => {
    const result = await checkCertificateForSigning(t.leader, [t.subCa], store, { online: false });
    expect(result.ok).toBe(true);
    expect(result.errors).toEqual([]);
    expect(codes(result.warnings)).toEqual(['TRUST_REVOCATION_OFFLINE', 'TRUST_REVOCATION_UNCHECKED']);
    expect(result.warnings[1]!.messageVi).toContain('Không kiểm tra được trạng thái thu hồi');
    expect(result.warnings[1]!.messageEn).toContain('could not be checked');
    expect(result.revocation?.status).toBe('unknown');
  });

  it('warns, without stopping, when the OCSP responder is down', async () => {
    const result = await checkCertificateForSigning(deadOcsp.der, [t.subCa], store, { online: true, timeoutMs: 2000 });
    expect(result.ok).toBe(true);
    expect(codes(result.warnings)).toEqual(['TRUST_REVOCATION_UNREACHABLE', 'TRUST_REVOCATION_UNCHECKED']);
  });

  it('warns about an untrusted chain but still checks revocation through the issuer found', async () => {
    const result = await checkCertificateForSigning(t.leader, [t.subCa, t.root], { roots: [] }, { online: true });
    expect(result.ok).toBe(true);
    expect(codes(result.warnings)).toEqual(['TRUST_ROOT_NOT_TRUSTED']);
    expect(result.revocation?.status).toBe('good');
  });

  it('warns twice when neither the issuer nor the revocation status can be found', async () => {
    const result = await checkCertificateForSigning(t.leader, [], store, { online: true });
    expect(result.ok).toBe(true);
    expect(codes(result.warnings)).toEqual(['TRUST_ISSUER_NOT_FOUND', 'TRUST_REVOCATION_NO_ISSUER', 'TRUST_REVOCATION_UNCHECKED']);
    expect(result.revocation).toBeUndefined();
  });

  it('forbids signing with an expired or not yet valid certificate', async () => {
    const leaf = new X509Certificate(t.leader);
    const expired = await checkCertificateForSigning(t.leader, [t.subCa], store, { at: new Date(leaf.validToDate.getTime() + 1000), online: false });
    expect(expired.ok).toBe(false);
    expect(codes(expired.errors)).toEqual(['TRUST_CERT_EXPIRED']);
    // The chain reports the same expiry; it is an error, not also a warning.
    expect(codes(expired.warnings)).not.toContain('TRUST_CERT_EXPIRED');
    const early = await checkCertificateForSigning(t.leader, [t.subCa], store, { at: new Date(leaf.validFromDate.getTime() - 1000), online: false });
    expect(codes(early.errors)).toEqual(['TRUST_CERT_NOT_YET_VALID']);
  });

  it('forbids signing with a certificate whose key usage does not allow signatures', async () => {
    const result = await checkCertificateForSigning(encipherOnly.der, [t.subCa], store, { online: true });
    expect(result.ok).toBe(false);
    expect(codes(result.errors)).toEqual(['TRUST_KEY_USAGE_NOT_SIGNING']);
    expect(result.revocation).toMatchObject({ status: 'good', source: 'crl' });
  });

  it('reports an unreadable certificate as an error', async () => {
    const result = await checkCertificateForSigning(new Uint8Array([0x30, 0x00]), [t.subCa], store, { online: false });
    expect(result.ok).toBe(false);
    expect(codes(result.errors)).toEqual(['CERT_PARSE_FAILED']);
  });
});
