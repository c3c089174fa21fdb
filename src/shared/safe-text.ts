// What text and file names from outside may hold: no NUL or other control characters, file names cut to a safe base name (used by the API's schemas, edXML and the exchange client).

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
  const utf8 = new TextEncoder();
  while (utf8.encode(base).length > 255) base = base.slice(0, -1);
  return base;
}

/** True when `name` is already what `safeBaseName` would make of it (the API refuses other names rather than change a signed envelope). */
export const isSafeBaseName = (name: string): boolean => name !== '' && safeBaseName(name, '') === name;
