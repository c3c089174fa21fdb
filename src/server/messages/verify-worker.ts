// One verification in a worker thread of the server's pool: the core's validation task (the whole trust list, the revocation cache through its port) with the server's cache of CA certificates.
import type { MessagePort } from 'node:worker_threads';
import { validateTask, type ValidateTask } from '../../core/validation/index.js';
import type { PdfValidationReport } from '../../shared/validation.js';
import { portCaIssuerCache } from './ca-certificate-cache-port.js';

export type VerifyTask = ValidateTask & {
  nowMs: number;
  /** The server's cache of CA certificates fetched from AIA addresses, served by the main thread for this task. */
  caCertificates?: MessagePort;
};

export default async function verify(task: VerifyTask): Promise<PdfValidationReport> {
  try {
    return await validateTask(task, task.caCertificates ? { aiaCache: portCaIssuerCache(task.caCertificates) } : {});
  } finally {
    task.caCertificates?.close();
  }
}
