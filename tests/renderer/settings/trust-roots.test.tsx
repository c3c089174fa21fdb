// @vitest-environment happy-dom
// The trusted roots section against a fake window.vanthu: both lists with their facts, the provisional badge, a switch per built-in root, adding from a file, removing, errors shown, words in the chosen language only.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { TrustRootsSection } from '../../../src/renderer/src/settings/TrustRootsSection.js';
import { trustMessages } from '../../../src/renderer/src/settings/trust-messages.js';
import type { IpcChannel } from '../../../src/shared/ipc-contract.js';
import type { TrustList } from '../../../src/shared/ipc/trust.js';

const i18n = initI18n('vi');
afterEach(async () => {
  cleanup();
  await i18n.changeLanguage('vi');
});

type Handler = (request: never) => unknown;
type Failure = { code: string; messageVi: string; messageEn: string };

function fakeBridge(answers: Partial<Record<IpcChannel, Handler | Failure>>) {
  const calls: { channel: string; request: unknown }[] = [];
  window.vanthu = {
    invoke: async (channel, request) => {
      calls.push({ channel, request });
      const answer = answers[channel];
      if (!answer) return { ok: false, error: { code: 'INTERNAL', messageVi: 'không có', messageEn: 'none' } } as never;
      if (typeof answer !== 'function') return { ok: false, error: answer } as never;
      return { ok: true, value: await answer(request as never) } as never;
    },
    on: () => () => undefined,
  };
  return { calls };
}

const G3 = { subjectName: 'Vietnam National Root CA G3', validFrom: '14/06/2022', validTo: '14/06/2047', fingerprint: 'a1'.repeat(32), selfSigned: true, provisional: false, enabled: true };
const EMA = { subjectName: 'Vietnam National Root CA EMA', validFrom: '01/03/2025', validTo: '01/03/2050', fingerprint: 'b2'.repeat(32), selfSigned: true, provisional: true, enabled: true };
const MINE = { subjectName: 'Test Root CA', validFrom: '01/01/2026', validTo: '01/01/2036', fingerprint: 'c3'.repeat(32), selfSigned: true, file: '/data/trust/c3.pem' };
const listWith = (over: Partial<TrustList> = {}): TrustList => ({ bundled: [G3, EMA], extra: [], ...over });

describe('trusted roots section', () => {
  it('lists the built-in roots with validity, fingerprint and a switch each; only the provisional one is badged', async () => {
    fakeBridge({ 'trust.list': () => listWith() });
    render(<TrustRootsSection />);
    const g3 = await screen.findByRole('switch', { name: 'Tin cậy Vietnam National Root CA G3' });
    expect((g3 as HTMLInputElement).checked).toBe(true);
    const rows = screen.getAllByRole('listitem');
    expect(rows[0]!.textContent).toContain('Hiệu lực từ 14/06/2022 đến 14/06/2047');
    expect(rows[0]!.textContent).toContain('A1:A1:A1');
    expect(within(rows[0]!).queryByText('tạm thời')).toBeNull();
    expect(within(rows[1]!).getByText('tạm thời')).toBeTruthy();
    expect(screen.getByText('Chưa thêm chứng thư gốc nào.')).toBeTruthy();
  });

  it('turns a built-in root off with its switch (a native checkbox switch, focusable from the keyboard) and shows the new state', async () => {
    const { calls } = fakeBridge({ 'trust.list': () => listWith(), 'trust.setBundledEnabled': () => listWith({ bundled: [{ ...G3, enabled: false }, EMA] }) });
    render(<TrustRootsSection />);
    const g3 = await screen.findByRole('switch', { name: 'Tin cậy Vietnam National Root CA G3' });
    g3.focus();
    expect(document.activeElement).toBe(g3);
    fireEvent.click(g3);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Đã tắt tin cậy Vietnam National Root CA G3.'));
    expect(calls.at(-1)).toEqual({ channel: 'trust.setBundledEnabled', request: { fingerprint: G3.fingerprint, enabled: false } });
    expect((screen.getByRole('switch', { name: 'Tin cậy Vietnam National Root CA G3' }) as HTMLInputElement).checked).toBe(false);
  });

  it('adds a root from the chosen file, then removes it', async () => {
    const { calls } = fakeBridge({ 'trust.list': () => listWith(), 'trust.addRoot': () => listWith({ extra: [MINE] }), 'trust.removeRoot': () => listWith() });
    render(<TrustRootsSection />);
    // Our own button, not the browser's "Choose File": it opens the hidden picker.
    await screen.findByRole('button', { name: 'Thêm chứng thư gốc' });
    const picker = document.querySelector<HTMLInputElement>('input[type="file"]')!;
    expect(picker.hidden).toBe(true);
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    fireEvent.change(picker, { target: { files: [new File([pem], 'root.pem')] } });
    const remove = await screen.findByRole('button', { name: 'Bỏ Test Root CA' });
    expect(calls.find((c) => c.channel === 'trust.addRoot')?.request).toEqual({ certificateBase64: btoa(pem) });
    expect(screen.getByText('/data/trust/c3.pem')).toBeTruthy();
    fireEvent.click(remove);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Đã bỏ chứng thư gốc Test Root CA.'));
    expect(calls.at(-1)).toEqual({ channel: 'trust.removeRoot', request: { fingerprint: MINE.fingerprint } });
    expect(screen.queryByRole('button', { name: 'Bỏ Test Root CA' })).toBeNull();
  });

  it("shows main's refusal of a non-CA certificate in the chosen language, and keeps the list", async () => {
    fakeBridge({ 'trust.list': () => listWith(), 'trust.addRoot': { code: 'TRUST_ROOT_NOT_CA', messageVi: 'Chứng thư "Nguyễn Văn A" không phải chứng thư của tổ chức cấp chứng thư', messageEn: 'The certificate "Nguyễn Văn A" is not a certification authority\'s certificate' } });
    await i18n.changeLanguage('en');
    render(<TrustRootsSection />);
    await screen.findByRole('button', { name: 'Add a trusted root' });
    const picker = document.querySelector<HTMLInputElement>('input[type="file"]')!;
    fireEvent.change(picker, { target: { files: [new File(['x'], 'leaf.cer')] } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('is not a certification authority'));
    expect(screen.getByRole('switch', { name: 'Trust Vietnam National Root CA G3' })).toBeTruthy();
    expect(screen.getByText('provisional')).toBeTruthy();
  });

  it('has no English word in its Vietnamese strings', () => {
    const english = /\b(root|trust|trusted|file|add|remove|provisional|fingerprint|valid|from|to|built-in|on|off)\b/i;
    for (const [key, text] of Object.entries(trustMessages.vi)) expect(`${key}: ${text.replace(/SHA-256|PEM|DER|\{\{\w+\}\}/g, '')}`).not.toMatch(new RegExp(`: .*${english.source}`, 'i'));
  });
});
