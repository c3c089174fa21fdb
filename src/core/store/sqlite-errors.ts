// Maps SQLite failures (disk full, busy, corrupt) to the bilingual store errors; everything else passes through.
import { VanthuError } from '../../shared/errors.js';

const sqliteCode = (error: unknown): string | undefined => {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
};

export const isCorruptionError = (error: unknown): boolean => {
  const code = sqliteCode(error);
  return code !== undefined && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'));
};

export const isDiskFullError = (error: unknown): boolean => {
  const code = sqliteCode(error) ?? '';
  return code.startsWith('SQLITE_FULL') || code === 'ENOSPC';
};

/** Runs `fn`, turning disk-full and busy errors into VanthuErrors that say what could not be written. */
export function withStoreErrors<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw translate(error, what);
  }
}

export function translate(error: unknown, what: string): unknown {
  if (error instanceof VanthuError) return error;
  if (isDiskFullError(error)) return new VanthuError('STORE_DISK_FULL', { what }, { cause: error });
  if ((sqliteCode(error) ?? '').startsWith('SQLITE_BUSY')) return new VanthuError('STORE_BUSY', {}, { cause: error });
  return error;
}
