// The local service's TLS: a local CA and a certificate for 127.0.0.1 and localhost, made once and kept in a folder (keys 0600).
import { webcrypto, X509Certificate, randomBytes } from 'node:crypto';

import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;
// pkijs is typed against the DOM's WebCrypto; Node's is the same API under other type names.
type DomCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];
type DomKey = Parameters<pkijs.Certificate['sign']>[0];

export interface TlsMaterial {
  /** PEM of the local CA: what the user's trust store must hold. */
  caPem: string;
  /** PEM chain the server presents: the 127.0.0.1 certificate, then the CA. */
  certPem: string;
  keyPem: string;
  /** SHA-256 fingerprint of the CA, "AB:CD:…", to tell which CA a trust store holds. */
  caFingerprint: string;
  caPath: string;
  /**
   * True when a CA kept from an older version (without name constraints) was replaced on this
   * start: the browsers that trusted the old one must be told to trust the new one.
   */
  caReplaced?: boolean;
}

const FILES = { caCert: 'local-ca.pem', caKey: 'local-ca.key', cert: 'localhost.pem', key: 'localhost.key' } as const;
const CA_NAME = 'vanthu Local Signing CA';
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const DAY = 86_400_000;
// Browsers refuse leaf certificates valid for more than 398 days; the CA can live longer.
const LEAF_DAYS = 397;
const CA_DAYS = 3650;

// X.509 nameConstraints: the only names the CA may vouch for. A browser that trusts the CA then
// refuses any certificate it issues for another site, so a copy of its key (a file on disk)
// cannot impersonate a bank or an e-office server.
export const NAME_CONSTRAINTS_OID = '2.5.29.30';
const IPV4_LOOPBACK_WITH_MASK = Uint8Array.of(127, 0, 0, 1, 255, 255, 255, 255);
const IPV6_LOOPBACK_WITH_MASK = Uint8Array.from([...new Array<number>(15).fill(0), 1, ...new Array<number>(16).fill(0xff)]);
const loopbackOnly = (): pkijs.NameConstraints =>
  new pkijs.NameConstraints({
    permittedSubtrees: [
      new pkijs.GeneralSubtree({ base: new pkijs.GeneralName({ type: 2, value: 'localhost' }) }),
      new pkijs.GeneralSubtree({ base: new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: IPV4_LOOPBACK_WITH_MASK }) }) }),
      new pkijs.GeneralSubtree({ base: new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: IPV6_LOOPBACK_WITH_MASK }) }) }),
    ],
  });

const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as DomCrypto });

const pem = (label: string, der: ArrayBuffer | Uint8Array): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

const commonName = (cn: string): pkijs.RelativeDistinguishedNames =>
  new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.10', value: new asn1js.Utf8String({ value: 'vanthu' }) }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) }),
    ],
  });

/**
 * 16 random bytes as a positive DER INTEGER with no leading zero byte: the first byte 1 to 127. Clearing the top bit
 * alone left a zero first byte once in 128 draws, which DER forbids when the next byte is below 0x80; OpenSSL then
 * refused the certificate ("illegal padding") and the local service did not start, about once in 128 first starts.
 */
export function certificateSerial(random: Uint8Array = randomBytes(16)): Uint8Array {
  const serial = Uint8Array.from(random);
  serial[0] = (serial[0]! % 0x7f) + 1;
  return serial;
}

interface Issued {
  certificate: pkijs.Certificate;
  keys: CryptoKeyPair;
}

async function issue(options: { subject: string; issuer?: Issued; days: number; isCA: boolean; ipAddresses?: string[]; dnsNames?: string[] }): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: certificateSerial() });
  certificate.subject = commonName(options.subject);
  certificate.issuer = options.issuer ? options.issuer.certificate.subject : commonName(options.subject);
  const now = Date.now();
  certificate.notBefore.value = new Date(now - DAY);
  certificate.notAfter.value = new Date(now + options.days * DAY);
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey as unknown as DomKey, engine);
  const subjectKeyId = new Uint8Array(await webcrypto.subtle.digest('SHA-1', certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView));
  // pathLenConstraint 0: the CA issues server certificates only, never another CA.
  const basicConstraints = new pkijs.BasicConstraints(options.isCA ? { cA: true, pathLenConstraint: 0 } : { cA: false });
  const extensions: pkijs.Extension[] = [
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: basicConstraints.toSchema().toBER(false) }),
    // keyUsage: keyCertSign + cRLSign for the CA, digitalSignature for the server.
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: new asn1js.BitString({ valueHex: Uint8Array.of(options.isCA ? 0x06 : 0x80).buffer, unusedBits: options.isCA ? 1 : 7 }).toBER(false) }),
    new pkijs.Extension({ extnID: '2.5.29.14', extnValue: new asn1js.OctetString({ valueHex: subjectKeyId }).toBER(false) }),
  ];
  if (options.isCA) extensions.push(new pkijs.Extension({ extnID: NAME_CONSTRAINTS_OID, critical: true, extnValue: loopbackOnly().toSchema().toBER(false) }));
  if (options.issuer) {
    const issuerKeyId = new Uint8Array(await webcrypto.subtle.digest('SHA-1', options.issuer.certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView));
    extensions.push(new pkijs.Extension({ extnID: '2.5.29.35', extnValue: new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: issuerKeyId }) }).toSchema().toBER(false) }));
  }
  if (!options.isCA) {
    const names = [
      ...(options.ipAddresses ?? []).map((ip) => new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: Uint8Array.from(ip.split('.').map(Number)) }) })),
      ...(options.dnsNames ?? []).map((dns) => new pkijs.GeneralName({ type: 2, value: dns })),
    ];
    extensions.push(new pkijs.Extension({ extnID: '2.5.29.17', extnValue: new pkijs.GeneralNames({ names }).toSchema().toBER(false) }));
    // extKeyUsage: serverAuth.
    extensions.push(new pkijs.Extension({ extnID: '2.5.29.37', extnValue: new pkijs.ExtKeyUsage({ keyPurposes: ['1.3.6.1.5.5.7.3.1'] }).toSchema().toBER(false) }));
  }
  certificate.extensions = extensions;
  await certificate.sign((options.issuer ?? { keys }).keys.privateKey as unknown as DomKey, 'SHA-256', engine);
  return { certificate, keys };
}

