// Test kit: PDF signatures made with software keys (node:crypto) in shapes tokens do not make: plain ECDSA on brainpool curves, RSASSA-PSS, SHA-1, damaged parts.
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, randomBytes, sign, constants, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OID } from '../../src/core/cms/oids.js';
import { attribute } from '../../src/core/cms/signed-attributes.js';
import { certificateId, issuerAndSerialNumber } from '../../src/core/cms/certificate-id.js';
import { contextTag, encode, octetString, oid, sequence, setOf, smallInteger, derNull } from '../../src/core/cms/der.js';
import { embedSignature, preparePdfSignature, signedContent } from '../../src/core/pdf/index.js';
import { certificatesFromPem } from '../../src/core/trust/bytes.js';
import type { PkiManifest } from './pki-manifest.js';

export interface SoftKey {
  key: KeyObject;
  certificate: Uint8Array;
  /** The test sub-CA, to embed. */
  chain: Uint8Array[];
}

/**
 * A software key of the given kind with a signing certificate from the test sub-CA (openssl issues it); `subject`
 * (openssl's /K=V form) replaces the default one, e.g. an agency's seal with its tax code; `caIssuersUrl` replaces the
 * AIA CA Issuers URL (an address the test itself serves and can stop).
 */
export function issueSoftKey(pki: PkiManifest, commonName: string, keySpec: { rsa: number } | { curve: string }, signatureHash: 'sha1' | 'sha256' = 'sha256', subject?: string, caIssuersUrl?: string): SoftKey {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-soft-key-'));
  const keyPem = path.join(dir, 'key.pem');
  const csr = path.join(dir, 'req.csr');
  const certPem = path.join(dir, 'cert.pem');
  const ext = path.join(dir, 'ext.cnf');
  const newKey = 'rsa' in keySpec ? ['-newkey', `rsa:${keySpec.rsa}`] : ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${keySpec.curve}`];
  // The sub-CA's CRL on loopback answers revocation; its CA Issuers address serves the sub-CA certificate (AIA).
  const caIssuers = caIssuersUrl ?? `http://127.0.0.1:${pki.urls.crlPort}/subca.cer`;
  writeFileSync(
    ext,
    `[v3]\nbasicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\ncrlDistributionPoints=URI:${pki.urls.crl}\nauthorityInfoAccess=caIssuers;URI:${caIssuers}\n`,
  );
  execFileSync('openssl', ['req', '-new', ...newKey, '-nodes', '-utf8', '-keyout', keyPem, '-subj', subject ?? `/CN=${commonName}/O=Sở Tư pháp tỉnh Cao Bằng (TEST)`, '-out', csr], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', pki.subCaPem, '-CAkey', path.join(pki.outDir, 'ca', 'subca.key'), '-set_serial', `0x2${randomBytes(8).toString('hex')}`, '-days', '30', `-${signatureHash}`, '-extfile', ext, '-extensions', 'v3', '-out', certPem], { stdio: 'ignore' });
  return {
    key: createPrivateKey(readFileSync(keyPem)),
    certificate: certificatesFromPem(readFileSync(certPem, 'latin1'))[0]!,
    chain: certificatesFromPem(readFileSync(pki.subCaPem, 'latin1')),
  };
}

/** A software RSA key whose certificate signs itself (a chain to no trusted root), with the given subject. */
export function selfSignedSoftKey(subject: string): SoftKey {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-soft-key-'));
  const keyPem = path.join(dir, 'key.pem');
  const certPem = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-utf8', '-keyout', keyPem, '-subj', subject, '-days', '30', '-sha256', '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation', '-addext', 'basicConstraints=critical,CA:false', '-out', certPem], { stdio: 'ignore' });
  return { key: createPrivateKey(readFileSync(keyPem)), certificate: certificatesFromPem(readFileSync(certPem, 'latin1'))[0]!, chain: [] };
}

export interface SoftCmsOptions {
  key: SoftKey;
  /** Node's digest name: 'sha1', 'sha256', 'sha384', 'sha512'. */
  hash: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  /** The signatureAlgorithm field, DER. */
  signatureAlgorithm: Uint8Array;
  /** How node:crypto signs: ECDSA encoding or RSA padding. */
  signing: { dsaEncoding: 'der' | 'ieee-p1363' } | { padding: 'pkcs1' } | { padding: 'pss'; saltLength: number };
  /** Put this content inside the SignedData too (what a detached signature must not do). */
  encapsulate?: Uint8Array;
  /** Replace the certificates set (e.g. with damaged bytes). */
  certificates?: Uint8Array[];
  /** More signed attributes (DER Attribute each), e.g. Adobe's adbe-revocationInfoArchival. */
  extraSignedAttributes?: Uint8Array[];
}

const DIGEST_OID = { sha1: OID.sha1, sha256: OID.sha256, sha384: OID.sha384, sha512: OID.sha512 } as const;

/** A detached CMS SignedData over `signed`, signed attributes contentType, messageDigest and signingCertificateV2. */
export function softCms(signed: Uint8Array, options: SoftCmsOptions): Uint8Array {
  const { key, hash } = options;
  const digestAlgorithm = sequence(oid(DIGEST_OID[hash]));
  const certHash = createHash('sha256').update(key.certificate).digest();
  const signedAttributes = setOf(
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octetString(createHash(hash).update(signed).digest())),
    attribute(OID.signingCertificateV2, sequence(sequence(sequence(octetString(certHash))))),
    ...(options.extraSignedAttributes ?? []),
  );
  const how = options.signing;
  const signature = sign(hash, signedAttributes, {
    key: key.key,
    ...('dsaEncoding' in how ? { dsaEncoding: how.dsaEncoding } : how.padding === 'pss' ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: how.saltLength } : {}),
  });
  const stored = Uint8Array.from(signedAttributes);
  stored[0] = contextTag(0);
  const signerInfo = sequence(smallInteger(1), issuerAndSerialNumber(certificateId(key.certificate)), digestAlgorithm, stored, options.signatureAlgorithm, octetString(signature));
  const encap = options.encapsulate ? sequence(oid(OID.data), encode(contextTag(0), octetString(options.encapsulate))) : sequence(oid(OID.data));
  const certificates = options.certificates ?? [key.certificate, ...key.chain];
  const signedData = sequence(smallInteger(1), setOf(digestAlgorithm), encap, encode(contextTag(0), ...certificates), setOf(signerInfo));
  return sequence(oid(OID.signedData), encode(contextTag(0), signedData));
}

