// Parses an X.509 certificate into what officials need to see: who, issued by whom, valid when, for what.
import { X509Certificate, createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { VanthuError } from '../../shared/errors.js';
import type { CertificateInfo, DistinguishedName, KeyUsage, VietnameseIds } from '../../shared/certificate.js';
import { TAG, expectTag, readChildren, readElement, readOid } from '../cms/der.js';
import { derKey, remember } from './parse-cache.js';

const OID = {
  CN: '2.5.4.3',
  SURNAME: '2.5.4.4',
  SERIAL_NUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  STREET: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  TITLE: '2.5.4.12',
  GIVEN_NAME: '2.5.4.42',
  EMAIL: '1.2.840.113549.1.9.1',
  UID: '0.9.2342.19200300.100.1.1',
  KEY_USAGE: '2.5.29.15',
  EXT_KEY_USAGE: '2.5.29.37',
} as const;

const SHORT_NAMES: Record<string, string> = {
  [OID.CN]: 'CN',
  [OID.SURNAME]: 'SN',
  [OID.SERIAL_NUMBER]: 'serialNumber',
  [OID.C]: 'C',
  [OID.L]: 'L',
  [OID.ST]: 'ST',
  [OID.STREET]: 'street',
  [OID.O]: 'O',
  [OID.OU]: 'OU',
  [OID.TITLE]: 'title',
  [OID.GIVEN_NAME]: 'GN',
  [OID.EMAIL]: 'E',
  [OID.UID]: 'UID',
};

const KEY_USAGE_BITS: KeyUsage[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.4.1.311.10.3.12': 'documentSigning',
};

/** Vietnamese CAs put the personal id or tax code in UID as "PREFIX:value". */
const VN_ID_PREFIXES: Record<string, keyof VietnameseIds> = {
  CMND: 'cmnd',
  CCCD: 'cccd',
  HC: 'passport',
  MST: 'taxCode',
  MNS: 'budgetCode',
};

const attributeText = (value: unknown): string => {
  if (value && typeof value === 'object' && 'valueBlock' in value) {
    const block = (value as { valueBlock: { value?: unknown } }).valueBlock;
    if (typeof block.value === 'string') return block.value;
  }
  return String(value);
};

function parseName(name: pkijs.RelativeDistinguishedNames): DistinguishedName {
  const attributes = name.typesAndValues.map((tv) => ({
    oid: tv.type,
    name: SHORT_NAMES[tv.type] ?? tv.type,
    value: attributeText(tv.value),
  }));
  const all = (oid: string): string[] => attributes.filter((a) => a.oid === oid).map((a) => a.value);
  const one = (oid: string): string | undefined => all(oid)[0];
  return {
    commonName: one(OID.CN),
    organization: one(OID.O),
    organizationalUnits: all(OID.OU),
    title: one(OID.TITLE),
    locality: one(OID.L),
    state: one(OID.ST),
    country: one(OID.C),
    email: one(OID.EMAIL),
    uids: all(OID.UID),
    // RFC 4514 writes the most specific attribute first.
    text: [...attributes]
      .reverse()
      .map((a) => `${a.name}=${a.value.replace(/([,+"\\<>;])/g, '\\$1')}`)
      .join(', '),
    attributes,
  };
}

export function parseVietnameseIds(uids: readonly string[]): VietnameseIds {
  const ids: VietnameseIds = {};
  for (const uid of uids) {
    const match = /^\s*([A-Za-z]+)\s*[:-]\s*(.+?)\s*$/.exec(uid);
    const key = match ? VN_ID_PREFIXES[match[1]!.toUpperCase()] : undefined;
    if (key && match) ids[key] = match[2]!;
  }
  return ids;
}

function keyUsageOf(cert: pkijs.Certificate): { keyUsage: KeyUsage[] | undefined; extendedKeyUsage: string[] | undefined } {
  let keyUsage: KeyUsage[] | undefined;
  let extendedKeyUsage: string[] | undefined;
  for (const extension of cert.extensions ?? []) {
    if (extension.extnID === OID.KEY_USAGE) {
      const bits = asn1js.fromBER(extension.extnValue.valueBlock.valueHexView);
      const view = bits.result instanceof asn1js.BitString ? bits.result.valueBlock.valueHexView : new Uint8Array();
      keyUsage = KEY_USAGE_BITS.filter((_, bit) => ((view[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0);
    } else if (extension.extnID === OID.EXT_KEY_USAGE) {
      const parsed = new pkijs.ExtKeyUsage({ schema: asn1js.fromBER(extension.extnValue.valueBlock.valueHexView).result });
      extendedKeyUsage = parsed.keyPurposes.map((oid) => EKU_NAMES[oid] ?? oid);
    }
  }
  return { keyUsage, extendedKeyUsage };
}

/** keyUsage names from the extension's value (a DER BIT STRING); none when it is something else. */
export function keyUsageFromExtension(value: Uint8Array): KeyUsage[] {
  const bits = readElement(value);
  const view = bits.tag === TAG.BIT_STRING ? bits.content.subarray(1) : new Uint8Array();
  return KEY_USAGE_BITS.filter((_, bit) => ((view[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0);
}

/** extendedKeyUsage names (OIDs for purposes without one) from the extension's value (a DER SEQUENCE OF OID). */
export function extendedKeyUsageFromExtension(value: Uint8Array): string[] {
  return readChildren(expectTag(readElement(value), TAG.SEQUENCE, 'ExtKeyUsageSyntax')).map((purpose) => {
    const id = readOid(purpose, 'KeyPurposeId');
    return EKU_NAMES[id] ?? id;
  });
}

/** Parses a DER certificate; throws CERT_PARSE_FAILED when it is not one. */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  let node: X509Certificate;
  let cert: pkijs.Certificate;
  try {
    node = new X509Certificate(der);
    cert = pkijs.Certificate.fromBER(new Uint8Array(der));
  } catch (error) {
    throw new VanthuError('CERT_PARSE_FAILED', { detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
  const subject = parseName(cert.subject);
  const issuer = parseName(cert.issuer);
  const details = node.publicKey.asymmetricKeyDetails ?? {};
  const keyType = node.publicKey.asymmetricKeyType;
  const { keyUsage, extendedKeyUsage } = keyUsageOf(cert);
  return {
    subject,
    issuer,
    serialNumber: node.serialNumber.toUpperCase(),
    notBefore: new Date(node.validFrom).toISOString(),
    notAfter: new Date(node.validTo).toISOString(),
    keyUsage,
    extendedKeyUsage,
    publicKey:
      keyType === 'ec'
        ? { type: 'ec', curve: details.namedCurve ?? 'unknown', bits: curveBits(details.namedCurve) }
        : { type: keyType === 'rsa' || keyType === 'rsa-pss' ? 'rsa' : 'other', bits: details.modulusLength ?? 0 },
    vietnameseIds: parseVietnameseIds(subject.uids),
    isCA: node.ca,
    sha256: createHash('sha256').update(der).digest('hex'),
    der: Buffer.from(der).toString('base64'),
  };
}

function curveBits(curve: string | undefined): number {
  if (curve === 'prime256v1' || curve === 'P-256') return 256;
  if (curve === 'secp384r1' || curve === 'P-384') return 384;
  if (curve === 'secp521r1' || curve === 'P-521') return 521;
  return 0;
}

/** Whether a certificate is within its validity period at `at`. */
export const isWithinValidity = (info: CertificateInfo, at: Date = new Date()): boolean =>
  at >= new Date(info.notBefore) && at <= new Date(info.notAfter);

/**
 * parseCertificate remembered by the bytes' hash: once per verification (parse-cache scope), and across
 * verifications for CA certificates. The result is shared: callers must not change it.
 */
export function parseCertificateOnce(der: Uint8Array): CertificateInfo {
  return remember(derKey('certificate-info', der), () => parseCertificate(der), (info) => info.isCA);
}
