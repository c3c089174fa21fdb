// Checks a server receipt: signed by the server key we fetched, and about exactly the envelope and files we sent.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { canonicalJson, type MessageEnvelope, type SignedReceipt } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';

export interface ServerKey {
  algorithm: string;
  keyId: string;
  publicKeyPem: string;
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Throws EXCHANGE_RECEIPT_INVALID unless the receipt is the server's signature over what we submitted. */
export function verifyReceipt(key: ServerKey, signed: SignedReceipt, expected: { messageId: string; envelope: MessageEnvelope; files: { sha256: string; size: number }[] }): void {
  const fail = (detail: string): never => {
    throw new VanthuError('EXCHANGE_RECEIPT_INVALID', { messageId: expected.messageId, detail });
  };
  const { receipt } = signed;
  const publicKey = createPublicKey(key.publicKeyPem);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  if (sha256(spki) !== key.keyId || receipt.serverKeyId !== key.keyId) fail('signed by another server key');
  if (signed.algorithm !== key.algorithm) fail(`algorithm ${signed.algorithm}`);
  const hash = key.algorithm === 'Ed25519' ? null : 'sha256';
  let ok: boolean;
  try {
    ok = verify(hash, new TextEncoder().encode(canonicalJson(receipt)), publicKey, Buffer.from(signed.signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) fail('the signature does not verify');
  if (receipt.messageId !== expected.messageId) fail(`it names message ${receipt.messageId}`);
  if (receipt.envelopeSha256 !== sha256(canonicalJson(expected.envelope))) fail('it covers another envelope');
  if (receipt.sender !== expected.envelope.sender) fail(`it names sender ${receipt.sender}`);
  const want = [...new Set(expected.envelope.recipients)].sort().join(',');
  if ([...receipt.recipients].sort().join(',') !== want) fail('it names other recipients');
  const files = (list: { sha256: string; size: number }[]): string => list.map((f) => `${f.sha256}:${f.size}`).sort().join(',');
  if (files(receipt.files) !== files(expected.files)) fail('it names other files');
}
