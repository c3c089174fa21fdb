// Progress events of the exchange engine for the UI: bytes of each upload and download, and documents sent, received or refused.
import type { StatusCode } from '../../shared/exchange-protocol.js';

export type ExchangeProgress =
  /** After each uploaded chunk (bytesDone = what the server holds; equal to bytesTotal when done or already there). */
  | { type: 'upload'; documentId?: number; messageId?: string; name: string; sha256: string; bytesDone: number; bytesTotal: number }
  /** The server accepted the message and its receipt verified. */
  | { type: 'sent'; documentId: number | null; messageId: string; kind: 'new' | 'recall' | 'update' | 'replace' }
  | { type: 'download'; messageId: string; name: string; sha256: string; bytes: number }
  /** Stored locally (and registered), then acknowledged; `heldFor`: held for a re-check ("cần kiểm tra lại"), why (answered 01 only until it verifies). */
  | { type: 'received'; messageId: string; documentId: number; arrivalNumber: number; heldFor?: string }
  /** Refused with status 02 (its signatures did not verify). */
  | { type: 'rejected'; messageId: string; reason: string }
  /** A recall of a document we hold arrived and was applied. */
  | { type: 'recalled'; messageId: string; documentId: number | null }
  /** A recipient's status on a document we sent. */
  | { type: 'status'; messageId: string; documentId: number | null; recipient: string; code: StatusCode };

export type ProgressListener = (event: ExchangeProgress) => void;

/** Calls the listener, never letting its failure (a closed window) become the exchange's. */
export function notify(listener: ProgressListener | undefined, event: ExchangeProgress): void {
  if (!listener) return;
  try {
    listener(event);
  } catch {
    // A progress bar's bug must not fail a send.
  }
}
