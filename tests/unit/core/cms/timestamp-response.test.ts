import { describe, expect, it } from 'vitest';
import { TAG, encode, octetString, oid, sequence, smallInteger, unsignedInteger } from '../../../../src/core/cms/der.js';
import { hashBytes } from '../../../../src/core/cms/algorithms.js';
import { OID } from '../../../../src/core/cms/oids.js';
import { buildTimestampRequest } from '../../../../src/core/cms/timestamp-request.js';
import { acceptTimestampResponse, readTstInfo } from '../../../../src/core/cms/timestamp-response.js';

const url = 'http://tsa.example/tsa';
const request = buildTimestampRequest(hashBytes('SHA-256', new TextEncoder().encode('x')), 'SHA-256');
const statusOnly = (status: number, ...details: Uint8Array[]) => sequence(sequence(smallInteger(status), ...details));

describe('acceptTimestampResponse without a token', () => {
  it('reports status waiting as a rejection with its name', () => {
    expect(() => acceptTimestampResponse(statusOnly(3), request, url)).toThrow(expect.objectContaining({ code: 'TSA_REJECTED', params: expect.objectContaining({ status: 'waiting' }) }));
  });

  it('names the failure bits: badAlg and unacceptedPolicy', () => {
    // bits 0 and 15: bytes 0x80 0x01, 0 unused bits.
    const failInfo = encode(TAG.BIT_STRING, Uint8Array.of(0, 0x80, 0x01));
    expect(() => acceptTimestampResponse(statusOnly(2, failInfo), request, url)).toThrow(
      expect.objectContaining({ code: 'TSA_REJECTED', params: expect.objectContaining({ statusText: 'badAlg; unacceptedPolicy' }) }),
    );
  });

  it('calls a granted answer without a token a bad response', () => {
    expect(() => acceptTimestampResponse(statusOnly(0), request, url)).toThrow(expect.objectContaining({ code: 'TSA_BAD_RESPONSE' }));
  });

  it('calls bytes with trailing data a bad response', () => {
    expect(() => acceptTimestampResponse(Uint8Array.of(...statusOnly(0), 0), request, url)).toThrow(expect.objectContaining({ code: 'TSA_BAD_RESPONSE' }));
  });
});

describe('buildTimestampRequest', () => {
  it('makes an 8-byte positive nonce and a different one each time', () => {
    const a = buildTimestampRequest(request.digest, 'SHA-256');
    const b = buildTimestampRequest(request.digest, 'SHA-256');
    expect(a.nonce.length).toBe(8);
    expect((a.nonce[0] ?? 0) & 0x80).toBe(0);
    expect(Buffer.from(a.nonce).equals(Buffer.from(b.nonce))).toBe(false);
  });
});

describe('readTstInfo', () => {
  it('reads fractional seconds of genTime and the nonce', () => {
    const tstInfo = sequence(
      smallInteger(1),
      oid('1.2.3.4.1'),
      sequence(sequence(oid(OID.sha256)), octetString(request.digest)),
      smallInteger(4660),
      encode(TAG.GENERALIZED_TIME, new TextEncoder().encode('20260305031530.25Z')),
      unsignedInteger(request.nonce),
    );
    const info = readTstInfo(tstInfo);
    expect(info.genTime.toISOString()).toBe('2026-03-05T03:15:30.250Z');
    expect(info.serialNumber).toBe('1234');
    expect(info.policy).toBe('1.2.3.4.1');
    expect(Buffer.from(info.nonce!).equals(Buffer.from(request.nonce))).toBe(true);
  });

  it('refuses a genTime with a local offset', () => {
    const tstInfo = sequence(
      smallInteger(1),
      oid('1.2.3.4.1'),
      sequence(sequence(oid(OID.sha256)), octetString(request.digest)),
      smallInteger(1),
      encode(TAG.GENERALIZED_TIME, new TextEncoder().encode('20260305101530+0700')),
    );
    expect(() => readTstInfo(tstInfo)).toThrow(/genTime/);
  });
});
