// @vitest-environment happy-dom
// The inbox screen against a fake window.vanthu: PIN login that leaves no PIN behind, the list refreshed on arrival, open, accept.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { InboxPage } from '../../../src/renderer/src/inbox/InboxPage.js';
import type { IpcChannel, IpcEventName } from '../../../src/shared/ipc-contract.js';
import type { InboxDetail, InboxItemView, SyncState } from '../../../src/shared/ipc/exchange.js';

initI18n('vi');
afterEach(cleanup);

type Handler = (request: never) => unknown;

function fakeBridge(answers: Partial<Record<IpcChannel, Handler>>) {
  const calls: { channel: string; request: unknown }[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  window.vanthu = {
    invoke: async (channel, request) => {
      calls.push({ channel, request });
      const answer = answers[channel];
      if (!answer) return { ok: false, error: { code: 'INTERNAL', messageVi: 'không có', messageEn: 'none' } } as never;
      return { ok: true, value: await answer(request as never) } as never;
    },
    on: (event, listener) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener as (payload: unknown) => void);
      return () => listeners.get(event)?.delete(listener as (payload: unknown) => void);
    },
  };
  const emit = (event: IpcEventName, payload: unknown) => act(() => listeners.get(event)?.forEach((l) => l(payload)));
  return { calls, emit };
}

const state = (over: Partial<SyncState>): SyncState => ({ configured: true, online: true, needsLogin: false, agency: null, lastSync: null, queued: 0, failing: 0, problem: null, ...over });
const item: InboxItemView = {
  documentId: 7, state: 'registered', subject: 'Về việc họp giao ban', organName: 'UBND tỉnh Cao Bằng', codeNumber: '05', codeNotation: 'UBND-VP',
  issuedDate: '2026-11-25', priority: 0, arrivalNumber: 3, arrivalDate: '2026-11-25', receivedAt: 0, verifiedOnArrival: true,
};
const detail = (over: Partial<InboxDetail>): InboxDetail => ({ ...item, organId: '000.00.00.H14', typeName: 'Công văn', signer: null, messageId: 'm', reason: null, files: [], ...over });

describe('inbox page', () => {
  it('asks for the PIN when the server needs a login, sends it once and keeps it nowhere', async () => {
    const { calls } = fakeBridge({
      'sync.status': () => state({ needsLogin: true }),
      'sync.login': () => state({ agency: { organId: '000.00.01.H14', name: 'Sở Nội vụ' } }),
      'inbox.list': () => ({ items: [], nextCursor: null }),
    });
    render(<InboxPage />);
    const pin = await screen.findByLabelText<HTMLInputElement>('Mã PIN token đơn vị');
    expect(pin.type).toBe('password');
    fireEvent.change(pin, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập máy chủ' }));
    await screen.findByText('Đơn vị: Sở Nội vụ (000.00.01.H14)');
    expect(calls.filter((c) => c.channel === 'sync.login')).toEqual([{ channel: 'sync.login', request: { pin: '123456' } }]);
    expect(screen.queryByLabelText('Mã PIN token đơn vị')).toBeNull();
    expect(document.body.innerHTML).not.toContain('123456');
  });

  it('refreshes on arrival, opens a document and accepts it', async () => {
    let items: InboxItemView[] = [];
    let current = detail({});
    const { calls, emit } = fakeBridge({
      'sync.status': () => state({ agency: { organId: '000.00.01.H14', name: 'Sở Nội vụ' } }),
      'inbox.list': () => ({ items, nextCursor: null }),
      'inbox.get': () => current,
      'inbox.accept': () => {
        current = detail({ state: 'accepted' });
        items = [{ ...item, state: 'accepted' }];
        return { state: 'accepted' };
      },
    });
    render(<InboxPage />);
    await screen.findByText('Chưa có văn bản đến.');
    items = [item];
    await emit('inbox.arrived', { count: 1, documentIds: [7] });
    await screen.findByText('Có 1 văn bản mới đến.');
    const row = await screen.findByRole('row', { name: /Về việc họp giao ban/ });
    expect(row.textContent).toContain('05/UBND-VP');
    expect(within(row).getByText('Hợp lệ')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Mở văn bản “Về việc họp giao ban”' }));
    const article = await screen.findByRole('article', { name: 'Về việc họp giao ban' });
    expect(article.textContent).toContain('Số 3 ngày 25/11/2026');
    expect(within(article).queryByRole('button', { name: 'Vào sổ' })).toBeNull();
    fireEvent.click(within(article).getByRole('button', { name: 'Tiếp nhận' }));
    await within(article).findByText('Đã tiếp nhận và báo cho cơ quan gửi.');
    await waitFor(() => expect(within(article).queryByRole('button', { name: 'Tiếp nhận' })).toBeNull());
    expect(calls.some((c) => c.channel === 'inbox.accept' && (c.request as { documentId: number }).documentId === 7)).toBe(true);
  });
});
