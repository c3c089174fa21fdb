import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rawEcdsaToDer } from '../../../../src/core/token/ecdsa-signature.js';

describe('rawEcdsaToDer', () => {
  it('turns r||s signatures into DER that verifies, for P-256 and P-384', () => {
    for (const namedCurve of ['P-256', 'P-384']) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
      for (let i = 0; i < 40; i++) {
        const data = Buffer.from(`văn bản ${i}`);
        const raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
        const der = rawEcdsaToDer(raw);
        expect(verify('sha256', data, publicKey, Buffer.from(der))).toBe(true);
      }
    }
  });

  it('adds a zero byte to a high r and strips leading zeros', () => {
    const raw = new Uint8Array(64);
    raw[0] = 0x80;
    raw[63] = 0x01;
    const der = Buffer.from(rawEcdsaToDer(raw)).toString('hex');
    expect(der).toBe(`3026022100${'80'.padEnd(64, '0')}020101`);
  });

  it('rejects an odd-length input', () => {
    expect(() => rawEcdsaToDer(new Uint8Array(63))).toThrow(RangeError);
  });
});
