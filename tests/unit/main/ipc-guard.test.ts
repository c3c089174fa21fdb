import { describe, expect, it } from 'vitest';
import { createDispatcher, type IpcHandlers } from '../../../src/main/ipc/dispatcher.js';
import { isAppUrl } from '../../../src/main/security.js';
import { VanthuError } from '../../../src/shared/errors.js';

// The IPC guard without Electron: what main checks before any handler runs.
const calls: string[] = [];
// Only the channels these tests call; the dispatcher refuses the others before reaching a handler.
const someHandlers = {
  'app.info': async () => ({ version: '1', platform: 'linux', arch: 'x64' }),
  'modules.candidates': async () => [],
  'tokens.list': async () => [],
  'tokens.login': async () => {
    calls.push('login');
    throw new VanthuError('TOKEN_PIN_INCORRECT', { token: 'T', triesLeft: 1 });
  },
  'tokens.logout': async () => {
    calls.push('logout');
    // A handler that breaks the contract: main must not pass this on.
    return { loggedIn: 'nope' } as unknown as { loggedIn: boolean };
  },
} satisfies Partial<IpcHandlers>;
const handlers = someHandlers as Partial<IpcHandlers> as IpcHandlers;
const internal: unknown[] = [];
const dispatch = createDispatcher(handlers, (error) => internal.push(error));

describe('IPC dispatcher', () => {
  it('refuses unknown channels and malformed requests before any handler runs, without echoing values', async () => {
    expect(await dispatch('fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const refused = await dispatch('tokens.login', { modulePath: '/m.so', serial: '1', label: 'T', pin: 'x'.repeat(65) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(JSON.stringify(refused)).not.toContain('xxxx');
    expect(await dispatch('tokens.list', { modulePaths: 'not-an-array' })).toMatchObject({ ok: false });
    expect(calls).toEqual([]);
  });

  it('names a refused field as the screen does in Vietnamese; the code path only in the English message', async () => {
    const refused = await dispatch('tokens.login', { modulePath: '/m.so', serial: '1', label: 'T', pin: 'x'.repeat(65) });
    expect(refused).toMatchObject({ ok: false, error: { messageVi: 'Thông tin chưa hợp lệ: Mã PIN.', messageEn: 'Invalid request: PIN (pin)' } });
    const draft = await dispatch('documents.create', { metadata: { subject: 42 }, files: [] });
    expect(draft.ok).toBe(false);
    const error = (draft as { error: { messageVi: string; messageEn: string } }).error;
    expect(error.messageVi).toMatch(/^Thông tin chưa hợp lệ: .*Trích yếu/);
    expect(error.messageVi).not.toMatch(/metadata|subject|\(root\)|[a-z]+\.[a-z]+/);
    expect(error.messageEn).toContain('metadata.subject');
    expect(await dispatch('fs.readFile', {})).toMatchObject({ error: { messageVi: 'vanthu không có chức năng này.' } });
  });

  it('passes bilingual errors as data and hides internal failures', async () => {
    expect(await dispatch('tokens.login', { modulePath: '/m.so', serial: '1', label: 'T', pin: '1234' })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'TOKEN_PIN_INCORRECT', messageVi: expect.stringContaining('Chỉ còn 1 lần thử') }),
    });
    const broken = await dispatch('tokens.logout', { modulePath: '/m.so', serial: '1', label: 'T' });
    expect(broken).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(internal).toHaveLength(1);
  });
});

describe('sender check', () => {
  it('accepts only the app page', () => {
    expect(isAppUrl('file:///opt/vanthu/resources/app.asar/out/renderer/index.html', 'file://')).toBe(true);
    expect(isAppUrl('https://evil.example/', 'file://')).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('not a url', 'file://')).toBe(false);
    expect(isAppUrl('', 'file://')).toBe(false);
  });
});
