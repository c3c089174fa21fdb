// One verification in a worker thread of the server's pool: validatePdf with the trust list the pool was made with (roots, which are provisional, the offered intermediates).
import type { MessagePort } from 'node:worker_threads';
import { portRevocationCache, type TrustStore } from '../../core/trust/index.js';
import { validatePdf } from '../../core/validation/index.js';
import type { PdfValidationReport } from '../../shared/validation.js';
import { portCaIssuerCache } from './ca-certificate-cache-port.js';

export interface VerifyTask {
  bytes: Uint8Array;
  /** The whole list: rebuilt from its roots alone, a provisional root would be trusted fully and the bundled intermediates lost. */
  trust: TrustStore;
  /** Fingerprint of `trust`: the thread keeps using its copy while this stays the same. */
  trustFingerprint: string;
  online: boolean;
  nowMs: number;
  revocationTimeoutMs?: number;
  /** The server's revocation cache, served by the main thread for this task. */
  revocationCache?: MessagePort;
  /** The server's cache of CA certificates fetched from AIA addresses, served by the main thread for this task. */
  caCertificates?: MessagePort;
}

let trust: { fingerprint: string; store: Promise<TrustStore> } | undefined;

export default async function verify(task: VerifyTask): Promise<PdfValidationReport> {
  if (trust?.fingerprint !== task.trustFingerprint) trust = { fingerprint: task.trustFingerprint, store: Promise.resolve(task.trust) };
  try {
    return await validatePdf(task.bytes, {
      trust: await trust.store,
      online: task.online,
      now: new Date(task.nowMs),
      ...(task.revocationTimeoutMs !== undefined ? { revocationTimeoutMs: task.revocationTimeoutMs } : {}),
      ...(task.revocationCache ? { revocationCache: portRevocationCache(task.revocationCache) } : {}),
      ...(task.caCertificates ? { aiaCache: portCaIssuerCache(task.caCertificates) } : {}),
    });
  } finally {
    task.revocationCache?.close();
    task.caCertificates?.close();
  }
}
