// What text and names from outside may hold: no NUL or other control characters in fields, attachment names cut to a safe base name, organ ids checked for safety (not for one pattern).
import { VanthuError } from '../../shared/errors.js';

// C0 controls (tab, LF, CR allowed only where `multiline`), DEL and the C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_LINE_BREAK = /[\u0000-\u001f\u007f-\u009f]/;

/** The first control character of `value`, as U+XXXX, or undefined when there is none. */
export function controlCharacterIn(value: string, multiline = false): string | undefined {
  const found = (multiline ? CONTROL : CONTROL_OR_LINE_BREAK).exec(value);
  return found ? `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** `value` unchanged, or EDXML_FIELD_INVALID naming the field when it holds a control character. */
export function refuseControlCharacters(value: string, field: string, multiline = false): string {
  const bad = controlCharacterIn(value, multiline);
  if (bad) throw new VanthuError('EDXML_FIELD_INVALID', { field, detail: `control character ${bad} / ký tự điều khiển ${bad}` });
  return value;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * A file name safe to store and show: the last path segment (either slash), no control characters, no leading dots or
 * trailing dots and spaces, not a Windows device name, at most 255 UTF-8 bytes. `fallback` when nothing usable is left.
 * (Characters only Windows refuses in file names, such as quotes, stay: whoever saves the file to disk deals with them.)
 */
export function safeBaseName(name: string, fallback = 'tep-dinh-kem'): string {
  // The last segment after either slash, and no drive prefix ("C:evil.pdf" is a path on Windows).
  let base = (name.normalize('NFC').split(/[\\/]/).pop() ?? '').replace(/^[A-Za-z]:/, '');
  // eslint-disable-next-line no-control-regex
  base = base.replace(/[\u0000-\u001f\u007f-\u009f]/g, '_').trim().replace(/^\.+/, '').replace(/[. ]+$/, '');
  if (base === '' || WINDOWS_RESERVED.test(base)) return base === '' ? fallback : `_${base}`;
  while (Buffer.byteLength(base, 'utf8') > 255) base = base.slice(0, -1);
  return base;
}

/** Organ ids as they occur (`000.00.00.H14`, `28.22.H17`, `14.00.W00`, `vxp.saas.03`): letters, digits, dot, dash, underscore; 1–64. */
export const SAFE_ORGAN_ID = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/;

export function checkOrganId(value: string, field: string): string {
  if (!SAFE_ORGAN_ID.test(value) || value.includes('..')) {
    throw new VanthuError('EDXML_FIELD_INVALID', { field, detail: `"${value.slice(0, 40)}" is not a usable organ id / mã định danh không dùng được` });
  }
  return value;
}
