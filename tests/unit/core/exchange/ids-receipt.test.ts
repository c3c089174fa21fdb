// Message and status ids, and receipt verification against a key made here (good, tampered, another key, another envelope).
import { generateKeyPairSync, createHash, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sendMessageId, statusEventId, uuidV7, verifyReceipt, type ServerKey } from '../../../../src/core/exchange/index.js';
import { canonicalJson, type MessageEnvelope, type Receipt, type SignedReceipt } from '../../../../src/shared/exchange-protocol.js';
import { isVanthuError } from '../../../../src/shared/errors.js';
import { z } from 'zod';

const makeKey = (): { key: ServerKey; sign: (r: Receipt) => SignedReceipt } => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  return {
    key: { algorithm: 'Ed25519', keyId, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    sign: (receipt) => ({ receipt, algorithm: 'Ed25519', signature: sign(null, Buffer.from(canonicalJson(receipt)), privateKey).toString('base64') }),
  };
};

const envelope: MessageEnvelope = {
  sender: '000.00.00.H14',
  recipients: ['000.00.01.H14'],
  type: 'new',
  metadata: { subject: 'Về việc thử' },
  files: [{ sha256: 'a'.repeat(64), role: 'main', name: 'a.pdf' }],
};
const files = [{ sha256: 'a'.repeat(64), size: 10 }];

const receiptFor = (key: ServerKey, messageId: string, env: MessageEnvelope = envelope): Receipt => ({
  version: 'vanthu-receipt-v1',
  messageId,
  sender: env.sender,
  recipients: env.recipients,
  envelopeSha256: createHash('sha256').update(canonicalJson(env)).digest('hex'),
  files,
  acceptedAt: '2026-01-05T00:00:00.000Z',
  serverKeyId: key.keyId,
});

describe('ids', () => {
  it('makes UUIDv7s the server accepts, ordered by time', () => {
    const a = uuidV7(1_700_000_000_000);
    const b = uuidV7(1_700_000_000_001);
    expect(z.uuid().safeParse(a).success).toBe(true);
    expect(a[14]).toBe('7');
    expect(a < b).toBe(true);
    expect(uuidV7()).not.toBe(uuidV7());
  });

  it('names a status event by message and code, the same every time', () => {
    const id = '0190c3a0-0000-7000-8000-000000000000';
    expect(statusEventId(id, '01')).toBe(statusEventId(id, '01'));
    expect(statusEventId(id, '01')).not.toBe(statusEventId(id, '03'));
    expect(z.uuid().safeParse(statusEventId(id, '02')).success).toBe(true);
  });
});

describe('verifyReceipt', () => {
  const id = uuidV7();
  const server = makeKey();
  const good = server.sign(receiptFor(server.key, id));
  const refusedWith = (f: () => void): string => {
    try {
      f();
    } catch (error) {
      if (isVanthuError(error, 'EXCHANGE_RECEIPT_INVALID')) return String(error.params.detail);
      throw error;
    }
    return 'accepted';
  };

  it('accepts the server signature over what we sent', () => {
    expect(refusedWith(() => verifyReceipt(server.key, good, { messageId: id, envelope, files }))).toBe('accepted');
  });

  it('refuses a changed receipt, another key, another message, envelope or files', () => {
    const changed = { ...good, receipt: { ...good.receipt, acceptedAt: '2027-01-01T00:00:00.000Z' } };
    expect(refusedWith(() => verifyReceipt(server.key, changed, { messageId: id, envelope, files }))).toMatch(/signature/);
    const other = makeKey();
    expect(refusedWith(() => verifyReceipt(other.key, good, { messageId: id, envelope, files }))).toMatch(/another server key/);
    const forged = other.sign({ ...good.receipt, serverKeyId: server.key.keyId });
    expect(refusedWith(() => verifyReceipt(server.key, forged, { messageId: id, envelope, files }))).toMatch(/signature/);
    expect(refusedWith(() => verifyReceipt(server.key, good, { messageId: uuidV7(), envelope, files }))).toMatch(/names message/);
    const otherEnvelope = { ...envelope, metadata: { subject: 'Khác' } };
    expect(refusedWith(() => verifyReceipt(server.key, good, { messageId: id, envelope: otherEnvelope, files }))).toMatch(/another envelope/);
    expect(refusedWith(() => verifyReceipt(server.key, good, { messageId: id, envelope, files: [{ sha256: 'a'.repeat(64), size: 11 }] }))).toMatch(/other files/);
  });
});

describe('send message ids', () => {
  const base = { sender: '000.00.00.H14', fileSha256s: ['a'.repeat(64), 'b'.repeat(64)], recipients: ['000.00.01.H14', '000.00.18.G12'] };

  it('are the same UUIDv8 for the same send, whatever the order of the recipients', () => {
    const id = sendMessageId(base);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sendMessageId({ ...base, recipients: [...base.recipients].reverse() })).toBe(id);
    expect(sendMessageId({ ...base, recipients: [...base.recipients, base.recipients[0]!] })).toBe(id);
    expect(sendMessageId({ ...base, type: 'new', inReplyTo: null })).toBe(id);
    expect(sendMessageId({ ...base, fileSha256s: base.fileSha256s.map((h) => h.toUpperCase()) })).toBe(id);
  });

  it('differ when the sender, a file, the file order, a recipient, the type or the original differ', () => {
    const id = sendMessageId(base);
    const others = [
      sendMessageId({ ...base, sender: '000.00.18.G12' }),
      sendMessageId({ ...base, fileSha256s: ['a'.repeat(64), 'c'.repeat(64)] }),
      sendMessageId({ ...base, fileSha256s: [...base.fileSha256s].reverse() }),
      sendMessageId({ ...base, recipients: ['000.00.01.H14'] }),
      sendMessageId({ ...base, type: 'update', inReplyTo: id }),
      sendMessageId({ ...base, type: 'replace', inReplyTo: id }),
    ];
    expect(new Set([id, ...others]).size).toBe(others.length + 1);
  });
});
