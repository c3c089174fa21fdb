// One verification in a worker thread of the server's pool: the core's validation task (the pool's trust list, the revocation cache through its port) with the server's cache of CA certificates.
import { workerData, type MessagePort } from 'node:worker_threads';
import { validateTask, type ValidateTask } from '../../core/validation/index.js';
import type { TrustStore } from '../../core/trust/index.js';
import type { PdfValidationReport } from '../../shared/validation.js';
import { portCaIssuerCache } from './ca-certificate-cache-port.js';

/** What every thread of the pool starts with: the trust list, fixed for the pool's life (its fingerprint rides with each task). */
export interface VerifyWorkerData {
  trust: TrustStore;
}

export type VerifyTask = Omit<ValidateTask, 'trust'> & {
  nowMs: number;
  /** The server's cache of CA certificates fetched from AIA addresses, served by the main thread for this task. */
  caCertificates?: MessagePort;
};

export default async function verify(task: VerifyTask): Promise<PdfValidationReport> {
  try {
    return await validateTask({ ...task, trust: (workerData as VerifyWorkerData).trust }, task.caCertificates ? { aiaCache: portCaIssuerCache(task.caCertificates) } : {});
  } finally {
    task.caCertificates?.close();
  }
}
