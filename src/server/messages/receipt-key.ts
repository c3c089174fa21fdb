// The server's receipt key (Ed25519 or ECDSA, PEM): loaded from config, or made once for the embedded default.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mkdirPrivate } from '../../core/fs/private-dir.js';
import { VanthuError } from '../../shared/errors.js';

export interface ReceiptKey {
  /** 'Ed25519' or 'ECDSA-SHA256' (DER signature). */
  algorithm: string;
  /** SHA-256 of the public key's SPKI DER, hex: names the key in every receipt. */
  keyId: string;
  publicKeyPem: string;
  sign(data: Uint8Array): Uint8Array;
  verify(data: Uint8Array, signature: Uint8Array): boolean;
}

export function receiptKeyFrom(privateKey: KeyObject): ReceiptKey {
  const type = privateKey.asymmetricKeyType;
  if (type !== 'ed25519' && type !== 'ec') throw new Error(`key type ${type ?? '?'} is neither Ed25519 nor ECDSA`);
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const hash = type === 'ed25519' ? null : 'sha256';
  return {
    algorithm: type === 'ed25519' ? 'Ed25519' : 'ECDSA-SHA256',
    keyId: createHash('sha256').update(spki).digest('hex'),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (data) => new Uint8Array(sign(hash, data, privateKey)),
    verify: (data, signature) => verify(hash, data, publicKey, signature),
  };
}

export function loadReceiptKey(file: string): ReceiptKey {
  try {
    return receiptKeyFrom(createPrivateKey(readFileSync(file)));
  } catch (error) {
    throw new VanthuError('SERVER_RECEIPT_KEY_INVALID', { path: file, detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
}

/** Loads `file`, making a new Ed25519 key there first when it does not exist (private: mode 0600). */
export function loadOrCreateReceiptKey(file: string): ReceiptKey {
  try {
    readFileSync(file);
  } catch {
    mkdirPrivate(path.dirname(path.resolve(file)));
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  return loadReceiptKey(file);
}

/** A throwaway key, for tests and for a server whose receipts need not outlive it. */
export const ephemeralReceiptKey = (): ReceiptKey => receiptKeyFrom(generateKeyPairSync('ed25519').privateKey);
