// Which failures retry, which wait for the user, which need attention at once.
import { describe, expect, it } from 'vitest';
import { classifyFailure, offlineDelayMs, reasonOf } from '../../../../src/core/outbox/index.js';
import { VanthuError } from '../../../../src/shared/errors.js';

describe('failure classes', () => {
  it('retries the network, the TSA, revocation services and a busy or full store', () => {
    for (const error of [
      new VanthuError('TSA_UNREACHABLE', { url: 'http://tsa', detail: 'ECONNREFUSED' }),
      new VanthuError('TSA_HTTP_ERROR', { url: 'http://tsa', status: 500 }),
      new VanthuError('TSA_TIMEOUT', { url: 'http://tsa', seconds: 10 }),
      new VanthuError('TRUST_REVOCATION_UNREACHABLE', { service: 'OCSP', url: 'http://ocsp', detail: 'down' }),
      new VanthuError('SIGNING_LTV_INCOMPLETE', { level: 'B-LT', field: 'Sig1', detail: 'no OCSP' }),
      new VanthuError('STORE_BUSY'),
      new VanthuError('STORE_DISK_FULL', { what: 'x' }),
      new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }),
    ]) {
      expect(classifyFailure(error), String(error)).toBe('transient');
    }
  });

  it('waits for a login or for the token instead of spending retries', () => {
    expect(classifyFailure(new VanthuError('TOKEN_NOT_LOGGED_IN', { token: 'T' }))).toBe('needs_login');
    expect(classifyFailure(new VanthuError('TOKEN_REMOVED', { token: 'T' }))).toBe('needs_token');
    expect(classifyFailure(new VanthuError('TOKEN_NOT_FOUND', { token: 'T' }))).toBe('needs_token');
  });

  it('never retries what cannot succeed: a bad PDF, a refused certificate, a locked PIN, an unknown job, a bug', () => {
    for (const error of [
      new VanthuError('PDF_INVALID', { detail: 'no xref' }),
      new VanthuError('PDF_ENCRYPTED'),
      new VanthuError('SIGNING_CERTIFICATE_REFUSED', { subject: 'A', detail: 'revoked' }),
      new VanthuError('TOKEN_PIN_LOCKED', { token: 'T' }),
      new VanthuError('TOKEN_KEY_NOT_FOUND', { token: 'T', cert: 'c' }),
      new VanthuError('OUTBOX_UNKNOWN_KIND', { kind: 'fax' }),
      new VanthuError('STORE_BLOB_MISSING', { sha256: 'a'.repeat(64) }),
      new TypeError("Cannot read properties of undefined (reading 'x')"),
    ]) {
      expect(classifyFailure(error), String(error)).toBe('permanent');
    }
  });

  it('keeps the bilingual reason, and wraps other errors without their stack', () => {
    expect(reasonOf(new VanthuError('PDF_INVALID', { detail: 'no xref' }))).toEqual({
      code: 'PDF_INVALID',
      messageVi: 'Không đọc được tệp PDF: chi tiết kỹ thuật đã được ghi vào nhật ký',
      messageEn: 'Could not read the PDF file: no xref',
    });
    const wrapped = reasonOf(new RangeError('offset out of range'));
    expect(wrapped.code).toBe('OUTBOX_INTERNAL');
    expect(wrapped.messageVi).toContain('Lỗi không mong đợi');
    expect(wrapped.messageEn).toContain('RangeError: offset out of range');
    expect(wrapped.messageEn).not.toContain('    at ');
  });

  it('knows the exchange client: login waits, an unreachable or overloaded server retries, a refusal does not', () => {
    expect(classifyFailure(new VanthuError('EXCHANGE_NEEDS_LOGIN', {}))).toBe('needs_login');
    expect(classifyFailure(new VanthuError('EXCHANGE_UNREACHABLE', { url: 'https://x', detail: 'ECONNREFUSED' }))).toBe('transient');
    expect(classifyFailure(new VanthuError('EXCHANGE_REFUSED', { status: 503 }))).toBe('transient');
    expect(classifyFailure(new VanthuError('EXCHANGE_REFUSED', { status: 429 }))).toBe('transient');
    expect(classifyFailure(new VanthuError('EXCHANGE_REFUSED', { status: 422 }))).toBe('permanent');
    expect(classifyFailure(new VanthuError('EXCHANGE_RECEIPT_INVALID', {}))).toBe('permanent');
  });

  it('an open circuit is offline: the job sleeps for the cool-down it names, not for a backoff step', () => {
    const offline = new VanthuError('EXCHANGE_OFFLINE', { url: 'https://x', retryInSeconds: 7 });
    expect(classifyFailure(offline)).toBe('offline');
    expect(offlineDelayMs(offline)).toBe(7_000);
    expect(offlineDelayMs(new VanthuError('EXCHANGE_UNREACHABLE', { url: 'https://x', detail: 'x' }))).toBeUndefined();
  });
});
