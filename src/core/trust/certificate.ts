// A certificate as chain building and revocation checking see it: raw names, key ids, constraints, service URLs.
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import type { KeyUsage } from '../../shared/certificate.js';
import { VanthuError } from '../../shared/errors.js';
import { TAG, contextTag, expectTag, readChildren, readElement, readOid, readSmallInteger, type DerElement } from '../cms/der.js';
import { extendedKeyUsageFromExtension, keyUsageFromExtension, parseCertificateOnce } from '../x509/certificate-info.js';
import { derKey, remember } from '../x509/parse-cache.js';
import { copyBytes } from './bytes.js';

const EXT = {
  SUBJECT_KEY_ID: '2.5.29.14',
  KEY_USAGE: '2.5.29.15',
  EXT_KEY_USAGE: '2.5.29.37',
  BASIC_CONSTRAINTS: '2.5.29.19',
  CRL_DISTRIBUTION_POINTS: '2.5.29.31',
  AUTHORITY_KEY_ID: '2.5.29.35',
  AUTHORITY_INFO_ACCESS: '1.3.6.1.5.5.7.1.1',
} as const;
const AIA_OCSP = '1.3.6.1.5.5.7.48.1';
/** GeneralName uniformResourceIdentifier: [6] IMPLICIT IA5String. */
const GENERAL_NAME_URI_TAG = contextTag(6, false);
const TAG_BOOLEAN = 0x01;

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
  /** The certificate's signatureAlgorithm OID. */
  signatureAlgorithm: string;
  node: X509Certificate;
}

/** The extensions of a tbsCertificate by OID, each the extnValue's content (the DER of the extension's own value). */
function extensionsOf(tbsFields: DerElement[]): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  const wrapper = tbsFields.find((field) => field.tag === contextTag(3));
  if (!wrapper) return found;
  for (const extension of readChildren(expectTag(readElement(wrapper.content), TAG.SEQUENCE, 'extensions'))) {
    const fields = readChildren(expectTag(extension, TAG.SEQUENCE, 'Extension'));
    const id = readOid(fields[0], 'extnID');
    // A repeated extension (malformed) counts by its last copy, as the earlier pkijs-based reader took it.
    found.set(id, expectTag(fields[fields.length - 1], TAG.OCTET_STRING, 'extnValue').content);
  }
  return found;
}

/** The URIs ([6] IA5String) among GeneralNames. */
const uris = (names: DerElement[]): string[] => names.filter((name) => name.tag === GENERAL_NAME_URI_TAG).map((name) => Buffer.from(name.content).toString('latin1'));

/** A pathLenConstraint too large to matter (or negative, which is malformed) limits nothing. */
function pathLenOf(limit: DerElement): number | undefined {
  try {
    return readSmallInteger(limit);
  } catch {
    return undefined;
  }
}

function basicConstraintsOf(value: Uint8Array | undefined): { isCA: boolean; pathLen: number | undefined } {
  if (!value) return { isCA: false, pathLen: undefined };
  const fields = readChildren(expectTag(readElement(value), TAG.SEQUENCE, 'BasicConstraints'));
  const cA = fields.find((field) => field.tag === TAG_BOOLEAN);
  const limit = fields.find((field) => field.tag === TAG.INTEGER);
  return { isCA: cA !== undefined && cA.content[0] !== 0, pathLen: limit ? pathLenOf(limit) : undefined };
}

function ocspUrlsOf(value: Uint8Array | undefined): string[] {
  if (!value) return [];
  const descriptions = readChildren(expectTag(readElement(value), TAG.SEQUENCE, 'AuthorityInfoAccessSyntax')).map((d) => readChildren(d));
  return uris(descriptions.filter(([method]) => readOid(method) === AIA_OCSP).flatMap(([, location]) => (location ? [location] : [])));
}

function crlUrlsOf(value: Uint8Array | undefined): string[] {
  if (!value) return [];
  return readChildren(expectTag(readElement(value), TAG.SEQUENCE, 'CRLDistributionPoints')).flatMap((point) => {
    const name = readChildren(point).find((field) => field.tag === contextTag(0));
    if (!name) return [];
    // DistributionPointName: [0] fullName (GeneralNames) or [1] nameRelativeToCRLIssuer, which names no URL.
    const fullName = readElement(name.content);
    return fullName.tag === contextTag(0) ? uris(readChildren(fullName)) : [];
  });
}

