import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { certificateId } from '../../../../src/core/cms/certificate-id.js';
import { contextTag, readChildren, readWhole, sequence, encode } from '../../../../src/core/cms/der.js';
import { buildSigningCertificateV2, parseSigningCertificateV2 } from '../../../../src/core/cms/signing-certificate-v2.js';
import { usePki } from '../../../kit/pki.js';

const pki = usePki();
const certificate = new Uint8Array(readFileSync(pki.subCaDer));

describe('signing-certificate-v2', () => {
  it('leaves out hashAlgorithm for SHA-256 (its DEFAULT) and reads it back', () => {
    const [entry, ...rest] = parseSigningCertificateV2(buildSigningCertificateV2(certificate));
    expect(rest).toHaveLength(0);
    expect(entry!.hash).toBe('sha256');
    expect(Buffer.from(entry!.certHash).toString('hex')).toBe(createHash('sha256').update(certificate).digest('hex'));
    const essCertId = readChildren(readChildren(readWhole(buildSigningCertificateV2(certificate)))[0]!)[0]!;
    expect(readChildren(essCertId)).toHaveLength(2);
  });

  it('names SHA-512 explicitly', () => {
    const [entry] = parseSigningCertificateV2(buildSigningCertificateV2(certificate, 'SHA-512'));
    expect(entry!.hash).toBe('sha512');
    expect(Buffer.from(entry!.certHash).equals(createHash('sha512').update(certificate).digest())).toBe(true);
  });

  it('puts the issuer as a directoryName and the serial in issuerSerial', () => {
    const [entry] = parseSigningCertificateV2(buildSigningCertificateV2(certificate));
    const id = certificateId(certificate);
    expect(Buffer.from(entry!.issuerSerial!).equals(Buffer.from(sequence(sequence(encode(contextTag(4), id.issuer)), id.serial)))).toBe(true);
  });

  it('finds the subject key identifier of a certificate', () => {
    const ski = certificateId(certificate).subjectKeyIdentifier;
    expect(ski?.length).toBe(20);
  });

  it('refuses a certificate that is not DER: CERT_PARSE_FAILED', () => {
    expect(() => buildSigningCertificateV2(Uint8Array.of(0x30, 0x03, 0x02, 0x01))).toThrow(expect.objectContaining({ code: 'CERT_PARSE_FAILED' }));
  });
});
