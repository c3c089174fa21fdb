import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addSignatureTimestamp,
  buildCmsSignedData,
  DEFAULT_TSA_TIMEOUT_MS,
  hashBytes,
  OID,
  readSignedData,
  readTimestampTokenInfo,
  requestTimestamp,
  signatureValueOf,
  timestampSignature,
} from '../../../../src/core/cms/index.js';
import { finalizeAllModules, TokenSession, TokenSigner } from '../../../../src/core/token/index.js';
import { REJECTION_TEXT, startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { opensslCmsVerify, opensslTsVerify } from '../../../kit/openssl-cms.js';
import { usePki } from '../../../kit/pki.js';

const pki = usePki();
const subCa = new Uint8Array(readFileSync(pki.subCaDer));
const content = new TextEncoder().encode('%PDF-1.7 Quyết định số 12/QĐ-UBND');

let session: TokenSession;
let rsa: TokenSigner;
let ec: TokenSigner;
let tsa: FakeTsa;
let cmsRsa: Uint8Array;
let cmsEc: Uint8Array;

const derOf = (signer: TokenSigner): Uint8Array => new Uint8Array(Buffer.from(signer.certificate.certificate.der, 'base64'));

beforeAll(async () => {
  session = await TokenSession.open(pki.module, { label: 'VANTHU LEADER' });
  await session.login(pki.userPin);
  rsa = new TokenSigner(session, await session.certificate('leader-rsa'));
  ec = new TokenSigner(session, await session.certificate('leader-ec'));
  cmsRsa = await buildCmsSignedData({
    signer: rsa,
    certificate: derOf(rsa),
    chain: [subCa],
    contentDigest: hashBytes('SHA-256', content),
    digestAlgorithm: 'SHA-256',
    signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  });
  cmsEc = await buildCmsSignedData({
    signer: ec,
    certificate: derOf(ec),
    chain: [subCa],
    contentDigest: hashBytes('SHA-384', content),
    digestAlgorithm: 'SHA-384',
    signatureAlgorithm: { name: 'ECDSA', hash: 'SHA-384' },
  });
  tsa = await startFakeTsa(pki);
});
afterEach(() => {
  tsa.mode = 'grant';
  tsa.delayMs = 0;
});
afterAll(async () => {
  await tsa?.close();
  await session.logout();
  await finalizeAllModules();
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('RFC 3161 client against the fake TSA (openssl ts -reply)', () => {
  it('gets a token whose imprint openssl ts -verify accepts with the test root', async () => {
    const digest = hashBytes('SHA-256', content);
    const before = Date.now();
    const timestamp = await requestTimestamp(digest, 'SHA-256', { url: tsa.url });
    expect(tsa.requests.at(-1)?.contentType).toBe('application/timestamp-query');
    expect(Math.abs(timestamp.genTime.getTime() - before)).toBeLessThan(10_000);
    expect(timestamp.policy).toBe(pki.tsa.policyOid);
    expect(timestamp.tsaCertificate.length).toBeGreaterThan(0);

    expect(opensslTsVerify(pki, timestamp.token, digest)).toMatchObject({ ok: true });
    const other = hashBytes('SHA-256', new TextEncoder().encode('something else'));
    expect(opensslTsVerify(pki, timestamp.token, other).ok).toBe(false);
  });

  it('sends certReq and a nonce, and asks for the chosen hash and policy', async () => {
    const digest = hashBytes('SHA-512', content);
    const timestamp = await requestTimestamp(digest, 'SHA-512', { url: tsa.url, policyOid: '1.2.3.4.5.6' });
    const request = pkijs.TimeStampReq.fromBER(tsa.requests.at(-1)!.body);
    expect(request.certReq).toBe(true);
    expect(request.nonce).toBeDefined();
    expect(request.reqPolicy).toBe('1.2.3.4.5.6');
    expect(request.messageImprint.hashAlgorithm.algorithmId).toBe(OID.sha512);
    expect(Buffer.from(request.messageImprint.hashedMessage.valueBlock.valueHexView).equals(Buffer.from(digest))).toBe(true);
    expect(timestamp.policy).toBe('1.2.3.4.5.6');
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      await requestTimestamp(digest, 'SHA-512', { url: tsa.url });
      nonces.add(Buffer.from(pkijs.TimeStampReq.fromBER(tsa.requests.at(-1)!.body).nonce!.valueBlock.valueHexView).toString('hex'));
    }
    expect(nonces.size).toBe(3);
  });

  it('waits for a slow TSA within the timeout', async () => {
    tsa.delayMs = 1500;
    const timestamp = await requestTimestamp(hashBytes('SHA-256', content), 'SHA-256', { url: tsa.url, timeoutMs: 10_000 });
    expect(timestamp.token.length).toBeGreaterThan(0);
  });

  it('defaults to a timeout of minutes, for the government TSA', () => {
    expect(DEFAULT_TSA_TIMEOUT_MS).toBeGreaterThanOrEqual(120_000);
  });

  it('gives up on a TSA slower than the timeout: TSA_TIMEOUT', async () => {
    tsa.delayMs = 3000;
    const started = Date.now();
    await expect(requestTimestamp(hashBytes('SHA-256', content), 'SHA-256', { url: tsa.url, timeoutMs: 400 })).rejects.toMatchObject({
      code: 'TSA_TIMEOUT',
      params: { seconds: 0.4 },
    });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('gives up on a TSA that never answers: TSA_TIMEOUT', async () => {
    tsa.mode = 'hang';
    await expect(requestTimestamp(hashBytes('SHA-256', content), 'SHA-256', { url: tsa.url, timeoutMs: 300 })).rejects.toMatchObject({ code: 'TSA_TIMEOUT' });
  });

  it('can be cancelled: TSA_CANCELLED', async () => {
    tsa.mode = 'hang';
    const controller = new AbortController();
    const pending = requestTimestamp(hashBytes('SHA-256', content), 'SHA-256', { url: tsa.url, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ code: 'TSA_CANCELLED' });
  });

  it('reports a TSA that is down: TSA_UNREACHABLE', async () => {
    const port = await closedPort();
    const error = await requestTimestamp(hashBytes('SHA-256', content), 'SHA-256', { url: `http://127.0.0.1:${port}/tsa` }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TSA_UNREACHABLE', params: { detail: 'ECONNREFUSED' } });
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
  });

  it('reports HTTP errors: TSA_HTTP_ERROR', async () => {
    tsa.mode = 'http-500';
    await expect(requestTimestamp(hashBytes('SHA-256', content), 'SHA-256', { url: tsa.url })).rejects.toMatchObject({
      code: 'TSA_HTTP_ERROR',
      params: { status: '500 Internal Server Error' },
    });
  });

  it('reports a rejection with its status text: TSA_REJECTED', async () => {
    tsa.mode = 'reject';
    const error = await requestTimestamp(hashBytes('SHA-256', content), 'SHA-256', { url: tsa.url }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TSA_REJECTED', params: { status: 'rejection' } });
    const { messageVi, messageEn } = error as { messageVi: string; messageEn: string };
    expect(messageEn).toContain(REJECTION_TEXT);
    expect(messageEn).toContain('systemFailure');
    expect(messageVi).toContain('từ chối');
  });

  it('refuses a token for another digest: TSA_IMPRINT_MISMATCH', async () => {
    tsa.mode = 'wrong-imprint';
    await expect(requestTimestamp(hashBytes('SHA-256', content), 'SHA-256', { url: tsa.url })).rejects.toMatchObject({ code: 'TSA_IMPRINT_MISMATCH' });
  });

  it('refuses a token for another request: TSA_NONCE_MISMATCH', async () => {
    tsa.mode = 'wrong-nonce';
    await expect(requestTimestamp(hashBytes('SHA-256', content), 'SHA-256', { url: tsa.url })).rejects.toMatchObject({ code: 'TSA_NONCE_MISMATCH' });
  });

  it('refuses a token whose signature does not verify: TSA_SIGNATURE_INVALID', async () => {
    tsa.mode = 'bad-signature';
    await expect(requestTimestamp(hashBytes('SHA-256', content), 'SHA-256', { url: tsa.url })).rejects.toMatchObject({ code: 'TSA_SIGNATURE_INVALID' });
  });

  it('refuses an answer that is not a TimeStampResp: TSA_BAD_RESPONSE', async () => {
    tsa.mode = 'garbage';
    await expect(requestTimestamp(hashBytes('SHA-256', content), 'SHA-256', { url: tsa.url })).rejects.toMatchObject({ code: 'TSA_BAD_RESPONSE' });
  });

  it('rejects a URL that is not http(s) and a digest of the wrong size: BAD_INPUT', async () => {
    await expect(requestTimestamp(hashBytes('SHA-256', content), 'SHA-256', { url: 'ftp://127.0.0.1/tsa' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(requestTimestamp(hashBytes('SHA-256', content), 'SHA-384', { url: tsa.url })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('PAdES B-T: signature timestamp as an unsigned attribute', () => {
  it.each([
    ['RSA', () => cmsRsa],
    ['ECDSA', () => cmsEc],
  ])('%s: adds a token over the signature value that openssl accepts, and the CMS still verifies', async (_name, cms) => {
    const { cms: withTimestamp, timestamp } = await timestampSignature(cms(), { url: tsa.url });

    const signatureValue = signatureValueOf(cms());
    expect(opensslTsVerify(pki, timestamp.token, hashBytes('SHA-256', signatureValue))).toMatchObject({ ok: true });
    expect(opensslCmsVerify(pki, withTimestamp, content)).toMatchObject({ ok: true });
    expect(opensslCmsVerify(pki, withTimestamp, new TextEncoder().encode('other')).ok).toBe(false);

    // Parsed independently: the unsigned attribute holds exactly the token.
    const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(withTimestamp).content });
    const unsigned = signedData.signerInfos[0]!.unsignedAttrs!.attributes;
    expect(unsigned.map((a) => a.type)).toEqual([OID.signatureTimeStampToken]);
    const embedded = new Uint8Array((unsigned[0]!.values[0] as asn1js.Sequence).toBER());
    expect(Buffer.from(embedded).equals(Buffer.from(timestamp.token))).toBe(true);
    expect(readTimestampTokenInfo(embedded).genTime.getTime()).toBe(timestamp.genTime.getTime());
  });

  it('keeps every byte before the signer info and the signed attributes unchanged', async () => {
    const { cms } = await timestampSignature(cmsRsa, { url: tsa.url });
    const before = readSignedData(cmsRsa);
    const after = readSignedData(cms);
    expect(Buffer.from(after.signerInfos[0]!.signedAttrs!.bytes).equals(Buffer.from(before.signerInfos[0]!.signedAttrs!.bytes))).toBe(true);
    expect(Buffer.from(after.signerInfos[0]!.signature).equals(Buffer.from(before.signerInfos[0]!.signature))).toBe(true);
    expect(after.certificates.map((c) => Buffer.from(c).toString('hex'))).toEqual(before.certificates.map((c) => Buffer.from(c).toString('hex')));
    expect(before.signerInfos[0]!.unsignedAttrs).toBeUndefined();
  });

  it('adds a second timestamp beside the first', async () => {
    const once = await timestampSignature(cmsRsa, { url: tsa.url });
    const second = await requestTimestamp(hashBytes('SHA-256', signatureValueOf(cmsRsa)), 'SHA-256', { url: tsa.url });
    const twice = addSignatureTimestamp(once.cms, second.token);
    const attributes = readSignedData(twice).signerInfos[0]!.unsignedAttributes;
    expect(attributes.map((a) => a.type)).toEqual([OID.signatureTimeStampToken, OID.signatureTimeStampToken]);
    expect(opensslCmsVerify(pki, twice, content).ok).toBe(true);
  });

  it('refuses to add a token made for another signature', async () => {
    const forEc = await timestampSignature(cmsEc, { url: tsa.url });
    expect(() => addSignatureTimestamp(cmsRsa, forEc.timestamp.token)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => addSignatureTimestamp(cmsRsa, cmsEc)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('timestamps with SHA-512 when asked', async () => {
    const { cms, timestamp } = await timestampSignature(cmsEc, { url: tsa.url, hash: 'SHA-512' });
    expect(opensslTsVerify(pki, timestamp.token, hashBytes('SHA-512', signatureValueOf(cmsEc))).ok).toBe(true);
    expect(readTimestampTokenInfo(timestamp.token).hashOid).toBe(OID.sha512);
    expect(opensslCmsVerify(pki, cms, content).ok).toBe(true);
  });

  it('leaves the signature as it was when the TSA is down', async () => {
    tsa.mode = 'http-500';
    await expect(timestampSignature(cmsRsa, { url: tsa.url })).rejects.toMatchObject({ code: 'TSA_HTTP_ERROR' });
    expect(readSignedData(cmsRsa).signerInfos[0]!.unsignedAttrs).toBeUndefined();
  });

  it('refuses bytes that are not CMS: CMS_INVALID', () => {
    expect(() => signatureValueOf(new TextEncoder().encode('not cms'))).toThrow(expect.objectContaining({ code: 'CMS_INVALID' }));
    expect(() => addSignatureTimestamp(Uint8Array.of(0x30, 0x80, 0, 0), cmsRsa)).toThrow(expect.objectContaining({ code: 'CMS_INVALID' }));
  });
});
