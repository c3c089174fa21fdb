// Turns PKCS#11 return values into VanthuErrors a user understands (wrong PIN, locked, token pulled out).
import pkcs11js from 'pkcs11js';
import { VanthuError } from '../../shared/errors.js';

const ckrNames = new Map<number, string>(
  Object.entries(pkcs11js)
    .filter(([name, value]) => name.startsWith('CKR_') && typeof value === 'number')
    .map(([name, value]) => [value as number, name]),
);

export const ckrName = (code: number): string => ckrNames.get(code) ?? `0x${code.toString(16)}`;

/** Return values meaning the token, or our session with it, is gone. */
const REMOVED = new Set<number>([
  pkcs11js.CKR_DEVICE_REMOVED,
  pkcs11js.CKR_TOKEN_NOT_PRESENT,
  pkcs11js.CKR_TOKEN_NOT_RECOGNIZED,
  pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_SLOT_ID_INVALID,
  pkcs11js.CKR_DEVICE_ERROR,
]);

export const pkcs11Code = (error: unknown): number | undefined =>
  error instanceof pkcs11js.Pkcs11Error ? error.code : undefined;

export const isTokenGone = (error: unknown): boolean => {
  const code = pkcs11Code(error);
  return code !== undefined && REMOVED.has(code);
};

export interface ErrorContext {
  token: string;
  operation: string;
  /** Read after a failed login: the token's flags then tell how many tries are left. */
  tokenFlags?: () => number | undefined;
}

/** Maps a thrown pkcs11js error to a VanthuError; other errors pass through unchanged. */
export function toVanthuError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof VanthuError) return error;
  const code = pkcs11Code(error);
  if (code === undefined) return error;
  const cause = { cause: error };
  switch (code) {
    case pkcs11js.CKR_PIN_INCORRECT: {
      const flags = context.tokenFlags?.() ?? 0;
      if (flags & pkcs11js.CKF_USER_PIN_LOCKED) return new VanthuError('TOKEN_PIN_LOCKED', { token: context.token }, cause);
      const triesLeft = flags & pkcs11js.CKF_USER_PIN_FINAL_TRY ? 1 : flags & pkcs11js.CKF_USER_PIN_COUNT_LOW ? 'few' : undefined;
      return new VanthuError('TOKEN_PIN_INCORRECT', { token: context.token, triesLeft }, cause);
    }
    case pkcs11js.CKR_PIN_LOCKED:
      return new VanthuError('TOKEN_PIN_LOCKED', { token: context.token }, cause);
    case pkcs11js.CKR_PIN_LEN_RANGE:
    case pkcs11js.CKR_PIN_INVALID:
      return new VanthuError('TOKEN_PIN_INVALID', { token: context.token, detail: ckrName(code) }, cause);
    case pkcs11js.CKR_USER_NOT_LOGGED_IN:
      return new VanthuError('TOKEN_NOT_LOGGED_IN', { token: context.token }, cause);
    case pkcs11js.CKR_MECHANISM_INVALID:
    case pkcs11js.CKR_MECHANISM_PARAM_INVALID:
      return new VanthuError('TOKEN_MECHANISM_UNSUPPORTED', { algorithm: context.operation }, cause);
    default:
      if (REMOVED.has(code)) return new VanthuError('TOKEN_REMOVED', { token: context.token }, cause);
      return new VanthuError('TOKEN_OPERATION_FAILED', { operation: context.operation, detail: ckrName(code) }, cause);
  }
}
