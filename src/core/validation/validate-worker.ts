// One validation in a worker thread of threadedValidator: validatePdf with the trust list and revocation cache the caller gave.
import { portRevocationCache, type TrustStore } from '../trust/index.js';
import type { PdfValidationReport } from '../../shared/validation.js';
import type { ValidateTask } from './threaded.js';
import { validatePdf } from './validate-pdf.js';

let trust: { fingerprint: string; store: TrustStore } | undefined;

export default async function validate(task: ValidateTask): Promise<PdfValidationReport> {
  if (trust?.fingerprint !== task.trustFingerprint) trust = { fingerprint: task.trustFingerprint, store: task.trust };
  try {
    return await validatePdf(task.bytes, {
      trust: trust.store,
      online: task.online,
      ...(task.nowMs !== undefined ? { now: new Date(task.nowMs) } : {}),
      ...(task.revocationTimeoutMs !== undefined ? { revocationTimeoutMs: task.revocationTimeoutMs } : {}),
      ...(task.aiaCacheDir ? { aiaCacheDir: task.aiaCacheDir } : {}),
      ...(task.revocationCache ? { revocationCache: portRevocationCache(task.revocationCache) } : {}),
    });
  } finally {
    task.revocationCache?.close();
  }
}
