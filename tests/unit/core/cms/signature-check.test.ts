import { generateKeyPairSync, sign, constants, type KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { digestAlgorithmIdentifier, signatureAlgorithmIdentifier } from '../../../../src/core/cms/algorithms.js';
import { contextTag, encode, oid, readWhole, sequence, smallInteger, toHex } from '../../../../src/core/cms/der.js';
import { OID } from '../../../../src/core/cms/oids.js';
import { UnsupportedAlgorithmError, signatureVerifies } from '../../../../src/core/cms/signature-check.js';

const data = new TextEncoder().encode('Thời gian ký: 2026-03-05T10:15:30+07:00');

/** A self-signed certificate for a fresh key, made by openssl (node:crypto cannot issue certificates). */
function selfSigned(privateKey: KeyObject): Uint8Array {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-sigcheck-'));
  const keyFile = path.join(dir, 'key.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const certFile = path.join(dir, 'cert.der');
  execFileSync('openssl', ['req', '-new', '-x509', '-key', keyFile, '-subj', '/CN=unit', '-days', '1', '-outform', 'DER', '-out', certFile]);
  return new Uint8Array(readFileSync(certFile));
}

let rsa: { key: KeyObject; cert: Uint8Array };
let ec: { key: KeyObject; cert: Uint8Array };

beforeAll(() => {
  const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
  rsa = { key: rsaKey, cert: selfSigned(rsaKey) };
  ec = { key: ecKey, cert: selfSigned(ecKey) };
});

const check = (certificate: Uint8Array, signatureAlgorithm: Uint8Array, digestAlgorithm: Uint8Array, signature: Uint8Array, signed = data) =>
  signatureVerifies({ certificate, signatureAlgorithm: readWhole(signatureAlgorithm), digestAlgorithm: readWhole(digestAlgorithm), data: signed, signature });

describe('signatureVerifies', () => {
  it('verifies sha256WithRSAEncryption and rejects other data', () => {
    const signature = sign('sha256', data, rsa.key);
    const algorithm = signatureAlgorithmIdentifier({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    expect(toHex(algorithm)).toBe('300d06092a864886f70d01010b0500');
    expect(check(rsa.cert, algorithm, digestAlgorithmIdentifier('SHA-256'), signature)).toBe(true);
    expect(check(rsa.cert, algorithm, digestAlgorithmIdentifier('SHA-256'), signature, new TextEncoder().encode('khác'))).toBe(false);
  });

  it('takes the hash from digestAlgorithm when the signature algorithm is plain rsaEncryption', () => {
    const signature = sign('sha384', data, rsa.key);
    expect(check(rsa.cert, sequence(oid(OID.rsaEncryption), Uint8Array.of(5, 0)), digestAlgorithmIdentifier('SHA-384'), signature)).toBe(true);
  });

  it('verifies RSASSA-PSS with the parameters vanthu writes, and not with another salt length', () => {
    const signature = sign('sha512', data, { key: rsa.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 });
    const pss = signatureAlgorithmIdentifier({ name: 'RSA-PSS', hash: 'SHA-512' });
    expect(check(rsa.cert, pss, digestAlgorithmIdentifier('SHA-512'), signature)).toBe(true);
    const otherSalt = signatureAlgorithmIdentifier({ name: 'RSA-PSS', hash: 'SHA-512', saltLength: 20 });
    expect(check(rsa.cert, otherSalt, digestAlgorithmIdentifier('SHA-512'), signature)).toBe(false);
  });

  it('refuses PSS whose MGF1 hash differs from its hash (Node cannot verify it)', () => {
    const hashId = digestAlgorithmIdentifier('SHA-256');
    const params = sequence(
      encode(contextTag(0), hashId),
      encode(contextTag(1), sequence(oid(OID.mgf1), digestAlgorithmIdentifier('SHA-384'))),
      encode(contextTag(2), smallInteger(32)),
    );
    expect(() => check(rsa.cert, sequence(oid(OID.rsassaPss), params), hashId, new Uint8Array(256))).toThrow(UnsupportedAlgorithmError);
  });

  it('verifies ECDSA P-384 DER signatures and returns false for a malformed one', () => {
    const signature = sign('sha384', data, { key: ec.key, dsaEncoding: 'der' });
    const algorithm = signatureAlgorithmIdentifier({ name: 'ECDSA', hash: 'SHA-384' });
    expect(toHex(algorithm)).toBe('300a06082a8648ce3d040303');
    expect(check(ec.cert, algorithm, digestAlgorithmIdentifier('SHA-384'), signature)).toBe(true);
    expect(check(ec.cert, algorithm, digestAlgorithmIdentifier('SHA-384'), Uint8Array.of(0x30, 0x02, 0x05, 0x00))).toBe(false);
  });

  it('verifies BSI TR-03111 plain ECDSA (r||s) on brainpool curves and NIST P-521, and not as DER', () => {
    for (const [curve, hash, plainOid, digest] of [
      ['brainpoolP256r1', 'sha256', OID.ecdsaPlainSha256, 'SHA-256'],
      ['brainpoolP384r1', 'sha384', OID.ecdsaPlainSha384, 'SHA-384'],
      ['brainpoolP512r1', 'sha512', OID.ecdsaPlainSha512, 'SHA-512'],
      ['P-521', 'sha512', OID.ecdsaPlainSha512, 'SHA-512'],
    ] as const) {
      const key = generateKeyPairSync('ec', { namedCurve: curve }).privateKey;
      const cert = selfSigned(key);
      const plain = sign(hash, data, { key, dsaEncoding: 'ieee-p1363' });
      expect(check(cert, sequence(oid(plainOid)), digestAlgorithmIdentifier(digest), plain), curve).toBe(true);
      expect(check(cert, sequence(oid(plainOid)), digestAlgorithmIdentifier(digest), plain, new TextEncoder().encode('khác')), curve).toBe(false);
      // The same bytes under the DER OID are not a valid DER signature.
      expect(check(cert, signatureAlgorithmIdentifier({ name: 'ECDSA', hash: digest }), digestAlgorithmIdentifier(digest), plain), curve).toBe(false);
      const der = sign(hash, data, { key, dsaEncoding: 'der' });
      expect(check(cert, signatureAlgorithmIdentifier({ name: 'ECDSA', hash: digest }), digestAlgorithmIdentifier(digest), der), curve).toBe(true);
    }
  });

  it('verifies SHA-1 signatures of the G1 era (sha1WithRSAEncryption)', () => {
    const signature = sign('sha1', data, rsa.key);
    expect(check(rsa.cert, sequence(oid(OID.sha1WithRsa), Uint8Array.of(5, 0)), sequence(oid(OID.sha1)), signature)).toBe(true);
  });

  it('throws for an algorithm it does not know, rather than answering "invalid"', () => {
    const dsaWithSha256 = sequence(oid('2.16.840.1.101.3.4.3.2'));
    expect(() => check(rsa.cert, dsaWithSha256, digestAlgorithmIdentifier('SHA-256'), new Uint8Array(64))).toThrow(UnsupportedAlgorithmError);
  });
});
