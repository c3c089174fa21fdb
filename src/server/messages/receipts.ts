// Server-signed receipts: the canonical JSON of what was accepted, signed with the server's receipt key.
import { canonicalJson, type Receipt, type SignedReceipt } from '../../shared/exchange-protocol.js';
import type { ReceiptKey } from './receipt-key.js';

export function signReceipt(key: ReceiptKey, receipt: Receipt): SignedReceipt {
  const signature = key.sign(new TextEncoder().encode(canonicalJson(receipt)));
  return { receipt, signature: Buffer.from(signature).toString('base64'), algorithm: key.algorithm };
}

export const receiptVerifies = (key: ReceiptKey, signed: SignedReceipt): boolean =>
  key.verify(new TextEncoder().encode(canonicalJson(signed.receipt)), new Uint8Array(Buffer.from(signed.signature, 'base64')));