const certificatePem = (issued: Issued): string => pem('CERTIFICATE', issued.certificate.toSchema(true).toBER(false));
const keyPem = async (key: CryptoKey): Promise<string> => pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));

async function writePrivate(file: string, text: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode });
  await chmod(temporary, mode);
  await rename(temporary, file);
}

const fingerprintOf = (caPem: string): string => new X509Certificate(caPem).fingerprint256;

/** Whether a CA certificate carries the critical name constraints this version puts in every local CA. */
export const caIsNameConstrained = (certificate: pkijs.Certificate): boolean =>
  certificate.extensions?.some((extension) => extension.extnID === NAME_CONSTRAINTS_OID && extension.critical) ?? false;

const caFromPem = (caPem: string): pkijs.Certificate => pkijs.Certificate.fromBER(Buffer.from(caPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));

async function readKept(dir: string): Promise<TlsMaterial | undefined> {
  try {
    const [caPem, leafPem, keyText] = await Promise.all([FILES.caCert, FILES.cert, FILES.key].map((name) => readFile(path.join(dir, name), 'utf8')));
    const leaf = new X509Certificate(leafPem!);
    const ca = new X509Certificate(caPem!);
    // A leaf close to its end (or a CA changed by hand) is made anew rather than failing in the browser.
    if (new Date(leaf.validTo).getTime() - Date.now() < 30 * DAY || !leaf.checkIssued(ca) || !leaf.checkIP('127.0.0.1') || !caIsNameConstrained(caFromPem(caPem!))) return undefined;
    return { caPem: caPem!, certPem: `${leafPem!}${caPem!}`, keyPem: keyText!, caFingerprint: ca.fingerprint256, caPath: path.join(dir, FILES.caCert) };
  } catch {
    return undefined;
  }
}

/**
 * The CA and 127.0.0.1 certificate kept in `dir`, made there when missing or expiring. The CA
 * stays the same while its files are there, so a browser that trusts it keeps trusting the
 * renewed server certificate.
 */
export async function ensureTlsMaterial(dir: string): Promise<TlsMaterial> {
  const kept = await readKept(dir);
  if (kept) return kept;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let ca: Issued | undefined;
  let caReplaced = false;
  try {
    const [caPem, caKeyPem] = await Promise.all([readFile(path.join(dir, FILES.caCert), 'utf8'), readFile(path.join(dir, FILES.caKey), 'utf8')]);
    const keyDer = Buffer.from(caKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const certificate = caFromPem(caPem);
    // A CA made before name constraints could vouch for any site: it is replaced, and the user asked to trust the new one.
    caReplaced = !caIsNameConstrained(certificate);
    if (!caReplaced && certificate.notAfter.value.getTime() - Date.now() > LEAF_DAYS * DAY) {
      const privateKey = await webcrypto.subtle.importKey('pkcs8', keyDer, ALGORITHM, true, ['sign']);
      ca = { certificate, keys: { privateKey, publicKey: (await certificate.getPublicKey(undefined, engine)) as unknown as CryptoKey } };
    }
  } catch {
    ca = undefined;
  }
  if (!ca) {
    ca = await issue({ subject: CA_NAME, days: CA_DAYS, isCA: true });
    await writePrivate(path.join(dir, FILES.caKey), await keyPem(ca.keys.privateKey), 0o600);
    await writePrivate(path.join(dir, FILES.caCert), certificatePem(ca), 0o644);
  }
  const leaf = await issue({ subject: '127.0.0.1', issuer: ca, days: LEAF_DAYS, isCA: false, ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'] });
  await writePrivate(path.join(dir, FILES.key), await keyPem(leaf.keys.privateKey), 0o600);
  await writePrivate(path.join(dir, FILES.cert), certificatePem(leaf), 0o644);
  const caPem = certificatePem(ca);
  return {
    caPem,
    certPem: `${certificatePem(leaf)}${caPem}`,
    keyPem: await keyPem(leaf.keys.privateKey),
    caFingerprint: fingerprintOf(caPem),
    caPath: path.join(dir, FILES.caCert),
    ...(caReplaced ? { caReplaced } : {}),
  };
}
