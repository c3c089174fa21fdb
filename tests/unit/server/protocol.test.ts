// Pure parts of the server and protocol: organ ids, canonical JSON, byte ranges, receipt keys.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseRange } from '../../../src/server/blobs/range.js';
import { parseDatabaseUrl } from '../../../src/server/db/connect.js';
import { assertOrganId } from '../../../src/server/directory/agencies.js';
import { receiptKeyFrom } from '../../../src/server/messages/receipt-key.js';
import { receiptVerifies, signReceipt } from '../../../src/server/messages/receipts.js';
import { canonicalJson, messageEnvelope } from '../../../src/shared/exchange-protocol.js';
import { isVanthuError } from '../../../src/shared/errors.js';

describe('organ ids', () => {
  it('takes organ ids as they occur (Decree form, short provincial forms, axis centres) and refuses unsafe ones with a bilingual reason', () => {
    for (const id of ['000.00.00.H14', '000.00.18.G12', '123.45.67.A01', '28.22.H17', '14.00.W00', 'vxp.saas.03']) expect(() => assertOrganId(id)).not.toThrow();
    for (const id of ['', '.H14', '000.00.00.H14 ', '../H14', '000..00.H14', '000/00/H14', 'H14\u0000', 'x'.repeat(65), '000.00.00.H14.']) {
      try {
        assertOrganId(id);
        expect.unreachable(id);
      } catch (error) {
        expect(isVanthuError(error, 'SERVER_ORGAN_ID_INVALID')).toBe(true);
      }
    }
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined, so equal objects give equal bytes', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: 'Cao Bằng' })).toBe(canonicalJson(JSON.parse('{"x":"Cao Bằng"}')));
  });
});

describe('envelope schema', () => {
  it('refuses unknown fields and over-long Decree 30 metadata', () => {
    const base = { sender: '000.00.00.H14', recipients: ['000.00.01.H14'], type: 'new', metadata: { subject: 'x' }, files: [] };
    expect(messageEnvelope.safeParse(base).success).toBe(true);
    expect(messageEnvelope.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(messageEnvelope.safeParse({ ...base, metadata: { subject: 'x', codeNotation: 'X'.repeat(31) } }).success).toBe(false);
    expect(messageEnvelope.safeParse({ ...base, recipients: [] }).success).toBe(false);
  });
});

describe('byte ranges', () => {
  it('answers single ranges, suffixes and open ends, and refuses what lies outside', () => {
    expect(parseRange(undefined, 10)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=0-3', 10)).toEqual({ kind: 'part', start: 0, end: 3 });
    expect(parseRange('bytes=5-', 10)).toEqual({ kind: 'part', start: 5, end: 9 });
    expect(parseRange('bytes=-4', 10)).toEqual({ kind: 'part', start: 6, end: 9 });
    expect(parseRange('bytes=8-100', 10)).toEqual({ kind: 'part', start: 8, end: 9 });
    expect(parseRange('bytes=0-1,4-5', 10)).toEqual({ kind: 'whole' });
    expect(() => parseRange('bytes=10-', 10)).toThrow(/outside/);
    expect(() => parseRange('bytes=5-2', 10)).toThrow(/outside/);
  });
});

describe('database URLs', () => {
  it('knows sqlite: and postgres://, and hides a password in its refusal', () => {
    expect(parseDatabaseUrl('sqlite:/tmp/x.db')).toEqual({ dialect: 'sqlite', path: '/tmp/x.db' });
    expect(parseDatabaseUrl('postgres://u@h/db')).toEqual({ dialect: 'postgres', url: 'postgres://u@h/db', prepare: true });
    // ?prepare=off (PgBouncer in transaction pooling): taken out of the URL the driver gets, other parameters kept.
    expect(parseDatabaseUrl('postgres://u@h/db?prepare=off')).toEqual({ dialect: 'postgres', url: 'postgres://u@h/db', prepare: false });
    expect(parseDatabaseUrl('postgres://u@h/db?sslmode=require&prepare=off')).toEqual({ dialect: 'postgres', url: 'postgres://u@h/db?sslmode=require', prepare: false });
    expect(parseDatabaseUrl('postgres://u@h/db?prepare=off&sslmode=require')).toEqual({ dialect: 'postgres', url: 'postgres://u@h/db?sslmode=require', prepare: false });
    expect(() => parseDatabaseUrl('mysql://u:secret@h/db')).toThrow(/u:\*\*\*@h/);
  });
});

describe('receipt keys', () => {
  it('signs with Ed25519 and ECDSA and notices a changed receipt', () => {
    for (const pair of [generateKeyPairSync('ed25519'), generateKeyPairSync('ec', { namedCurve: 'P-256' })]) {
      const key = receiptKeyFrom(pair.privateKey);
      const signed = signReceipt(key, { version: 'vanthu-receipt-v1', messageId: 'm', sender: 's', recipients: ['r'], envelopeSha256: 'e', files: [], acceptedAt: 't', serverKeyId: key.keyId });
      expect(receiptVerifies(key, signed)).toBe(true);
      expect(receiptVerifies(key, { ...signed, receipt: { ...signed.receipt, recipients: ['other'] } })).toBe(false);
    }
    expect(() => receiptKeyFrom(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey)).toThrow(/neither/);
  });
});
