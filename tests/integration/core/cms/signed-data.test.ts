import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCmsSignedData, hashBytes, OID } from '../../../../src/core/cms/index.js';
import { finalizeAllModules, TokenSession, TokenSigner } from '../../../../src/core/token/index.js';
import type { HashAlgorithm, SignatureAlgorithm } from '../../../../src/shared/token.js';
import { opensslAsn1, opensslCmsVerify } from '../../../kit/openssl-cms.js';
import { usePki } from '../../../kit/pki.js';

const pki = usePki();
const content = new TextEncoder().encode('%PDF-1.7 Số: 05/UBND-VP — Cao Bằng, ngày 05 tháng 01 năm 2026');
const subCa = new Uint8Array(readFileSync(pki.subCaDer));
const root = new Uint8Array(readFileSync(pki.rootDer));

let session: TokenSession;
let rsa: TokenSigner;
let ec: TokenSigner;
const derOf = (signer: TokenSigner): Uint8Array => new Uint8Array(Buffer.from(signer.certificate.certificate.der, 'base64'));

beforeAll(async () => {
  session = await TokenSession.open(pki.module, { label: 'VANTHU LEADER' });
  await session.login(pki.userPin);
  rsa = new TokenSigner(session, await session.certificate('leader-rsa'));
  ec = new TokenSigner(session, await session.certificate('leader-ec'));
});
afterAll(async () => {
  await session.logout();
  await finalizeAllModules();
});

const sign = (signer: TokenSigner, signatureAlgorithm: SignatureAlgorithm, data = content) =>
  buildCmsSignedData({
    signer,
    certificate: derOf(signer),
    chain: [subCa, root],
    contentDigest: hashBytes(signatureAlgorithm.hash, data),
    digestAlgorithm: signatureAlgorithm.hash,
    signatureAlgorithm,
  });

const parse = (der: Uint8Array) => {
  const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(der).content });
  const signerInfo = signedData.signerInfos[0]!;
  const attributes = signerInfo.signedAttrs?.attributes ?? [];
  return { signedData, signerInfo, attributes, attribute: (type: string) => attributes.find((a) => a.type === type) };
};

const hashes: HashAlgorithm[] = ['SHA-256', 'SHA-384', 'SHA-512'];
const cases: [string, () => TokenSigner, SignatureAlgorithm][] = [
  ...hashes.map((hash): [string, () => TokenSigner, SignatureAlgorithm] => [`RSA PKCS#1 v1.5 ${hash}`, () => rsa, { name: 'RSASSA-PKCS1-v1_5', hash }]),
  ...hashes.map((hash): [string, () => TokenSigner, SignatureAlgorithm] => [`RSA-PSS ${hash}`, () => rsa, { name: 'RSA-PSS', hash }]),
  ...hashes.map((hash): [string, () => TokenSigner, SignatureAlgorithm] => [`ECDSA P-256 ${hash}`, () => ec, { name: 'ECDSA', hash }]),
];

