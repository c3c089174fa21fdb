// The national axis's request authentication, as its public SDK behaves (DOMAIN.md, "check"): routing keys as XroadVnpt-* headers and an HMAC-SHA256 over them.
// What exactly the axis MACs is not documented: everything that depends on it is in `axisMac`, the one function to correct against a live test axis.
import { createHash, createHmac } from 'node:crypto';

export const AXIS_VERSION = '3.0.201608';
export const AXIS_USER_AGENT = 'JAVASDKAgent/1.0.0 XRoad/VPCP';

/** ddMMyyyy'T'HHmmss+SSSS as the SDK writes it (UTC here; the +SSSS part carries milliseconds). */
export function axisTimestamp(at: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(at.getUTCDate())}${p(at.getUTCMonth() + 1)}${at.getUTCFullYear()}T${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}+${p(at.getUTCMilliseconds(), 4)}`;
}

/**
 * hex(HMAC-SHA256(secret, "name:value\n" for each signed header in order, then the body's SHA-256 hex)).
 * Replace this one function when the live axis says otherwise (e.g. systemid + timestamp + content type + body).
 */
export function axisMac(secret: string, signed: readonly (readonly [string, string])[], bodySha256: string): string {
  const text = `${signed.map(([name, value]) => `${name.toLowerCase()}:${value}`).join('\n')}\n${bodySha256}`;
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

export interface AxisRequest {
  systemId: string;
  secret: string;
  /** The caller's routing keys (from, to, servicetype, messagetype, docId): each becomes an XroadVnpt-<key> header. */
  routing: Readonly<Record<string, string>>;
  contentType: string;
  body: Uint8Array;
  now: Date;
}

/** Every header of one request, the MAC last. The secret itself never appears in them. */
export function axisHeaders(request: AxisRequest): Record<string, string> {
  const bodySha256 = createHash('sha256').update(request.body).digest('hex');
  const signed: [string, string][] = [
    ...Object.entries(request.routing).map(([key, value]): [string, string] => [`XroadVnpt-${key}`, value]),
    ['XroadVnpt-systemid', request.systemId],
    ['XroadVnpt-timestamp', axisTimestamp(request.now)],
    ['XroadVnpt-version', AXIS_VERSION],
    ['Content-Type', request.contentType],
  ];
  return {
    ...Object.fromEntries(signed),
    'User-Agent': AXIS_USER_AGENT,
    'XroadVnpt-content-sha256': bodySha256,
    'XroadVnpt-sign-header-key': signed.map(([name]) => name).join(';'),
    'XroadVnpt-hash-header': axisMac(request.secret, signed, bodySha256),
  };
}

/** The check the axis makes (the emulator uses it): the MAC over the headers the request says it signed. */
export function axisRequestVerifies(headers: Readonly<Record<string, string | string[] | undefined>>, body: Uint8Array, secret: string): boolean {
  const get = (name: string): string | undefined => {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  const names = get('XroadVnpt-sign-header-key')?.split(';') ?? [];
  const mac = get('XroadVnpt-hash-header');
  if (names.length === 0 || !mac) return false;
  const signed = names.map((name): [string, string] => [name, get(name) ?? '']);
  const bodySha256 = createHash('sha256').update(body).digest('hex');
  if (get('XroadVnpt-content-sha256') !== bodySha256) return false;
  const expected = axisMac(secret, signed, bodySha256);
  return expected.length === mac.length && createHmac('sha256', 'cmp').update(expected).digest('hex') === createHmac('sha256', 'cmp').update(mac).digest('hex');
}
