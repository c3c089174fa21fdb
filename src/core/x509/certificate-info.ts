// Parses an X.509 certificate into what officials need to see: who, issued by whom, valid when, for what.
import { X509Certificate, createHash } from 'node:crypto';
import { VanthuError } from '../../shared/errors.js';
import type { CertificateInfo, DistinguishedName, KeyUsage, VietnameseIds } from '../../shared/certificate.js';
import { TAG, contextTag, expectTag, readChildren, readElement, readOid, type DerElement } from '../cms/der.js';
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

/** ASN.1 string types an attribute value may use. */
const STRING_TAGS = { UTF8: 0x0c, UNIVERSAL: 0x1c, BMP: 0x1e } as const;
/** Numeric, Printable, Teletex, Videotex, IA5, Graphic, Visible, General and Character strings: one byte a character. */
const SINGLE_BYTE_STRINGS = new Set([0x12, 0x13, 0x14, 0x15, 0x16, 0x19, 0x1a, 0x1b, 0x1d]);

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

/** An attribute value's text: the string types decoded as X.520 writes them; anything else as RFC 4514's "#" and hex. */
function attributeText(value: DerElement): string {
  const { tag, content } = value;
  if (tag === STRING_TAGS.UTF8) return Buffer.from(content).toString('utf8');
  if (tag === STRING_TAGS.BMP) return Buffer.from(content).swap16().toString('utf16le');
  if (tag === STRING_TAGS.UNIVERSAL) {
    let text = '';
    for (let i = 0; i + 3 < content.length; i += 4) text += String.fromCodePoint(Buffer.from(content.subarray(i, i + 4)).readUInt32BE(0));
    return text;
  }
  if (SINGLE_BYTE_STRINGS.has(tag)) return Buffer.from(content).toString('latin1');
  return `#${Buffer.from(value.bytes).toString('hex')}`;
}

/** A Name (RDNSequence) TLV as its attributes, most general first, as written. */
function parseName(name: DerElement): DistinguishedName {
  const attributes = readChildren(expectTag(name, TAG.SEQUENCE, 'Name')).flatMap((rdn) =>
    readChildren(expectTag(rdn, TAG.SET, 'RelativeDistinguishedName')).map((typeAndValue) => {
      const [type, value] = readChildren(expectTag(typeAndValue, TAG.SEQUENCE, 'AttributeTypeAndValue'));
      const oid = readOid(type, 'AttributeType');
      return { oid, name: SHORT_NAMES[oid] ?? oid, value: value ? attributeText(value) : '' };
    }),
  );
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

/** keyUsage and extendedKeyUsage from a tbsCertificate's extensions (the last copy of a repeated one counts). */
function keyUsageOf(tbsFields: DerElement[]): { keyUsage: KeyUsage[] | undefined; extendedKeyUsage: string[] | undefined } {
  let keyUsage: KeyUsage[] | undefined;
  let extendedKeyUsage: string[] | undefined;
  const wrapper = tbsFields.find((field) => field.tag === contextTag(3));
  for (const extension of wrapper ? readChildren(expectTag(readElement(wrapper.content), TAG.SEQUENCE, 'extensions')) : []) {
    const fields = readChildren(expectTag(extension, TAG.SEQUENCE, 'Extension'));
    const id = readOid(fields[0], 'extnID');
    const value = expectTag(fields[fields.length - 1], TAG.OCTET_STRING, 'extnValue').content;
    if (id === OID.KEY_USAGE) keyUsage = keyUsageFromExtension(value);
    else if (id === OID.EXT_KEY_USAGE) extendedKeyUsage = extendedKeyUsageFromExtension(value);
  }
  return { keyUsage, extendedKeyUsage };
}

/** keyUsage names from the extension's value (a DER BIT STRING); none when it is something else. */
export function keyUsageFromExtension(value: Uint8Array): KeyUsage[] {
  let bits: DerElement;
  try {
    bits = readElement(value);
  } catch {
    return [];
  }
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
  let subject: DistinguishedName;
  let issuer: DistinguishedName;
  let usage: ReturnType<typeof keyUsageOf>;
  try {
    node = new X509Certificate(der);
    const [tbs] = readChildren(expectTag(readElement(der), TAG.SEQUENCE, 'Certificate'));
    const fields = readChildren(expectTag(tbs, TAG.SEQUENCE, 'tbsCertificate'));
    // The version field [0] is optional (absent for v1 certificates): then serial, signature, issuer, validity, subject.
    const [, , issuerName, , subjectName] = fields[0]?.tag === contextTag(0) ? fields.slice(1) : fields;
    subject = parseName(subjectName!);
    issuer = parseName(issuerName!);
    usage = keyUsageOf(fields);
  } catch (error) {
    throw new VanthuError('CERT_PARSE_FAILED', { detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
  const details = node.publicKey.asymmetricKeyDetails ?? {};
  const keyType = node.publicKey.asymmetricKeyType;
  const { keyUsage, extendedKeyUsage } = usage;
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
 * verifications (CA certificates, and the seals, TSA and OCSP responder certificates every document of a sender
 * repeats). The result is shared: callers must not change it.
 */
export function parseCertificateOnce(der: Uint8Array): CertificateInfo {
  return remember(derKey('certificate-info', der), () => parseCertificate(der), () => true);
}
