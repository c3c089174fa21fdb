// readCertificate's one DER walk against a full pkijs parse of the same certificates: every field chain building and revocation use must agree.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { BUNDLED_TRUST_DIR } from '../../../../src/core/trust/index.js';
import { certificatesFromPem } from '../../../../src/core/trust/bytes.js';
import { readCertificate, tryReadCertificate } from '../../../../src/core/trust/certificate.js';
import { parseCertificate } from '../../../../src/core/x509/certificate-info.js';
import { tokenNamed, usePki } from '../../../kit/pki.js';

const bundled = ['roots', 'provisional', 'intermediates'].flatMap((dir) =>
  readdirSync(path.join(BUNDLED_TRUST_DIR, dir))
    .filter((name) => name.endsWith('.pem'))
    .flatMap((name) => certificatesFromPem(readFileSync(path.join(BUNDLED_TRUST_DIR, dir, name), 'latin1')).map((der) => ({ name: `${dir}/${name}`, der }))),
);

const uris = (names: pkijs.GeneralName[]): string[] => names.filter((n) => n.type === 6 && typeof n.value === 'string').map((n) => n.value as string);
const hex = (bytes: ArrayBuffer | Uint8Array | undefined): string | undefined => (bytes ? Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex') : undefined);

/** What the earlier reader took from pkijs, field by field. */
function pkijsView(der: Uint8Array) {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(der));
  const view = { ski: undefined as string | undefined, aki: undefined as string | undefined, isCA: false, pathLen: undefined as number | undefined, ocsp: [] as string[], crl: [] as string[] };
  for (const extension of cert.extensions ?? []) {
    const parsed = extension.parsedValue;
    if (extension.extnID === '2.5.29.14' && parsed instanceof asn1js.OctetString) view.ski = hex(parsed.valueBlock.valueHexView);
    else if (extension.extnID === '2.5.29.35' && parsed instanceof pkijs.AuthorityKeyIdentifier) view.aki = hex(parsed.keyIdentifier?.valueBlock.valueHexView);
    else if (extension.extnID === '2.5.29.19' && parsed instanceof pkijs.BasicConstraints) {
      view.isCA = parsed.cA;
      const limit = parsed.pathLenConstraint;
      if (limit !== undefined) view.pathLen = typeof limit === 'number' ? limit : limit.valueBlock.valueDec;
    } else if (extension.extnID === '1.3.6.1.5.5.7.1.1' && parsed instanceof pkijs.InfoAccess) {
      view.ocsp = uris(parsed.accessDescriptions.filter((d) => d.accessMethod === '1.3.6.1.5.5.7.48.1').map((d) => d.accessLocation));
    } else if (extension.extnID === '2.5.29.31' && parsed instanceof pkijs.CRLDistributionPoints) {
      view.crl = parsed.distributionPoints.flatMap((point) => (Array.isArray(point.distributionPoint) ? uris(point.distributionPoint) : []));
    }
  }
  const info = parseCertificate(der);
  return {
    name: info.subject.commonName ?? info.subject.text,
    issuerName: info.issuer.commonName ?? info.issuer.text,
    subjectDer: hex(cert.subject.valueBeforeDecode),
    issuerDer: hex(cert.issuer.valueBeforeDecode),
    serial: hex(cert.serialNumber.valueBlock.valueHexView),
    notBefore: new Date(info.notBefore).toISOString(),
    notAfter: new Date(info.notAfter).toISOString(),
    subjectKeyId: view.ski,
    authorityKeyId: view.aki,
    isCA: view.isCA,
    pathLen: view.pathLen,
    keyUsage: info.keyUsage,
    extendedKeyUsage: info.extendedKeyUsage,
    publicKeyBits: hex(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
    ocspUrls: view.ocsp,
    crlUrls: view.crl,
    signatureAlgorithm: cert.signatureAlgorithm.algorithmId,
  };
}

function walkView(der: Uint8Array) {
  const cert = readCertificate(der);
  return {
    name: cert.name,
    issuerName: cert.issuerName,
    subjectDer: hex(cert.subjectDer),
    issuerDer: hex(cert.issuerDer),
    serial: hex(cert.serial),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    subjectKeyId: hex(cert.subjectKeyId),
    authorityKeyId: hex(cert.authorityKeyId),
    isCA: cert.isCA,
    pathLen: cert.pathLen,
    keyUsage: cert.keyUsage,
    extendedKeyUsage: cert.extendedKeyUsage,
    publicKeyBits: hex(cert.publicKeyBits),
    ocspUrls: cert.ocspUrls,
    crlUrls: cert.crlUrls,
    signatureAlgorithm: cert.signatureAlgorithm,
  };
}

describe('readCertificate', () => {
  it('reads the bundled Vietnamese CA certificates exactly as a full pkijs parse does', () => {
    expect(bundled.length).toBeGreaterThan(20);
    for (const { name: file, der } of bundled) expect({ file, ...walkView(der) }).toEqual({ file, ...pkijsView(der) });
    // The walk must have met the extensions it reads, or agreeing would prove little.
    const views = bundled.map(({ der }) => walkView(der));
    expect(views.some((v) => v.crlUrls.length > 0)).toBe(true);
    expect(views.some((v) => v.authorityKeyId && v.subjectKeyId && v.isCA)).toBe(true);
    expect(views.some((v) => v.pathLen !== undefined)).toBe(true);
  });

  it("reads the test PKI's leaves (OCSP and CRL addresses, RSA and EC keys) and OCSP responder (extended key usage) like pkijs does", () => {
    const pki = usePki();
    const leader = tokenNamed(pki, 'VANTHU LEADER');
    const ders = [leader.objects[0]!.certDer, leader.objects[1]!.certDer, pki.ocsp.certPem, pki.subCaDer].map((file) =>
      file.endsWith('.pem') ? certificatesFromPem(readFileSync(file, 'latin1'))[0]! : new Uint8Array(readFileSync(file)),
    );
    for (const der of ders) expect(walkView(der)).toEqual(pkijsView(der));
    const [leaderRsa, , responder] = ders.map(walkView);
    expect(leaderRsa!.ocspUrls).toEqual([pki.urls.ocsp]);
    expect(leaderRsa!.crlUrls).toEqual([pki.urls.crl]);
    expect(responder!.extendedKeyUsage).toContain('OCSPSigning');
  });

  it('says CERT_PARSE_FAILED for bytes that are not a certificate, and for a truncated one', () => {
    const garbage = tryReadCertificate(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01));
    expect(garbage).toHaveProperty('error');
    const truncated = bundled[0]!.der.subarray(0, 200);
    expect(() => readCertificate(truncated)).toThrow(expect.objectContaining({ code: 'CERT_PARSE_FAILED' }));
  });

  it('gives equal bytes at different places the same parsed certificate (read once), and different bytes their own', () => {
    const [a, b] = bundled;
    const copy = new Uint8Array(a!.der);
    // CA certificates are kept across calls, so even outside a verification the second read is the first one.
    expect(readCertificate(copy)).toBe(readCertificate(a!.der));
    expect(readCertificate(b!.der)).not.toBe(readCertificate(a!.der));
  });
});
