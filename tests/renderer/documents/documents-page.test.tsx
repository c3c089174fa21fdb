// @vitest-environment happy-dom
// The registers page: views as tabs, loading/empty/error states, search and filter requests, rows that open the document, paging on scroll.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DocumentsPage } from '../../../src/renderer/src/documents/DocumentsPage.js';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { NavigationContext, type Route } from '../../../src/renderer/src/navigation.js';
import type { DocumentSummaryDto } from '../../../src/shared/ipc/documents.js';
import { installFakeBridge } from './fake-bridge.js';

const i18n = initI18n('vi');
beforeAll(() => {
  globalThis.requestAnimationFrame ??= (cb) => setTimeout(() => cb(0), 0) as unknown as number;
  // happy-dom has no layout: give the list's scroller the size a window would, the rest stays 0.
  const size = (name: 'clientHeight' | 'clientWidth', value: number) =>
    Object.defineProperty(HTMLElement.prototype, name, {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('document-list') ? value : 0;
      },
    });
  size('clientHeight', 640);
  size('clientWidth', 800);
});
afterEach(async () => {
  cleanup();
  await act(() => i18n.changeLanguage('vi'));
});

const summary = (id: number, extra: Partial<DocumentSummaryDto> = {}): DocumentSummaryDto => ({
  id,
  direction: 'outgoing',
  state: 'draft',
  codeNumber: null,
  codeNotation: null,
  issuedDate: '2026-11-20',
  organName: null,
  subject: `Văn bản số ${id}`,
  priority: 0,
  secrecy: 0,
  updatedAt: Date.UTC(2026, 10, 20),
  recipients: [],
  ...extra,
});

function renderPage(list: Parameters<typeof installFakeBridge>[0]['documents.list']) {
  const bridge = installFakeBridge({ 'documents.list': list });
  const routes: Route[] = [];
  render(
    <NavigationContext.Provider value={{ route: { page: 'documents' }, navigate: (r) => routes.push(r) }}>
      <DocumentsPage />
    </NavigationContext.Provider>,
  );
  return { ...bridge, routes };
}

