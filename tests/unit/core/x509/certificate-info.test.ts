import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCertificate, parseVietnameseIds } from '../../../../src/core/x509/certificate-info.js';
import { isVanthuError } from '../../../../src/shared/errors.js';
import { tokenNamed, usePki } from '../../../kit/pki.js';

const pki = usePki();
const der = (label: string): Buffer => {
  const object = pki.tokens.flatMap((t) => t.objects).find((o) => o.label === label);
  if (!object) throw new Error(label);
  return readFileSync(object.certDer);
};

describe('parseCertificate', () => {
  it('reads a leader certificate with Vietnamese names and the CCCD number', () => {
    const info = parseCertificate(der('leader-rsa'));
    expect(info.subject.commonName).toBe('Nguyễn Thị Hồng Nhung');
    expect(info.subject.organization).toBe('UBND tỉnh Cao Bằng');
    expect(info.subject.organizationalUnits).toEqual(['Văn phòng UBND tỉnh']);
    expect(info.subject.title).toBe('Chánh Văn phòng');
    expect(info.subject.locality).toBe('Cao Bằng');
    expect(info.subject.state).toBe('Cao Bằng');
    expect(info.subject.country).toBe('VN');
    expect(info.subject.email).toBe('nhungnth@caobang.gov.vn');
    expect(info.vietnameseIds).toEqual({ cccd: '004190012345' });
    expect(info.subject.text.startsWith('E=nhungnth@caobang.gov.vn, UID=CCCD:004190012345, CN=Nguyễn Thị Hồng Nhung')).toBe(true);
    expect(info.issuer.commonName).toBe('Test CA Chuyên dùng Chính phủ');
    expect(info.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(info.extendedKeyUsage).toContain('emailProtection');
    expect(info.publicKey).toEqual({ type: 'rsa', bits: 2048 });
    expect(info.isCA).toBe(false);
    expect(info.serialNumber).toBe(tokenNamed(pki, 'VANTHU LEADER').objects[0]!.certSerial.toUpperCase());
    expect(new Date(info.notAfter).getTime()).toBeGreaterThan(Date.now());
  });

  it('reads the agency seal certificate with its tax code', () => {
    const info = parseCertificate(der('agency-rsa'));
    expect(info.subject.commonName).toBe('UBND tỉnh Cao Bằng');
    expect(info.vietnameseIds).toEqual({ taxCode: '4800123456' });
  });

  it('reads an ECDSA P-256 key', () => {
    expect(parseCertificate(der('leader-ec')).publicKey).toEqual({ type: 'ec', curve: 'prime256v1', bits: 256 });
  });

  it('reads CA key usage from the sub-CA', () => {
    const info = parseCertificate(readFileSync(pki.subCaDer));
    expect(info.isCA).toBe(true);
    expect(info.keyUsage).toEqual(expect.arrayContaining(['keyCertSign', 'cRLSign']));
    expect(info.keyUsage).not.toContain('digitalSignature');
  });

  it('throws CERT_PARSE_FAILED on garbage', () => {
    try {
      parseCertificate(Buffer.from('not a certificate'));
      expect.unreachable();
    } catch (error) {
      expect(isVanthuError(error, 'CERT_PARSE_FAILED')).toBe(true);
    }
  });
});

describe('parseVietnameseIds', () => {
  it('reads the prefixes Vietnamese CAs use', () => {
    expect(parseVietnameseIds(['CMND:012345678', 'MST:0101234567-001', 'HC: B1234567', 'MNS:1234567', 'other'])).toEqual({
      cmnd: '012345678',
      taxCode: '0101234567-001',
      passport: 'B1234567',
      budgetCode: '1234567',
    });
  });
});
