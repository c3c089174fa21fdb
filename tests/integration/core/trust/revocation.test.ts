import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRevocation, type RevocationResult } from '../../../../src/core/trust/index.js';
import { tokenNamed } from '../../../kit/pki.js';
import { closedPort, flipByte, indexOfBytes, issue, LEAF_EXTENSIONS, scratchDir, silentServer, testCerts, type Issued } from './kit.js';

const t = testCerts();
const dir = scratchDir();
const codes = (result: RevocationResult): string[] => result.problems.map((p) => p.code);
const leaderPem = tokenNamed(t.pki, 'VANTHU LEADER').objects[0]!.certPem;

let crlOnly: Issued;
let noServices: Issued;
let deadOcsp: Issued;
let deadOcspWithCrl: Issued;
let hangingOcsp: Issued;
let hanging: Awaited<ReturnType<typeof silentServer>>;

beforeAll(async () => {
  const dead = `http://127.0.0.1:${await closedPort()}/`;
  hanging = await silentServer();
  crlOnly = issue(t.pki, dir, 'crl-only', [...LEAF_EXTENSIONS, `crlDistributionPoints = URI:${t.pki.urls.crl}`]);
  noServices = issue(t.pki, dir, 'no-services', LEAF_EXTENSIONS);
  deadOcsp = issue(t.pki, dir, 'dead-ocsp', [...LEAF_EXTENSIONS, `authorityInfoAccess = OCSP;URI:${dead}`]);
  deadOcspWithCrl = issue(t.pki, dir, 'dead-ocsp-crl', [...LEAF_EXTENSIONS, `authorityInfoAccess = OCSP;URI:${dead}`, `crlDistributionPoints = URI:${t.pki.urls.crl}`]);
  hangingOcsp = issue(t.pki, dir, 'hanging-ocsp', [...LEAF_EXTENSIONS, `authorityInfoAccess = OCSP;URI:http://127.0.0.1:${hanging.port}/`]);
});
afterAll(async () => {
  await hanging?.close();
});

/** An OCSP response from `openssl ocsp` signed by whoever we choose, for a request made by openssl. */
function opensslOcspResponse(certPem: string, signer: { pem: string; key: string }, name: string): Uint8Array {
  const request = path.join(dir, `${name}.req`);
  const response = path.join(dir, `${name}.resp`);
  execFileSync('openssl', ['ocsp', '-issuer', t.pki.subCaPem, '-cert', certPem, '-no_nonce', '-reqout', request], { stdio: 'ignore' });
  execFileSync(
    'openssl',
    ['ocsp', '-index', t.pki.ocsp.index, '-CA', t.pki.subCaPem, '-rsigner', signer.pem, '-rkey', signer.key, '-reqin', request, '-respout', response, '-ndays', '1'],
    { stdio: 'ignore' },
  );
  return new Uint8Array(readFileSync(response));
}

