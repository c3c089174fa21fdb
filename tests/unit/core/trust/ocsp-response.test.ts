// The OCSP response reader against a full pkijs parse of real responses (openssl ocsp over the test PKI): good, revoked with reason, nonce, carried certificates, refusals.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { certificatesFromPem } from '../../../../src/core/trust/bytes.js';
import { readCertificate } from '../../../../src/core/trust/certificate.js';
import { buildOcspRequest } from '../../../../src/core/trust/ocsp.js';
import { readOcspResponse, type BasicOcspResponse } from '../../../../src/core/trust/ocsp-response.js';
import { tokenNamed, usePki } from '../../../kit/pki.js';

const hex = (bytes: ArrayBuffer | Uint8Array): string => Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');
const hexOrNone = (bytes: Uint8Array | undefined): string | undefined => (bytes ? hex(bytes) : undefined);
const work = mkdtempSync(path.join(tmpdir(), 'vanthu-ocsp-reader-'));

/** openssl ocsp answering one request from a file, as the test PKI's responder does over HTTP. */
function opensslAnswer(requestDer: Uint8Array, name: string): Uint8Array {
  const pki = usePki();
  const request = path.join(work, `${name}.req`);
  const response = path.join(work, `${name}.resp`);
  writeFileSync(request, requestDer);
  execFileSync('openssl', ['ocsp', '-index', pki.ocsp.index, '-CA', pki.ocsp.caPem, '-rsigner', pki.ocsp.certPem, '-rkey', pki.ocsp.keyPem, '-ndays', '1', '-reqin', request, '-respout', response], { stdio: 'ignore' });
  return new Uint8Array(readFileSync(response));
}

/** The same facts read by pkijs, as the earlier reader took them. */
function pkijsFacts(der: Uint8Array) {
  const response = pkijs.OCSPResponse.fromBER(new Uint8Array(der));
  const basic = pkijs.BasicOCSPResponse.fromBER(new Uint8Array(response.responseBytes!.response.valueBlock.valueHexView));
  const certs = asn1js.fromBER(response.responseBytes!.response.valueBlock.valueHexView).result as asn1js.Sequence;
  const tagged = certs.valueBlock.value.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0) as asn1js.Constructed | undefined;
  return {
    tbs: hex(basic.tbsResponseData.tbsView),
    producedAt: basic.tbsResponseData.producedAt.toISOString(),
    signatureAlgorithm: basic.signatureAlgorithm.algorithmId,
    signature: hex(basic.signature.valueBlock.valueHexView),
    nonce: hexOrNone(basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === '1.3.6.1.5.5.7.48.1.2')?.extnValue.valueBlock.valueHexView),
    certificates: ((tagged?.valueBlock.value[0] as asn1js.Sequence | undefined)?.valueBlock.value ?? []).map((c) => hex(c.valueBeforeDecodeView)),
    responses: basic.tbsResponseData.responses.map((single) => {
      const status = single.certStatus as asn1js.BaseBlock;
      const revoked = status.idBlock.tagNumber === 1 ? (status as asn1js.Constructed).valueBlock.value : undefined;
      const reason = revoked?.[1] as asn1js.Constructed | undefined;
      return {
        hashOid: single.certID.hashAlgorithm.algorithmId,
        issuerNameHash: hex(single.certID.issuerNameHash.valueBlock.valueHexView),
        issuerKeyHash: hex(single.certID.issuerKeyHash.valueBlock.valueHexView),
        serial: hex(single.certID.serialNumber.valueBlock.valueHexView),
        certStatus: revoked
          ? { status: 'revoked', revokedAt: (revoked[0] as asn1js.GeneralizedTime).toDate().toISOString(), reason: (reason?.valueBlock.value[0] as asn1js.Enumerated | undefined)?.valueBlock.valueDec }
          : { status: status.idBlock.tagNumber === 0 ? 'good' : 'unknown' },
        thisUpdate: single.thisUpdate.toISOString(),
        nextUpdate: single.nextUpdate?.toISOString(),
      };
    }),
  };
}

function walkFacts(basic: BasicOcspResponse) {
  return {
    tbs: hex(basic.tbs),
    producedAt: basic.producedAt.toISOString(),
    signatureAlgorithm: basic.signatureAlgorithm.algorithmId,
    signature: hex(basic.signature),
    nonce: hexOrNone(basic.nonce),
    certificates: basic.certificates.map(hex),
    responses: basic.responses.map((single) => ({
      hashOid: single.hashOid,
      issuerNameHash: hex(single.issuerNameHash),
      issuerKeyHash: hex(single.issuerKeyHash),
      serial: hex(single.serial),
      certStatus:
        single.certStatus?.status === 'revoked'
          ? { status: 'revoked', revokedAt: single.certStatus.revokedAt.toISOString(), reason: single.certStatus.reason }
          : { status: single.certStatus?.status },
      thisUpdate: single.thisUpdate.toISOString(),
      nextUpdate: single.nextUpdate?.toISOString(),
    })),
  };
}

describe('readOcspResponse', () => {
  const pki = usePki();
  const subCa = readCertificate(new Uint8Array(readFileSync(pki.subCaDer)));
  const leader = readCertificate(new Uint8Array(readFileSync(tokenNamed(pki, 'VANTHU LEADER').objects[0]!.certDer)));
  const revoked = readCertificate(certificatesFromPem(readFileSync(pki.revoked.certPem, 'latin1'))[0]!);

  it('reads a good answer (with its nonce and the responder certificate) as pkijs does', () => {
    const request = buildOcspRequest(leader, subCa);
    const der = opensslAnswer(request.der, 'good');
    const read = readOcspResponse(der);
    if (!('basic' in read)) throw new Error(`status ${read.status}`);
    const facts = walkFacts(read.basic);
    expect(facts).toEqual(pkijsFacts(der));
    expect(facts.responses[0]!.certStatus).toEqual({ status: 'good' });
    expect(hex(read.basic.nonce!)).toBe(hex(request.nonce));
    expect(facts.certificates.length).toBeGreaterThan(0);
  });

  it('reads a revoked answer with its time and reason as pkijs does', () => {
    const der = opensslAnswer(buildOcspRequest(revoked, subCa).der, 'revoked');
    const read = readOcspResponse(der);
    if (!('basic' in read)) throw new Error(`status ${read.status}`);
    const facts = walkFacts(read.basic);
    expect(facts).toEqual(pkijsFacts(der));
    // keyCompromise is CRLReason 1.
    expect(facts.responses[0]!.certStatus).toMatchObject({ status: 'revoked', reason: 1 });
  });

  it('gives the status of a refusal, and throws for bytes that are not a response', () => {
    // OCSPResponse { responseStatus tryLater (3) }.
    expect(readOcspResponse(Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x03))).toEqual({ status: 3 });
    expect(() => readOcspResponse(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00))).toThrow();
    expect(() => readOcspResponse(Uint8Array.of(0x30, 0x05, 0x0a, 0x01, 0x00, 0xa0, 0x00))).toThrow();
  });
});
