// What text and names from outside may hold: no NUL or other control characters in fields, attachment names cut to a safe base name, organ ids checked for safety (not for one pattern).
import { VanthuError } from '../../shared/errors.js';
import { ORGAN_ID_PATTERN } from '../../shared/exchange-protocol.js';
import { controlCharacterIn, safeBaseName } from '../../shared/safe-text.js';

export { controlCharacterIn, safeBaseName };

/** `value` unchanged, or EDXML_FIELD_INVALID naming the field when it holds a control character. */
export function refuseControlCharacters(value: string, field: string, multiline = false): string {
  const bad = controlCharacterIn(value, multiline);
  if (bad) throw new VanthuError('EDXML_FIELD_INVALID', { field, detail: `control character ${bad} / ký tự điều khiển ${bad}` });
  return value;
}

/** Organ ids as they occur: the exchange protocol's one rule (letters, digits, dot, dash, underscore; 1–64; no ".."). */
export const SAFE_ORGAN_ID = ORGAN_ID_PATTERN;

export function checkOrganId(value: string, field: string): string {
  if (!SAFE_ORGAN_ID.test(value)) {
    throw new VanthuError('EDXML_FIELD_INVALID', { field, detail: `"${value.slice(0, 40)}" is not a usable organ id / mã định danh không dùng được` });
  }
  return value;
}