/** The RSASSA-PSS AlgorithmIdentifier with explicit hash, MGF1 and salt. */
export function pssAlgorithm(hash: 'sha256' | 'sha384' | 'sha512', saltLength: number): Uint8Array {
  const hashId = sequence(oid(DIGEST_OID[hash]));
  return sequence(oid(OID.rsassaPss), sequence(encode(contextTag(0), hashId), encode(contextTag(1), sequence(oid(OID.mgf1), hashId)), encode(contextTag(2), smallInteger(saltLength))));
}

export const algorithm = (dotted: string, withNull = false): Uint8Array => (withNull ? sequence(oid(dotted), derNull()) : sequence(oid(dotted)));

/** Signs `pdf` with a CMS made by `build` from the signed bytes (the /Contents placeholder sized generously). */
export async function signPdfWith(pdf: Uint8Array, build: (signed: Uint8Array) => Uint8Array, options: { reason?: string } = {}): Promise<Uint8Array> {
  const prepared = await preparePdfSignature(pdf, { reservedSize: 16_384, reason: options.reason ?? 'Ban hành', signingTime: new Date() });
  return embedSignature(prepared, build(signedContent(prepared)));
}

/** A PDF signed (SHA-256, RSA PKCS#1 v1.5) with a software key, its certificate and chain embedded. */
export const signPdfWithSoftKey = (pdf: Uint8Array, key: SoftKey): Promise<Uint8Array> =>
  signPdfWith(pdf, (signed) => softCms(signed, { key, hash: 'sha256', signatureAlgorithm: algorithm(OID.sha256WithRsa, true), signing: { padding: 'pkcs1' } }));