/** Parses DER (one walk over the bytes, node's X509Certificate for the key and dates); throws when it is not a certificate. */
function parseTrustCertificate(input: Uint8Array): TrustCertificate {
  const der = copyBytes(input);
  const node = new X509Certificate(der);
  const [tbs, signatureAlgorithm] = readChildren(expectTag(readElement(der), TAG.SEQUENCE, 'Certificate'));
  const fields = readChildren(expectTag(tbs, TAG.SEQUENCE, 'tbsCertificate'));
  // The version field [0] is optional (absent for v1 certificates).
  const [serial, , issuer, , subject, publicKeyInfo] = fields[0]?.tag === contextTag(0) ? fields.slice(1) : fields;
  const [, publicKeyBits] = readChildren(expectTag(publicKeyInfo, TAG.SEQUENCE, 'subjectPublicKeyInfo'));
  const extensions = extensionsOf(fields);
  const ski = extensions.get(EXT.SUBJECT_KEY_ID);
  const aki = extensions.get(EXT.AUTHORITY_KEY_ID);
  const keyIdentifier = aki ? readChildren(expectTag(readElement(aki), TAG.SEQUENCE, 'AuthorityKeyIdentifier')).find((f) => f.tag === contextTag(0, false)) : undefined;
  const keyUsage = extensions.get(EXT.KEY_USAGE);
  const extendedKeyUsage = extensions.get(EXT.EXT_KEY_USAGE);
  // Names are for messages only, so they are read (with the slower full parse) when a message needs them.
  let names: { name: string; issuerName: string } | undefined;
  const namesOf = (): { name: string; issuerName: string } => {
    if (!names) {
      try {
        const info = parseCertificateOnce(der);
        names = { name: info.subject.commonName ?? info.subject.text, issuerName: info.issuer.commonName ?? info.issuer.text };
      } catch {
        names = { name: node.subject.replace(/\n/g, ', '), issuerName: node.issuer.replace(/\n/g, ', ') };
      }
    }
    return names;
  };
  return {
    der,
    fingerprint: createHash('sha256').update(der).digest('hex'),
    get name() {
      return namesOf().name;
    },
    get issuerName() {
      return namesOf().issuerName;
    },
    subjectDer: copyBytes(expectTag(subject, TAG.SEQUENCE, 'subject').bytes),
    issuerDer: copyBytes(expectTag(issuer, TAG.SEQUENCE, 'issuer').bytes),
    serial: copyBytes(expectTag(serial, TAG.INTEGER, 'serialNumber').content),
    notBefore: new Date(node.validFrom),
    notAfter: new Date(node.validTo),
    subjectKeyId: ski ? copyBytes(expectTag(readElement(ski), TAG.OCTET_STRING, 'SubjectKeyIdentifier').content) : undefined,
    authorityKeyId: keyIdentifier ? copyBytes(keyIdentifier.content) : undefined,
    ...basicConstraintsOf(extensions.get(EXT.BASIC_CONSTRAINTS)),
    keyUsage: keyUsage ? keyUsageFromExtension(keyUsage) : undefined,
    extendedKeyUsage: extendedKeyUsage ? extendedKeyUsageFromExtension(extendedKeyUsage) : undefined,
    // The BIT STRING's bits without its unused-bits byte, as OCSP hashes it.
    publicKeyBits: copyBytes(expectTag(publicKeyBits, TAG.BIT_STRING, 'subjectPublicKey').content.subarray(1)),
    publicKey: node.publicKey,
    ocspUrls: ocspUrlsOf(extensions.get(EXT.AUTHORITY_INFO_ACCESS)),
    crlUrls: crlUrlsOf(extensions.get(EXT.CRL_DISTRIBUTION_POINTS)),
    signatureAlgorithm: readOid(readChildren(expectTag(signatureAlgorithm, TAG.SEQUENCE, 'signatureAlgorithm'))[0], 'signatureAlgorithm'),
    node,
  };
}

/**
 * Parses DER; throws CERT_PARSE_FAILED when it is not a certificate.
 * Remembered by the bytes' hash within a verification, and across verifications (a pure function of the bytes:
 * CA certificates, and the seals and responder certificates documents repeat).
 */
export function readCertificate(input: Uint8Array): TrustCertificate {
  return remember(derKey('trust-certificate', input), () => {
    try {
      return parseTrustCertificate(input);
    } catch (error) {
      if (error instanceof VanthuError) throw error;
      throw new VanthuError('CERT_PARSE_FAILED', { detail: error instanceof Error ? error.message : String(error) }, { cause: error });
    }
  }, () => true);
}

/** Whether `issuer`'s key verifies the signature on `child` (false, not a throw, for unusable keys). */
export function signatureVerifies(child: TrustCertificate, issuer: TrustCertificate): boolean {
  // Checked once per pair within a verification, and across verifications (a pure function of the two certificates' bytes).
  return remember(
    `certificate-signature:${child.fingerprint}:${issuer.fingerprint}`,
    () => {
      try {
        return child.node.verify(issuer.publicKey);
      } catch {
        return false;
      }
    },
    () => true,
  );
}

/** Reads a certificate, or says why it cannot be read. */
export function tryReadCertificate(der: Uint8Array): { cert: TrustCertificate } | { error: string } {
  try {
    return { cert: readCertificate(der) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