describe('checkRevocation online against the loopback OCSP responder and CRL server', () => {
  it('says good for the leader by OCSP, and keeps the response as evidence', async () => {
    const result = await checkRevocation(t.leader, t.subCa, { at: new Date(), online: true });
    expect(result).toMatchObject({ status: 'good', source: 'ocsp', problems: [] });
    expect(result.ocspResponse?.length).toBeGreaterThan(100);
    expect(result.producedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(result.revokedAt).toBeUndefined();
  });

  it('says revoked for the revoked certificate by OCSP, with reason keyCompromise', async () => {
    const result = await checkRevocation(t.revoked, t.subCa, { at: new Date(), online: true });
    expect(result).toMatchObject({ status: 'revoked', source: 'ocsp', reason: 'keyCompromise' });
    expect(result.revokedAt!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('says good and revoked by CRL when only the CRL is used', async () => {
    const good = await checkRevocation(t.agency, t.subCa, { at: new Date(), online: true, methods: ['crl'] });
    expect(good).toMatchObject({ status: 'good', source: 'crl', problems: [] });
    expect(good.crl).toEqual(t.crl);
    const revoked = await checkRevocation(t.revoked, t.subCa, { at: new Date(), online: true, methods: ['crl'] });
    expect(revoked).toMatchObject({ status: 'revoked', source: 'crl', reason: 'keyCompromise' });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
  });

  it('uses the CRL of a certificate that has no OCSP address', async () => {
    const result = await checkRevocation(crlOnly.der, t.subCa, { at: new Date(), online: true });
    expect(result).toMatchObject({ status: 'good', source: 'crl', problems: [] });
  });

  it('says unknown for a certificate naming no OCSP or CRL address', async () => {
    const result = await checkRevocation(noServices.der, t.subCa, { at: new Date(), online: true });
    expect(result).toMatchObject({ status: 'unknown', source: 'none' });
    expect(codes(result)).toEqual(['TRUST_REVOCATION_NO_SOURCE']);
  });

  it('says unknown with a problem, without throwing, when the responder port is closed', async () => {
    const result = await checkRevocation(deadOcsp.der, t.subCa, { at: new Date(), online: true, timeoutMs: 2000 });
    expect(result).toMatchObject({ status: 'unknown', source: 'none' });
    expect(codes(result)).toEqual(['TRUST_REVOCATION_UNREACHABLE']);
    expect(result.problems[0]!.messageVi).toContain('Không kết nối được máy chủ OCSP');
    expect(result.problems[0]!.messageEn).toContain('ECONNREFUSED');
  });

  it('gives up on a responder that never answers after the timeout', async () => {
    const started = Date.now();
    const result = await checkRevocation(hangingOcsp.der, t.subCa, { at: new Date(), online: true, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.status).toBe('unknown');
    expect(codes(result)).toEqual(['TRUST_REVOCATION_TIMEOUT']);
    expect(result.problems[0]!.messageEn).toContain('0.3 seconds');
  });

  it('falls back to the CRL when the OCSP responder is down, and says so', async () => {
    const result = await checkRevocation(deadOcspWithCrl.der, t.subCa, { at: new Date(), online: true, timeoutMs: 2000 });
    expect(result).toMatchObject({ status: 'good', source: 'crl' });
    expect(codes(result)).toEqual(['TRUST_REVOCATION_UNREACHABLE']);
  });

  it('refuses a replayed OCSP response whose nonce is not ours', async () => {
    let first: Uint8Array | undefined;
    const replaying: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const bytes = new Uint8Array(await response.arrayBuffer());
      first ??= bytes;
      return new Response(first, { status: 200, headers: { 'content-type': 'application/ocsp-response' } });
    };
    const fresh = await checkRevocation(t.leader, t.subCa, { at: new Date(), online: true, fetch: replaying, methods: ['ocsp'] });
    expect(fresh.status).toBe('good');
    const replayed = await checkRevocation(t.leader, t.subCa, { at: new Date(), online: true, fetch: replaying, methods: ['ocsp'] });
    expect(replayed.status).toBe('unknown');
    expect(codes(replayed)).toEqual(['TRUST_OCSP_NONCE_MISMATCH']);
  });
});

describe('checkRevocation with evidence given (offline)', () => {
  let leaderResponse: Uint8Array;
  let revokedResponse: Uint8Array;
  beforeAll(async () => {
    leaderResponse = (await checkRevocation(t.leader, t.subCa, { at: new Date(), online: true })).ocspResponse!;
    revokedResponse = (await checkRevocation(t.revoked, t.subCa, { at: new Date(), online: true })).ocspResponse!;
  });

  it('says good from an OCSP response fetched before, without the network', async () => {
    const result = await checkRevocation(t.leader, t.subCa, { at: new Date(), online: false, ocspResponses: [leaderResponse] });
    expect(result).toMatchObject({ status: 'good', source: 'ocsp', problems: [] });
    expect(result.ocspResponse).toEqual(leaderResponse);
  });

  it('says revoked from a saved OCSP response or the saved CRL (PEM too)', async () => {
    const byOcsp = await checkRevocation(t.revoked, t.subCa, { at: new Date(), ocspResponses: [revokedResponse] });
    expect(byOcsp).toMatchObject({ status: 'revoked', source: 'ocsp', reason: 'keyCompromise' });
    const byCrl = await checkRevocation(t.revoked, t.subCa, { at: new Date(), crls: [new Uint8Array(readFileSync(t.pki.crlPem))] });
    expect(byCrl).toMatchObject({ status: 'revoked', source: 'crl', reason: 'keyCompromise' });
    expect(byCrl.crl).toEqual(t.crl);
  });

  it('ignores evidence about other certificates and says why it cannot tell', async () => {
    const result = await checkRevocation(t.agency, t.subCa, { at: new Date(), ocspResponses: [leaderResponse, revokedResponse] });
    expect(result).toMatchObject({ status: 'unknown', source: 'none' });
    expect(codes(result)).toEqual(['TRUST_REVOCATION_OFFLINE']);
    expect(result.problems[0]!.messageVi).toContain('ngoại tuyến');
  });

  it('ignores a CRL of another CA (the root CRL) for a certificate of the sub-CA', async () => {
    const rootCrl = new Uint8Array(readFileSync(t.pki.rootCrlDer));
    const result = await checkRevocation(t.leader, t.subCa, { at: new Date(), crls: [rootCrl] });
    expect(result.status).toBe('unknown');
    const subCa = await checkRevocation(t.subCa, t.root, { at: new Date(), crls: [rootCrl] });
    expect(subCa).toMatchObject({ status: 'good', source: 'crl' });
  });

  it('does not accept an OCSP response with a flipped byte in its signature or in the signed data', async () => {
    const basic = pkijs.BasicOCSPResponse.fromBER(pkijs.OCSPResponse.fromBER(leaderResponse).responseBytes!.response.valueBlock.valueHexView);
    const signatureAt = indexOfBytes(leaderResponse, basic.signature.valueBlock.valueHexView);
    expect(signatureAt).toBeGreaterThan(0);
    const badSignature = await checkRevocation(t.leader, t.subCa, { at: new Date(), ocspResponses: [flipByte(leaderResponse, signatureAt + 10)] });
    expect(badSignature.status).toBe('unknown');
    expect(codes(badSignature)).toContain('TRUST_OCSP_SIGNATURE_INVALID');

    // producedAt sits in the signed data: change one of its digits.
    const produced = Buffer.from(basic.tbsResponseData.producedAt.toISOString().replace(/[-:T]|\.\d+Z/g, '').slice(0, 12));
    const producedAt = indexOfBytes(leaderResponse, produced);
    expect(producedAt).toBeGreaterThan(0);
    const tampered = new Uint8Array(leaderResponse);
    tampered[producedAt + 11] = tampered[producedAt + 11] === 0x30 ? 0x31 : 0x30;
    const badData = await checkRevocation(t.leader, t.subCa, { at: new Date(), ocspResponses: [tampered] });
    expect(badData.status).toBe('unknown');
    expect(codes(badData)).toContain('TRUST_OCSP_SIGNATURE_INVALID');
  });

  it('does not accept a CRL with a flipped signature byte', async () => {
    const result = await checkRevocation(t.revoked, t.subCa, { at: new Date(), crls: [flipByte(t.crl, t.crl.length - 5)] });
    expect(result.status).toBe('unknown');
    expect(codes(result)).toContain('TRUST_CRL_SIGNATURE_INVALID');
  });

  it('treats a good answer as stale after its nextUpdate, but a revocation as final', async () => {
    const later = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    const stale = await checkRevocation(t.leader, t.subCa, { at: later, ocspResponses: [leaderResponse] });
    expect(stale.status).toBe('unknown');
    expect(codes(stale)).toContain('TRUST_OCSP_STALE');
    const revoked = await checkRevocation(t.revoked, t.subCa, { at: later, ocspResponses: [revokedResponse] });
    expect(revoked.status).toBe('revoked');
  });

  it('says good, with the later revocation date, for a time before the revocation', async () => {
    const revokedAt = (await checkRevocation(t.revoked, t.subCa, { at: new Date(), ocspResponses: [revokedResponse] })).revokedAt!;
    const before = new Date(revokedAt.getTime() - 3600 * 1000);
    const result = await checkRevocation(t.revoked, t.subCa, { at: before, ocspResponses: [revokedResponse] });
    expect(result).toMatchObject({ status: 'good', source: 'ocsp', reason: 'keyCompromise' });
    expect(result.revokedAt).toEqual(revokedAt);
  });

  it('accepts a response signed by the issuing CA itself', async () => {
    const response = opensslOcspResponse(leaderPem, { pem: t.pki.subCaPem, key: t.pki.subCaKeyPem }, 'by-ca');
    const result = await checkRevocation(t.leader, t.subCa, { at: new Date(), ocspResponses: [response] });
    expect(result).toMatchObject({ status: 'good', source: 'ocsp' });
  });

  it('refuses a response signed by a certificate of the CA that lacks the OCSPSigning purpose', async () => {
    const impostor = issue(t.pki, dir, 'impostor', LEAF_EXTENSIONS);
    const response = opensslOcspResponse(leaderPem, impostor, 'by-impostor');
    const result = await checkRevocation(t.leader, t.subCa, { at: new Date(), ocspResponses: [response] });
    expect(result.status).toBe('unknown');
    expect(codes(result)).toContain('TRUST_OCSP_RESPONDER_NOT_AUTHORIZED');
    expect(result.problems[0]!.messageEn).toContain('OCSPSigning');
  });

  it('refuses a response signed by an OCSP responder of another CA', async () => {
    const foreign = issue(t.pki, dir, 'foreign-responder', ['basicConstraints = CA:false', 'extendedKeyUsage = OCSPSigning'], {
      ca: { pem: t.pki.rootPem, key: t.pki.rootKeyPem },
    });
    const response = opensslOcspResponse(leaderPem, foreign, 'by-foreign');
    const result = await checkRevocation(t.leader, t.subCa, { at: new Date(), ocspResponses: [response] });
    expect(result.status).toBe('unknown');
    expect(codes(result)).toContain('TRUST_OCSP_RESPONDER_NOT_AUTHORIZED');
  });

  it('refuses to judge with a certificate that is not the issuer', async () => {
    const notIssuer = await checkRevocation(t.leader, t.root, { at: new Date(), ocspResponses: [leaderResponse], crls: [t.crl] });
    expect(notIssuer.status).toBe('unknown');
    expect(codes(notIssuer)).toEqual(['TRUST_ISSUER_NOT_FOUND']);
    // Same name as the sub-CA, another key: a CRL it signed must not count.
    const subject = '/C=VN/O=Ban Cơ yếu Chính phủ (TEST)/OU=Cục Chứng thực số và Bảo mật thông tin (TEST)/CN=Test CA Chuyên dùng Chính phủ';
    const fake = issue(t.pki, dir, 'fake-sub-ca', ['basicConstraints = critical, CA:true', 'keyUsage = critical, keyCertSign, cRLSign'], {
      subject,
      ca: { pem: t.pki.rootPem, key: t.pki.rootKeyPem },
    });
    const forged = await checkRevocation(t.leader, fake.der, { at: new Date(), crls: [t.crl] });
    expect(forged.status).toBe('unknown');
    expect(codes(forged)).toEqual(['TRUST_SIGNATURE_INVALID']);
  });

  it('reports unreadable evidence instead of throwing', async () => {
    const result = await checkRevocation(t.leader, t.subCa, { at: new Date(), ocspResponses: [new Uint8Array([1, 2, 3])], crls: [new Uint8Array([4, 5])] });
    expect(result.status).toBe('unknown');
    expect(codes(result)).toEqual(['TRUST_OCSP_BAD_RESPONSE', 'TRUST_CRL_BAD', 'TRUST_REVOCATION_OFFLINE']);
  });
});
