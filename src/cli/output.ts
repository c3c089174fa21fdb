// CLI output and exit codes (DESIGN.md: 0 ok, 1 invalid/failed, 2 bad usage or input).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { VanthuError, isVanthuError, type ErrorCode } from '../shared/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * Errors that mean the user gave us something wrong rather than the operation failing: a file named
 * on the command line that is missing or not what the option wants (module, trust root, receipt
 * key), or a --db address that is none.
 */
const INPUT_ERRORS = new Set<ErrorCode>([
  'BAD_USAGE',
  'BAD_INPUT',
  'TOKEN_MODULE_NOT_FOUND',
  'TOKEN_MODULE_NOT_LIBRARY',
  'TOKEN_MODULE_WRONG_ARCH',
  'TRUST_ROOT_FILE_INVALID',
  'SERVER_DATABASE_URL_INVALID',
  'SERVER_RECEIPT_KEY_INVALID',
]);

export const exitCodeFor = (error: unknown): number =>
  isVanthuError(error) && INPUT_ERRORS.has(error.code) ? EXIT_USAGE : EXIT_FAILED;

export function printError(error: unknown, json: boolean): void {
  const vanthu = isVanthuError(error) ? error : undefined;
  if (json) {
    const body = vanthu ? vanthu.toJSON() : { code: 'INTERNAL', messageEn: String(error), messageVi: String(error) };
    process.stdout.write(`${JSON.stringify({ ok: false, error: body }, null, 2)}\n`);
  } else {
    process.stderr.write(`vanthu: ${vanthu ? vanthu.bilingual : error instanceof Error ? error.stack : String(error)}\n`);
  }
}

export const usageError = (detail: string): VanthuError => new VanthuError('BAD_USAGE', { detail });

/** node:util parseArgs whose complaints (unknown option, missing value) become BAD_USAGE, exit 2, with the usage text when given. */
export function parseCommand<T extends ParseArgsConfig>(config: T, usage?: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw usageError(usage ? `${message}\n${usage}` : message);
  }
}
