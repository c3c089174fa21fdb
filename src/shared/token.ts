// Token, slot and signing-algorithm shapes shared by core, IPC, UI and CLI output.
import type { CertificateInfo } from './certificate.js';

export interface TokenFlags {
  tokenInitialized: boolean;
  loginRequired: boolean;
  userPinInitialized: boolean;
  /** The PIN is entered on the device's own keypad, not in vanthu. */
  protectedAuthenticationPath: boolean;
  userPinCountLow: boolean;
  userPinFinalTry: boolean;
  userPinLocked: boolean;
  userPinToBeChanged: boolean;
  writeProtected: boolean;
}

export interface TokenDescriptor {
  modulePath: string;
  /** Slot id as hex; it can change when the token is plugged in again, the serial does not. */
  slotId: string;
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  flags: TokenFlags;
}

/** Whether the certificate's private key is on the token; 'unknown' until logged in on tokens that hide keys. */
export type PrivateKeyPresence = 'present' | 'absent' | 'unknown';

export interface TokenCertificate {
  /** CKA_ID as hex: links the certificate to its private key. */
  id: string;
  label: string;
  certificate: CertificateInfo;
  privateKey: PrivateKeyPresence;
  /** CKA_ALWAYS_AUTHENTICATE: the PIN is asked again for each signature. */
  alwaysAuthenticate: boolean | undefined;
}

export type HashAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

export type SignatureAlgorithm =
  | { name: 'RSASSA-PKCS1-v1_5'; hash: HashAlgorithm }
  | { name: 'RSA-PSS'; hash: HashAlgorithm; saltLength?: number }
  | { name: 'ECDSA'; hash: HashAlgorithm };

export type TokenEvent = { type: 'inserted' | 'removed'; token: TokenDescriptor };
