// A certificate as chain building and revocation checking see it: raw names, key ids, constraints, service URLs.
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { KeyUsage } from '../../shared/certificate.js';
import { parseCertificate } from '../x509/certificate-info.js';
import { copyBytes } from './bytes.js';

const EXT = {
  SUBJECT_KEY_ID: '2.5.29.14',
  BASIC_CONSTRAINTS: '2.5.29.19',
  CRL_DISTRIBUTION_POINTS: '2.5.29.31',
  AUTHORITY_KEY_ID: '2.5.29.35',
  AUTHORITY_INFO_ACCESS: '1.3.6.1.5.5.7.1.1',
} as const;
const AIA_OCSP = '1.3.6.1.5.5.7.48.1';
const GENERAL_NAME_URI = 6;

export interface TrustCertificate {
  der: Uint8Array;
  /** SHA-256 of the DER, hex: identity for loop detection and de-duplication. */
  fingerprint: string;
  /** CN when there is one, else the RFC 4514 subject, for messages. */
  name: string;
  issuerName: string;
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  serial: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  subjectKeyId: Uint8Array | undefined;
  authorityKeyId: Uint8Array | undefined;
  /** basicConstraints cA; false when the extension is absent. */
  isCA: boolean;
  pathLen: number | undefined;
  /** Undefined when the certificate has no keyUsage extension (any use allowed). */
  keyUsage: KeyUsage[] | undefined;
  extendedKeyUsage: string[] | undefined;
  /** The subjectPublicKey BIT STRING contents, as OCSP hashes it for issuerKeyHash. */
  publicKeyBits: Uint8Array;
  publicKey: KeyObject;
  ocspUrls: string[];
  crlUrls: string[];
  node: X509Certificate;
  pkijs: pkijs.Certificate;
}

const uris = (names: pkijs.GeneralName[]): string[] =>
  names.filter((n) => n.type === GENERAL_NAME_URI && typeof n.value === 'string').map((n) => n.value as string);

/** Parses DER; throws (CERT_PARSE_FAILED from parseCertificate, or asn1 errors) when it is not a certificate. */
export function readCertificate(input: Uint8Array): TrustCertificate {
  const der = copyBytes(input);
  const info = parseCertificate(der);
  const cert = pkijs.Certificate.fromBER(copyBytes(der));
  const node = new X509Certificate(der);
  let subjectKeyId: Uint8Array | undefined;
  let authorityKeyId: Uint8Array | undefined;
  let isCA = false;
  let pathLen: number | undefined;
  let ocspUrls: string[] = [];
  let crlUrls: string[] = [];
  for (const extension of cert.extensions ?? []) {
    const parsed = extension.parsedValue;
    if (extension.extnID === EXT.SUBJECT_KEY_ID && parsed instanceof asn1js.OctetString) {
      subjectKeyId = copyBytes(parsed.valueBlock.valueHexView);
    } else if (extension.extnID === EXT.AUTHORITY_KEY_ID && parsed instanceof pkijs.AuthorityKeyIdentifier) {
      if (parsed.keyIdentifier) authorityKeyId = copyBytes(parsed.keyIdentifier.valueBlock.valueHexView);
    } else if (extension.extnID === EXT.BASIC_CONSTRAINTS && parsed instanceof pkijs.BasicConstraints) {
      isCA = parsed.cA;
      const limit = parsed.pathLenConstraint;
      if (limit !== undefined) pathLen = typeof limit === 'number' ? limit : limit.valueBlock.valueDec;
    } else if (extension.extnID === EXT.AUTHORITY_INFO_ACCESS && parsed instanceof pkijs.InfoAccess) {
      ocspUrls = uris(parsed.accessDescriptions.filter((d) => d.accessMethod === AIA_OCSP).map((d) => d.accessLocation));
    } else if (extension.extnID === EXT.CRL_DISTRIBUTION_POINTS && parsed instanceof pkijs.CRLDistributionPoints) {
      crlUrls = parsed.distributionPoints.flatMap((point) =>
        Array.isArray(point.distributionPoint) ? uris(point.distributionPoint) : [],
      );
    }
  }
  return {
    der,
    fingerprint: createHash('sha256').update(der).digest('hex'),
    name: info.subject.commonName ?? info.subject.text,
    issuerName: info.issuer.commonName ?? info.issuer.text,
    subjectDer: new Uint8Array(cert.subject.valueBeforeDecode),
    issuerDer: new Uint8Array(cert.issuer.valueBeforeDecode),
    serial: copyBytes(cert.serialNumber.valueBlock.valueHexView),
    notBefore: new Date(info.notBefore),
    notAfter: new Date(info.notAfter),
    subjectKeyId,
    authorityKeyId,
    isCA,
    pathLen,
    keyUsage: info.keyUsage,
    extendedKeyUsage: info.extendedKeyUsage,
    publicKeyBits: copyBytes(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
    publicKey: node.publicKey,
    ocspUrls,
    crlUrls,
    node,
    pkijs: cert,
  };
}

/** Whether `issuer`'s key verifies the signature on `child` (false, not a throw, for unusable keys). */
export function signatureVerifies(child: TrustCertificate, issuer: TrustCertificate): boolean {
  try {
    return child.node.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Reads a certificate, or says why it cannot be read. */
export function tryReadCertificate(der: Uint8Array): { cert: TrustCertificate } | { error: string } {
  try {
    return { cert: readCertificate(der) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
