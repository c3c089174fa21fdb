// Organization (agency seal) or person, read off the test PKI's certificates and a few subjects as Vietnamese CAs write them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isOrganizationCertificate } from '../../../../src/core/x509/certificate-holder.js';
import { parseCertificate } from '../../../../src/core/x509/certificate-info.js';
import type { CertificateInfo } from '../../../../src/shared/certificate.js';
import { usePki } from '../../../kit/pki.js';

const pki = usePki();
const info = (label: string): CertificateInfo => {
  const object = pki.tokens.flatMap((t) => t.objects).find((o) => o.label === label);
  if (!object) throw new Error(label);
  return parseCertificate(readFileSync(object.certDer));
};
/** The agency certificate with its subject changed as another CA would write it. */
const withSubject = (subject: Partial<CertificateInfo['subject']>, ids: CertificateInfo['vietnameseIds']): CertificateInfo => {
  const base = info('agency-rsa');
  return { ...base, subject: { ...base.subject, ...subject }, vietnameseIds: ids };
};

describe('isOrganizationCertificate', () => {
  it('takes the agency seal (tax code, O = CN) and none of the personal certificates (CCCD)', () => {
    expect(isOrganizationCertificate(info('agency-rsa'))).toBe(true);
    for (const person of ['leader-rsa', 'leader-ec', 'spare-rsa']) expect(isOrganizationCertificate(info(person)), person).toBe(false);
  });

  it('reads the subject: a budget code or O = CN makes an organization; a personal id, a CA or neither does not', () => {
    expect(isOrganizationCertificate(withSubject({ organization: 'Sở Y tế tỉnh Lạng Sơn', commonName: 'Sở Y tế tỉnh Lạng Sơn' }, {}))).toBe(true);
    expect(isOrganizationCertificate(withSubject({ organization: 'UBND tỉnh Lạng Sơn', commonName: 'Văn phòng UBND tỉnh' }, { budgetCode: '1012345' }))).toBe(true);
    expect(isOrganizationCertificate(withSubject({ organization: 'UBND tỉnh Lạng Sơn', commonName: 'Văn phòng UBND tỉnh' }, {}))).toBe(false);
    expect(isOrganizationCertificate(withSubject({ organization: 'UBND tỉnh Lạng Sơn', commonName: 'UBND tỉnh Lạng Sơn' }, { taxCode: '4900123456', cccd: '020190011111' }))).toBe(false);
    expect(isOrganizationCertificate(withSubject({ organization: 'Công ty A', commonName: 'Nguyễn Văn B' }, { cmnd: '012345678' }))).toBe(false);
    expect(isOrganizationCertificate({ ...info('agency-rsa'), isCA: true })).toBe(false);
  });
});