describe('buildCmsSignedData with SoftHSM keys', () => {
  it.each(cases)('%s: openssl cms -verify accepts it and rejects tampered content', async (_name, signer, algorithm) => {
    const cms = await sign(signer(), algorithm);
    const verified = opensslCmsVerify(pki, cms, content);
    expect(verified.output).toContain('Verification successful');
    expect(verified.ok).toBe(true);

    const tampered = Uint8Array.from(content);
    tampered[10]! ^= 0x01;
    const rejected = opensslCmsVerify(pki, cms, tampered);
    expect(rejected.ok).toBe(false);
    expect(rejected.output).toMatch(/digest failure|verify error|Verification failure/i);
  });

  it('carries contentType, messageDigest and signing-certificate-v2, and no signingTime', async () => {
    const cms = await sign(rsa, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    const { attributes, attribute } = parse(cms);
    expect(attributes.map((a) => a.type).sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort());
    expect(attribute(OID.signingTime)).toBeUndefined();

    const contentType = attribute(OID.contentType)!.values[0] as asn1js.ObjectIdentifier;
    expect(contentType.valueBlock.toString()).toBe(OID.data);
    const messageDigest = attribute(OID.messageDigest)!.values[0] as asn1js.OctetString;
    expect(Buffer.from(messageDigest.valueBlock.valueHexView).equals(createHash('sha256').update(content).digest())).toBe(true);
  });

  it('binds the signer certificate in signing-certificate-v2: SHA-256 certHash and issuer/serial', async () => {
    const cms = await sign(rsa, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' });
    const value = parse(cms).attribute(OID.signingCertificateV2)!.values[0] as asn1js.Sequence;
    const certs = value.valueBlock.value[0] as asn1js.Sequence;
    expect(certs.valueBlock.value).toHaveLength(1);
    const essCertId = certs.valueBlock.value[0] as asn1js.Sequence;
    // hashAlgorithm is absent: SHA-256 is its DEFAULT.
    const [certHash, issuerSerial] = essCertId.valueBlock.value as [asn1js.OctetString, asn1js.Sequence];
    expect(certHash).toBeInstanceOf(asn1js.OctetString);
    const certificate = derOf(rsa);
    expect(Buffer.from(certHash.valueBlock.valueHexView).toString('hex')).toBe(createHash('sha256').update(certificate).digest('hex'));

    const parsedCert = pkijs.Certificate.fromBER(certificate);
    const serial = issuerSerial.valueBlock.value[1] as asn1js.Integer;
    expect(Buffer.from(serial.valueBlock.valueHexView).toString('hex')).toBe(Buffer.from(parsedCert.serialNumber.valueBlock.valueHexView).toString('hex'));
    const directoryName = (issuerSerial.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Constructed;
    expect(directoryName.idBlock.tagClass).toBe(3);
    expect(directoryName.idBlock.tagNumber).toBe(4);
    const issuer = new pkijs.RelativeDistinguishedNames({ schema: directoryName.valueBlock.value[0] });
    expect(issuer.isEqual(parsedCert.issuer)).toBe(true);
  });

  it('is detached, names the signer by issuer and serial, and embeds the chain once each', async () => {
    const cms = await buildCmsSignedData({
      signer: rsa,
      certificate: derOf(rsa),
      chain: [subCa, derOf(rsa), root, subCa],
      contentDigest: hashBytes('SHA-256', content),
      digestAlgorithm: 'SHA-256',
      signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    });
    const { signedData, signerInfo } = parse(cms);
    expect(signedData.encapContentInfo.eContentType).toBe(OID.data);
    expect(signedData.encapContentInfo.eContent).toBeUndefined();
    expect(signedData.certificates).toHaveLength(3);
    expect(signedData.digestAlgorithms.map((a) => a.algorithmId)).toEqual([OID.sha256]);
    expect(signerInfo.version).toBe(1);
    expect(signerInfo.sid).toBeInstanceOf(pkijs.IssuerAndSerialNumber);
    const sid = signerInfo.sid as pkijs.IssuerAndSerialNumber;
    expect(sid.serialNumber.isEqual(pkijs.Certificate.fromBER(derOf(rsa)).serialNumber)).toBe(true);
    expect(signerInfo.digestAlgorithm.algorithmId).toBe(OID.sha256);
    expect(signerInfo.signatureAlgorithm.algorithmId).toBe(OID.sha256WithRsa);
  });

  it('names the signature algorithm: sha512WithRSA, RSASSA-PSS with its parameters, ecdsa-with-SHA384', async () => {
    expect(parse(await sign(rsa, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' })).signerInfo.signatureAlgorithm.algorithmId).toBe(OID.sha512WithRsa);
    expect(parse(await sign(ec, { name: 'ECDSA', hash: 'SHA-384' })).signerInfo.signatureAlgorithm.algorithmId).toBe(OID.ecdsaWithSha384);

    const pss = parse(await sign(rsa, { name: 'RSA-PSS', hash: 'SHA-384' })).signerInfo.signatureAlgorithm;
    expect(pss.algorithmId).toBe(OID.rsassaPss);
    const params = new pkijs.RSASSAPSSParams({ schema: pss.algorithmParams });
    expect(params.hashAlgorithm.algorithmId).toBe(OID.sha384);
    expect(params.maskGenAlgorithm.algorithmId).toBe(OID.mgf1);
    expect(new pkijs.AlgorithmIdentifier({ schema: params.maskGenAlgorithm.algorithmParams }).algorithmId).toBe(OID.sha384);
    expect(params.saltLength).toBe(48);
  });

  it('writes signed attributes in DER order', async () => {
    const cms = await sign(ec, { name: 'ECDSA', hash: 'SHA-256' });
    const encoded = parse(cms).attributes.map((a) => Buffer.from(a.toSchema().toBER()));
    const sorted = [...encoded].sort(Buffer.compare);
    expect(encoded).toEqual(sorted);
  });

  it('refuses to return a signature that does not match the certificate', async () => {
    const agency = new Uint8Array(readFileSync(pki.tokens.find((t) => t.label === 'VANTHU AGENCY')!.objects[0]!.certDer));
    await expect(
      buildCmsSignedData({
        signer: rsa,
        certificate: agency,
        contentDigest: hashBytes('SHA-256', content),
        digestAlgorithm: 'SHA-256',
        signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      }),
    ).rejects.toMatchObject({ code: 'CMS_SIGNATURE_MISMATCH' });
  });

  it('rejects a digest of the wrong length or a hash that differs from the signature hash', async () => {
    const base = { signer: rsa, certificate: derOf(rsa), signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const };
    await expect(buildCmsSignedData({ ...base, contentDigest: hashBytes('SHA-384', content), digestAlgorithm: 'SHA-256' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(buildCmsSignedData({ ...base, contentDigest: hashBytes('SHA-384', content), digestAlgorithm: 'SHA-384' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('rejects a certificate that is not DER', async () => {
    await expect(
      buildCmsSignedData({
        signer: rsa,
        certificate: new TextEncoder().encode('-----BEGIN CERTIFICATE-----'),
        contentDigest: hashBytes('SHA-256', content),
        digestAlgorithm: 'SHA-256',
        signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      }),
    ).rejects.toMatchObject({ code: 'CERT_PARSE_FAILED' });
  });

  it('produces a structure openssl asn1parse reads end to end', async () => {
    const cms = await sign(rsa, { name: 'RSA-PSS', hash: 'SHA-256' });
    const text = opensslAsn1(cms);
    expect(text).toContain('pkcs7-signedData');
    expect(text).toContain('id-smime-aa-signingCertificateV2');
    expect(text).not.toMatch(/error/i);
  });
});