describe('DocumentsPage', () => {
  it('shows a row per document with its number, state and recipients in words, and opens it', async () => {
    const { routes } = renderPage(() => ({
      items: [
        summary(2, {
          state: 'sent',
          codeNumber: '05',
          codeNotation: 'ubnd-vp',
          priority: 1,
          recipients: [
            { organId: 'G01.05', organName: 'Bộ Nội vụ', status: '03' },
            { organId: 'H09.02', organName: 'Sở Tài chính', status: null },
          ],
        }),
        summary(1),
      ],
      nextCursor: null,
      total: 2,
    }));
    const list = await screen.findByRole('list', { name: 'Danh sách văn bản' });
    const rows = within(list).getAllByRole('button');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('05/UBND-VP');
    expect(rows[0]!.textContent).toContain('Đã gửi');
    expect(rows[0]!.textContent).toContain('Khẩn');
    expect(rows[0]!.textContent).toContain('Bộ Nội vụ: Đã tiếp nhận');
    expect(rows[0]!.textContent).toContain('Sở Tài chính: Chưa có trạng thái');
    expect(rows[1]!.textContent).toContain('Chưa cấp số');
    expect(screen.getByRole('status').textContent).toBe('2 văn bản');
    fireEvent.click(rows[0]!);
    expect(routes).toEqual([{ page: 'document', documentId: '2' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Soạn văn bản' }));
    expect(routes.at(-1)).toEqual({ page: 'compose' });
  });

  it('asks for the chosen view, state and search, and says when nothing matches', async () => {
    const { calls } = renderPage(() => ({ items: [], nextCursor: null, total: 0 }));
    await screen.findByText('Không có văn bản nào.');
    expect(calls.at(-1)?.request).toEqual({ view: 'outgoing', limit: 500 });

    fireEvent.click(screen.getByRole('tab', { name: 'Dự thảo' }));
    await waitFor(() => expect(calls.at(-1)?.request).toEqual({ view: 'drafts', limit: 500 }));
    expect(screen.getByRole('tab', { name: 'Dự thảo' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.queryByLabelText('Trạng thái')).toBeNull(); // a draft has one state

    // Arrow keys move between the tabs.
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Dự thảo' }), { key: 'ArrowRight' });
    await waitFor(() => expect(calls.at(-1)?.request).toEqual({ view: 'outbox', limit: 500 }));
    fireEvent.change(screen.getByLabelText('Trạng thái'), { target: { value: 'failed' } });
    await waitFor(() => expect(calls.at(-1)?.request).toEqual({ view: 'outbox', state: 'failed', limit: 500 }));

    fireEvent.change(screen.getByLabelText('Tìm kiếm'), { target: { value: 'trien khai' } });
    await waitFor(() => expect(calls.at(-1)?.request).toEqual({ view: 'outbox', state: 'failed', query: 'trien khai', limit: 500 }));
    await screen.findByText('Không tìm thấy văn bản nào khớp “trien khai”.');
  });

  it('refreshes the rows in view when a recipient status changes, without emptying the list', async () => {
    let status: '01' | '03' = '01';
    const { emit, calls } = renderPage(() => ({
      items: [summary(5, { state: 'sent', recipients: [{ organId: 'G01.05', organName: 'Bộ Nội vụ', status }] })],
      nextCursor: null,
      total: 1,
    }));
    const list = await screen.findByRole('list', { name: 'Danh sách văn bản' });
    await within(list).findByText('Bộ Nội vụ: Đã đến');
    status = '03';
    act(() => {
      emit('documents.statusChanged', { documentId: 5, recipient: 'G01.05', code: '03' });
      emit('documents.statusChanged', { documentId: 5, recipient: 'G01.05', code: '03' });
    });
    expect(within(list).getByText('Bộ Nội vụ: Đã đến')).toBeTruthy(); // still shown while the refresh runs
    await within(list).findByText('Bộ Nội vụ: Đã tiếp nhận');
    expect(calls.filter((c) => c.channel === 'documents.list')).toHaveLength(2); // two events, one refresh
  });

  it('shows the error main returns in the current language', async () => {
    renderPage(() => ({ error: { code: 'STORE_BUSY', messageVi: 'Cơ sở dữ liệu đang bận.', messageEn: 'The database is busy.' } }));
    expect((await screen.findByRole('alert')).textContent).toBe('Cơ sở dữ liệu đang bận.');
  });

  it('renders only the rows in view of a long register, and fetches the next page with the cursor', async () => {
    const total = 100_000;
    const { calls } = renderPage(({ cursor, offset }) => {
      const start = cursor ?? total + 1 - (offset ?? 0);
      const items = Array.from({ length: 500 }, (_, i) => summary(start - 1 - i));
      return { items, nextCursor: items.at(-1)!.id, ...(cursor == null && !offset ? { total } : {}) };
    });
    const list = await screen.findByRole('list', { name: 'Danh sách văn bản' });
    expect(screen.getByRole('status').textContent).toBe('100000 văn bản');
    // A 640px window holds 10 rows; with the overscan the DOM has a few more, never the 100,000.
    expect(within(list).getAllByRole('listitem').length).toBeLessThan(40);
    expect(list.getAttribute('aria-rowcount')).toBe('100000');
    // Rows up to the prefetch distance are loaded: a second page with the first page's cursor.
    await waitFor(() => expect(calls.map((c) => (c.request as { cursor?: number }).cursor)).toEqual([undefined]));
    const scroller = list.parentElement!;
    Object.defineProperty(scroller, 'scrollTop', { configurable: true, value: 64 * 300 });
    fireEvent.scroll(scroller);
    await waitFor(() => expect(calls.map((c) => (c.request as { cursor?: number }).cursor)).toEqual([undefined, 99_501]));

    // A jump far down (the End key, the scrollbar dragged): the pages there by offset, then on by cursor; nothing in between.
    Object.defineProperty(scroller, 'scrollTop', { configurable: true, value: 64 * 90_000 });
    fireEvent.scroll(scroller);
    await waitFor(() =>
      expect(calls.slice(2).map((c) => c.request)).toEqual([
        { view: 'outgoing', offset: 89_500, limit: 500 },
        { view: 'outgoing', cursor: 10_001, limit: 500 },
      ]),
    );
    await within(list).findByText('Văn bản số 10000');
  });
});
