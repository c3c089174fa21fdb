// What the app knows about a certificate, in a shape every layer (core, IPC, UI, CLI JSON) shares.

export interface DistinguishedName {
  commonName: string | undefined;
  organization: string | undefined;
  organizationalUnits: string[];
  title: string | undefined;
  locality: string | undefined;
  state: string | undefined;
  country: string | undefined;
  email: string | undefined;
  /** Raw UID values; Vietnamese CAs put "CMND:…", "CCCD:…" or "MST:…" here. */
  uids: string[];
  /** RFC 4514 text, most specific attribute first. */
  text: string;
  attributes: { oid: string; name: string; value: string }[];
}

/** Identity numbers Vietnamese CAs carry in the certificate subject. */
export interface VietnameseIds {
  /** Chứng minh nhân dân (old 9/12-digit personal id). */
  cmnd?: string;
  /** Căn cước công dân (12-digit citizen id). */
  cccd?: string;
  passport?: string;
  /** Mã số thuế: an agency's or person's tax code. */
  taxCode?: string;
  /** Mã quan hệ ngân sách: a state budget unit's code. */
  budgetCode?: string;
}

export type KeyUsage =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

export type PublicKeyInfo = { type: 'rsa'; bits: number } | { type: 'ec'; curve: string; bits: number } | { type: 'other'; bits: number };

export interface CertificateInfo {
  subject: DistinguishedName;
  issuer: DistinguishedName;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Undefined when the certificate has no keyUsage extension (any use allowed). */
  keyUsage: KeyUsage[] | undefined;
  extendedKeyUsage: string[] | undefined;
  publicKey: PublicKeyInfo;
  vietnameseIds: VietnameseIds;
  isCA: boolean;
  /** SHA-256 of the DER, hex. */
  sha256: string;
  /** The DER, base64. */
  der: string;
}
