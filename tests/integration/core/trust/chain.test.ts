import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildChain, MAX_CHAIN_LENGTH, type ChainResult, type TrustStore } from '../../../../src/core/trust/index.js';
import { flipByte, issue, LEAF_EXTENSIONS, scratchDir, testCerts } from './kit.js';

const t = testCerts();
const store: TrustStore = { roots: [t.root] };
const now = new Date();
const codes = (result: ChainResult): string[] => result.problems.map((p) => p.code);
const subjectOf = (der: Uint8Array): string => new X509Certificate(der).subject;
const dir = scratchDir();

describe('buildChain with the test PKI', () => {
  it.each([
    ['leader RSA', t.leader],
    ['leader EC', t.leaderEc],
    ['agency', t.agency],
  ])('chains the %s certificate to the test root through the sub-CA', (_name, leaf) => {
    const result = buildChain(leaf, [t.subCa], store, now);
    expect(result.problems).toEqual([]);
    expect(result.trusted).toBe(true);
    expect(result.path).toEqual([leaf, t.subCa, t.root]);
  });

  it('finds the sub-CA among unrelated candidates, in any order, and ignores junk', () => {
    const result = buildChain(t.leader, [t.agency, new Uint8Array([1, 2, 3]), t.root, t.subCa], store, now);
    expect(result.trusted).toBe(true);
    expect(result.path).toEqual([t.leader, t.subCa, t.root]);
  });

  it('says the issuer is missing when the sub-CA is not given', () => {
    const result = buildChain(t.leader, [], store, now);
    expect(result.trusted).toBe(false);
    expect(codes(result)).toEqual(['TRUST_ISSUER_NOT_FOUND']);
    expect(result.path).toEqual([t.leader]);
    expect(result.problems[0]!.messageVi).toContain('Không tìm thấy chứng thư của đơn vị cấp');
    expect(result.problems[0]!.messageVi).toContain('Test CA Chuyên dùng Chính phủ');
    expect(result.problems[0]!.messageEn).toContain('was not found');
  });

  it('says the root is not trusted when the store lacks it, even with the root among the candidates', () => {
    const result = buildChain(t.leader, [t.subCa, t.root], { roots: [] }, now);
    expect(result.trusted).toBe(false);
    expect(codes(result)).toEqual(['TRUST_ROOT_NOT_TRUSTED']);
    expect(result.path).toEqual([t.leader, t.subCa, t.root]);
    expect(result.problems[0]!.messageEn).toContain('Test Vietnam National Root CA');
  });

  it('trusts a chain ending at a sub-CA the user chose as a trust anchor', () => {
    const result = buildChain(t.leader, [], { roots: [t.subCa] }, now);
    expect(result.trusted).toBe(true);
    expect(result.path).toEqual([t.leader, t.subCa]);
  });

  it('rejects a certificate whose signature was altered', () => {
    // The signature BIT STRING is the last field of the DER: its last byte is signature value.
    const broken = flipByte(t.leader, t.leader.length - 1);
    expect(subjectOf(broken)).toBe(subjectOf(t.leader));
    const result = buildChain(broken, [t.subCa], store, now);
    expect(result.trusted).toBe(false);
    expect(codes(result)).toEqual(['TRUST_SIGNATURE_INVALID']);
    expect(result.problems[0]!.messageVi).toContain('không hợp lệ');
  });

  it('rejects a sub-CA whose signature was altered', () => {
    const result = buildChain(t.leader, [flipByte(t.subCa, t.subCa.length - 1)], store, now);
    expect(result.trusted).toBe(false);
    expect(codes(result)).toEqual(['TRUST_SIGNATURE_INVALID']);
    expect(result.problems[0]!.messageEn).toContain('Test CA Chuyên dùng Chính phủ');
  });

  it('says expired when `at` is after notAfter, and not yet valid before notBefore', () => {
    const leaf = new X509Certificate(t.leader);
    const expired = buildChain(t.leader, [t.subCa], store, new Date(leaf.validToDate.getTime() + 1000));
    expect(expired.trusted).toBe(false);
    expect(codes(expired)).toEqual(['TRUST_CERT_EXPIRED']);
    expect(expired.problems[0]!.messageVi).toContain('đã hết hạn');
    const early = buildChain(t.leader, [t.subCa], store, new Date(leaf.validFromDate.getTime() - 1000));
    // The test PKI made its CAs in the same second as the leaf, so they are not valid yet either.
    expect(new Set(codes(early))).toEqual(new Set(['TRUST_CERT_NOT_YET_VALID']));
    expect(early.problems[0]!.messageEn).toContain('Nguyễn Thị Hồng Nhung');
    expect(buildChain(t.leader, [t.subCa], store, leaf.validToDate).trusted).toBe(true);
  });

  it('refuses an intermediate that is not a CA', () => {
    const notCa = issue(t.pki, dir, 'not-a-ca', LEAF_EXTENSIONS);
    const leaf = issue(t.pki, dir, 'under-not-a-ca', ['basicConstraints = CA:false'], { ca: { pem: notCa.pem, key: notCa.key } });
    const result = buildChain(leaf.der, [notCa.der, t.subCa], store, new Date());
    expect(result.path).toEqual([leaf.der, notCa.der, t.subCa, t.root]);
    expect(codes(result)).toContain('TRUST_ISSUER_NOT_CA');
    expect(result.trusted).toBe(false);
  });

  it('refuses a CA whose key usage lacks keyCertSign, and one beyond the sub-CA path length', () => {
    // The test sub-CA has pathlen:0, so no CA may sit below it.
    const noCertSign = issue(t.pki, dir, 'ca-no-certsign', ['basicConstraints = critical, CA:true', 'keyUsage = critical, digitalSignature']);
    const leaf = issue(t.pki, dir, 'under-no-certsign', ['basicConstraints = CA:false'], { ca: { pem: noCertSign.pem, key: noCertSign.key } });
    const result = buildChain(leaf.der, [noCertSign.der, t.subCa], store, new Date());
    expect(codes(result).sort()).toEqual(['TRUST_ISSUER_NO_KEY_CERT_SIGN', 'TRUST_PATH_LENGTH_EXCEEDED']);

    const properCa = issue(t.pki, dir, 'ca-below-pathlen', ['basicConstraints = critical, CA:true', 'keyUsage = critical, keyCertSign, cRLSign']);
    const leaf2 = issue(t.pki, dir, 'under-proper-ca', ['basicConstraints = CA:false'], { ca: { pem: properCa.pem, key: properCa.key } });
    const result2 = buildChain(leaf2.der, [properCa.der, t.subCa], store, new Date());
    expect(codes(result2)).toEqual(['TRUST_PATH_LENGTH_EXCEEDED']);
    // With the inner CA itself as the trust anchor, the sub-CA's limit no longer applies.
    expect(buildChain(leaf2.der, [], { roots: [properCa.der] }, new Date()).trusted).toBe(true);
  });

  it('picks the real issuer over a decoy with the same name but another key', () => {
    // The sub-CA's exact name, signed by the root, another key and no SKI: only the signature check tells them apart.
    const subject = '/C=VN/O=Ban Cơ yếu Chính phủ (TEST)/OU=Cục Chứng thực số và Bảo mật thông tin (TEST)/CN=Test CA Chuyên dùng Chính phủ';
    const decoy = issue(t.pki, dir, 'decoy', ['basicConstraints = critical, CA:true', 'keyUsage = critical, keyCertSign', 'subjectKeyIdentifier = none'], {
      subject,
      ca: { pem: t.pki.rootPem, key: t.pki.rootKeyPem },
    });
    expect(subjectOf(decoy.der)).toBe(subjectOf(t.subCa));
    const result = buildChain(t.leader, [decoy.der, t.subCa], store, new Date());
    expect(result.trusted).toBe(true);
    expect(result.path[1]).toEqual(t.subCa);
  });

  it('stops a long chain at the depth limit', () => {
    // A chain of CAs, each issuing the next, longer than the limit: every one is a real certificate.
    let ca = { pem: t.pki.subCaPem, key: t.pki.subCaKeyPem };
    const cas: Uint8Array[] = [];
    for (let i = 0; i < MAX_CHAIN_LENGTH; i++) {
      const next = issue(t.pki, dir, `deep-${i}`, ['basicConstraints = critical, CA:true', 'keyUsage = critical, keyCertSign'], { ca });
      cas.push(next.der);
      ca = { pem: next.pem, key: next.key };
    }
    const leaf = issue(t.pki, dir, 'deep-leaf', LEAF_EXTENSIONS, { ca });
    const result = buildChain(leaf.der, [...cas, t.subCa], store, new Date());
    expect(result.trusted).toBe(false);
    expect(codes(result)).toContain('TRUST_CHAIN_TOO_LONG');
    expect(result.path).toHaveLength(MAX_CHAIN_LENGTH);
  });

  it('reports an unreadable leaf instead of throwing', () => {
    const result = buildChain(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), [t.subCa], store, now);
    expect(result.trusted).toBe(false);
    expect(codes(result)).toEqual(['CERT_PARSE_FAILED']);
  });
});
