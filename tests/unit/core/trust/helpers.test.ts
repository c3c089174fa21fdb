import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { certificatesFromPem, derFromMaybePem, integerHex } from '../../../../src/core/trust/bytes.js';
import { CLOCK_SKEW_MS, coversTime, MAX_AGE_WITHOUT_NEXT_UPDATE_MS, reasonName } from '../../../../src/core/trust/revocation-reasons.js';
import { usePki } from '../../../kit/pki.js';

const pki = usePki();
const hour = 3600 * 1000;

describe('trust helpers', () => {
  it('compares serial numbers by value, ignoring the sign byte', () => {
    expect(integerHex(new Uint8Array([0x00, 0x81, 0x02]))).toBe(integerHex(new Uint8Array([0x81, 0x02])));
    expect(integerHex(new Uint8Array([0x00]))).toBe('00');
    expect(integerHex(new Uint8Array([0x01, 0x00]))).not.toBe(integerHex(new Uint8Array([0x01])));
  });

  it('reads the certificates of a PEM bundle and the DER of a PEM CRL', () => {
    expect(certificatesFromPem(readFileSync(pki.chainPem, 'utf8'))).toEqual([
      new Uint8Array(readFileSync(pki.subCaDer)),
      new Uint8Array(readFileSync(pki.rootDer)),
    ]);
    const crlDer = new Uint8Array(readFileSync(pki.crlDer));
    expect(derFromMaybePem(new Uint8Array(readFileSync(pki.crlPem)), ['X509 CRL'])).toEqual(crlDer);
    expect(derFromMaybePem(crlDer, ['X509 CRL'])).toBe(crlDer);
  });

  it('names CRL reasons as RFC 5280 does', () => {
    expect(reasonName(1)).toBe('keyCompromise');
    expect(reasonName(6)).toBe('certificateHold');
    expect(reasonName(7)).toBe('reason 7');
  });

  it('takes a good answer as covering times before it was issued and up to nextUpdate', () => {
    const thisUpdate = new Date('2026-03-05T03:00:00Z');
    const nextUpdate = new Date(thisUpdate.getTime() + 24 * hour);
    expect(coversTime(thisUpdate, nextUpdate, new Date(thisUpdate.getTime() - 365 * 24 * hour))).toBe(true);
    expect(coversTime(thisUpdate, nextUpdate, new Date(nextUpdate.getTime() + CLOCK_SKEW_MS))).toBe(true);
    expect(coversTime(thisUpdate, nextUpdate, new Date(nextUpdate.getTime() + CLOCK_SKEW_MS + 1))).toBe(false);
    expect(coversTime(thisUpdate, undefined, new Date(thisUpdate.getTime() + MAX_AGE_WITHOUT_NEXT_UPDATE_MS))).toBe(true);
    expect(coversTime(thisUpdate, undefined, new Date(thisUpdate.getTime() + MAX_AGE_WITHOUT_NEXT_UPDATE_MS + CLOCK_SKEW_MS + 1))).toBe(false);
  });
});
