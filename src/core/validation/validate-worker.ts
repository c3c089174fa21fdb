// One validation in a worker thread (the app's threadedValidator, the server's pool): validatePdf with the trust list and revocation cache the caller gave.
import { portRevocationCache, type TrustStore } from '../trust/index.js';
import type { PdfValidationReport } from '../../shared/validation.js';
import type { ValidateTask } from './threaded.js';
import { validatePdf, type ValidationOptions } from './validate-pdf.js';

let trust: { fingerprint: string; store: TrustStore } | undefined;

/** Runs `task` in this thread; `extra`: what a pool adds of its own (the server's cache of CA certificates, reached through its port). */
export async function validateTask(task: ValidateTask, extra: Pick<ValidationOptions, 'aiaCache'> = {}): Promise<PdfValidationReport> {
  if (trust?.fingerprint !== task.trustFingerprint) trust = { fingerprint: task.trustFingerprint, store: task.trust };
  try {
    return await validatePdf(task.bytes, {
      trust: trust.store,
      online: task.online,
      ...(task.nowMs !== undefined ? { now: new Date(task.nowMs) } : {}),
      ...(task.revocationTimeoutMs !== undefined ? { revocationTimeoutMs: task.revocationTimeoutMs } : {}),
      ...(task.aiaCacheDir ? { aiaCacheDir: task.aiaCacheDir } : {}),
      ...(task.revocationCache ? { revocationCache: portRevocationCache(task.revocationCache) } : {}),
      ...extra,
    });
  } finally {
    task.revocationCache?.close();
  }
}

export default function validate(task: ValidateTask): Promise<PdfValidationReport> {
  return validateTask(task);
}
