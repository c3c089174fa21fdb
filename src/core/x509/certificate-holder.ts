// Whether a certificate speaks for an organization (an agency's seal) rather than a person, read off its subject the way Vietnamese CAs write it.
import type { CertificateInfo } from '../../shared/certificate.js';

/**
 * An organization (agency) certificate: not a CA, no personal identifier (CMND, CCCD, passport) in the subject,
 * and the subject names the organization by its tax or budget code (MST, MNS) or as its own common name (O = CN).
 * Vietnamese CAs put a person's id number in every personal certificate, so a personal one never passes.
 */
export function isOrganizationCertificate(info: CertificateInfo): boolean {
  if (info.isCA) return false;
  const ids = info.vietnameseIds;
  if (ids.cmnd || ids.cccd || ids.passport) return false;
  if (ids.taxCode || ids.budgetCode) return true;
  const { organization, commonName } = info.subject;
  return organization !== undefined && commonName !== undefined && organization.trim().toLocaleLowerCase('vi') === commonName.trim().toLocaleLowerCase('vi');
}
