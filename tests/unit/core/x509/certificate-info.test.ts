import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { BUNDLED_TRUST_DIR } from '../../../../src/core/trust/index.js';
import { certificatesFromPem } from '../../../../src/core/trust/bytes.js';
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

/** The names and key usages as the earlier pkijs-based reader gave them. */
function pkijsNames(der: Uint8Array) {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(der));
  const text = (value: unknown): string => {
    const block = (value as { valueBlock?: { value?: unknown } }).valueBlock;
    return typeof block?.value === 'string' ? block.value : String(value);
  };
  const name = (rdns: pkijs.RelativeDistinguishedNames) => rdns.typesAndValues.map((tv) => `${tv.type}=${text(tv.value)}`);
  let keyUsage: string[] | undefined;
  let extendedKeyUsage: string[] | undefined;
  for (const extension of cert.extensions ?? []) {
    if (extension.extnID === '2.5.29.15') {
      const view = (asn1js.fromBER(extension.extnValue.valueBlock.valueHexView).result as asn1js.BitString).valueBlock.valueHexView;
      const names = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];
      keyUsage = names.filter((_, bit) => ((view[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0);
    } else if (extension.extnID === '2.5.29.37') {
      extendedKeyUsage = new pkijs.ExtKeyUsage({ schema: asn1js.fromBER(extension.extnValue.valueBlock.valueHexView).result }).keyPurposes;
    }
  }
  return { subject: name(cert.subject), issuer: name(cert.issuer), keyUsage, extendedKeyUsage: extendedKeyUsage?.length };
}

describe('parseCertificate against pkijs', () => {
  it('reads the names (UTF-8, Printable, BMP strings) and key usages of every bundled CA and test certificate as pkijs does', () => {
    // Older Vietnamese CAs write names as BMPString (openssl's "pkix" string mask does the same).
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-bmp-'));
    writeFileSync(path.join(dir, 'req.cnf'), '[req]\ndistinguished_name=dn\nstring_mask=pkix\nprompt=no\n[dn]\n');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-subj', '/CN=Nguyễn Văn A/O=Sở Nội vụ/C=VN', '-utf8', '-config', path.join(dir, 'req.cnf'), '-days', '1', '-outform', 'DER', '-out', path.join(dir, 'bmp.der')], { stdio: 'ignore' });
    const bmp = new Uint8Array(readFileSync(path.join(dir, 'bmp.der')));
    expect(parseCertificate(bmp).subject).toMatchObject({ commonName: 'Nguyễn Văn A', organization: 'Sở Nội vụ', country: 'VN' });
    const bundled = ['roots', 'provisional', 'intermediates'].flatMap((dir) =>
      readdirSync(path.join(BUNDLED_TRUST_DIR, dir))
        .filter((file) => file.endsWith('.pem'))
        .flatMap((file) => certificatesFromPem(readFileSync(path.join(BUNDLED_TRUST_DIR, dir, file), 'latin1'))),
    );
    const tests = pki.tokens.flatMap((t) => t.objects).map((o) => new Uint8Array(readFileSync(o.certDer)));
    const all = [bmp, ...bundled, ...tests, new Uint8Array(readFileSync(pki.subCaDer)), new Uint8Array(readFileSync(pki.rootDer))];
    expect(all.length).toBeGreaterThan(25);
    for (const certificate of all) {
      const info = parseCertificate(certificate);
      const names = (dn: typeof info.subject) => dn.attributes.map((a) => `${a.oid}=${a.value}`);
      expect({ subject: names(info.subject), issuer: names(info.issuer), keyUsage: info.keyUsage, extendedKeyUsage: info.extendedKeyUsage?.length }).toEqual(pkijsNames(certificate));
    }
  });
});
