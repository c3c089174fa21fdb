// @vitest-environment happy-dom
// Deadlines in the inbox at a fixed clock: "Quá hạn" in red, "Sắp đến hạn" within 2 days (Vietnam days), the "Đang theo dõi" filter sorted by deadline, the "Cần kiểm tra lại" filter; and the processing panel's steps through the bridge.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { InboxPage } from '../../../src/renderer/src/inbox/InboxPage.js';
import { DocumentRow } from '../../../src/renderer/src/documents/DocumentRow.js';
import type { IpcChannel } from '../../../src/shared/ipc-contract.js';
import type { InboxDetail, InboxItemView, SyncState } from '../../../src/shared/ipc/exchange.js';
import { deadlineStatus, daysLeft } from '../../../src/shared/deadline.js';

initI18n('vi');
beforeEach(() => {
  // 07/12/2026 23:30 in Vietnam (16:30 UTC).
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-07T16:30:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
  cleanup();
});

type Handler = (request: never) => unknown;

function fakeBridge(answers: Partial<Record<IpcChannel, Handler>>) {
  const calls: { channel: string; request: unknown }[] = [];
  window.vanthu = {
    invoke: async (channel, request) => {
      calls.push({ channel, request });
      const answer = answers[channel];
      if (!answer) return { ok: false, error: { code: 'INTERNAL', messageVi: 'không có', messageEn: 'none' } } as never;
      return { ok: true, value: await answer(request as never) } as never;
    },
    on: () => () => undefined,
  };
  return calls;
}

const sync: SyncState = { configured: true, online: true, needsLogin: false, agency: { organId: '000.00.01.H14', name: 'Sở Nội vụ' }, lastSync: null, queued: 0, failing: 0, problem: null };
const item = (documentId: number, subject: string, over: Partial<InboxItemView>): InboxItemView => ({
  documentId, state: 'assigned', subject, organName: 'UBND tỉnh Cao Bằng', codeNumber: String(documentId), codeNotation: 'UBND-VP',
  issuedDate: '2026-11-25', priority: 0, arrivalNumber: documentId, arrivalDate: '2026-11-26', receivedAt: 0, verifiedOnArrival: true, deadline: null, ...over,
});

const items = [
  item(1, 'Văn bản còn lâu mới đến hạn', { deadline: '2026-12-20' }),
  item(2, 'Văn bản quá hạn', { deadline: '2026-12-06', state: 'processing' }),
  item(3, 'Văn bản sắp đến hạn', { deadline: '2026-12-09' }),
  item(4, 'Văn bản đã xong', { deadline: '2026-12-01', state: 'done' }),
  item(5, 'Văn bản chưa kiểm tra được', { state: 'registered', verifiedOnArrival: false, held: { outcome: 'indeterminate', reason: 'main.pdf: indeterminate (TRUST_REVOCATION_UNAVAILABLE) — x', nextCheckAt: Date.parse('2026-12-07T16:40:00Z'), attempts: 1 } }),
  item(6, 'Văn bản hạn hôm nay', { deadline: '2026-12-07' }),
];

const rowOf = (subject: string) => screen.getByRole('row', { name: new RegExp(subject) });

describe('deadlines in Vietnam days', () => {
  it('counts calendar days in Vietnam, not UTC', () => {
    const lateEvening = new Date('2026-12-07T16:30:00Z'); // 23:30 on the 7th in Vietnam
    const pastMidnight = new Date('2026-12-07T17:30:00Z'); // 00:30 on the 8th in Vietnam
    expect(daysLeft('2026-12-07', lateEvening)).toBe(0);
    expect(deadlineStatus('2026-12-07', lateEvening)).toBe('soon');
    expect(deadlineStatus('2026-12-07', pastMidnight)).toBe('overdue');
    expect(deadlineStatus('2026-12-09', lateEvening)).toBe('soon');
    expect(deadlineStatus('2026-12-10', lateEvening)).toBe('later');
  });
});

describe('inbox deadlines and filters', () => {
  it('shows the deadline column with "Quá hạn" in red and "Sắp đến hạn", and nothing urgent once done', async () => {
    fakeBridge({ 'sync.status': () => sync, 'inbox.list': () => ({ items, nextCursor: null }) });
    render(<InboxPage />);
    await screen.findByRole('row', { name: /Văn bản quá hạn/ });
    expect(screen.getByRole('columnheader', { name: 'Hạn xử lý' })).toBeTruthy();
    const overdue = within(rowOf('Văn bản quá hạn')).getByText('Quá hạn');
    expect(overdue.className).toContain('chip-bad');
    expect(overdue.parentElement?.className).toContain('deadline-overdue');
    expect(rowOf('Văn bản quá hạn').textContent).toContain('06/12/2026');
    expect(within(rowOf('Văn bản sắp đến hạn')).getByText('Sắp đến hạn')).toBeTruthy();
    expect(within(rowOf('Văn bản hạn hôm nay')).getByText('Sắp đến hạn')).toBeTruthy();
    expect(within(rowOf('Văn bản còn lâu mới đến hạn')).queryByText(/Sắp đến hạn|Quá hạn/)).toBeNull();
    expect(within(rowOf('Văn bản đã xong')).queryByText(/Sắp đến hạn|Quá hạn/)).toBeNull();
    expect(rowOf('Văn bản đã xong').textContent).toContain('01/12/2026');
  });

  it('"Đang theo dõi" and "Cần kiểm tra lại" ask the store (every document, not the loaded page), with the store\'s counts', async () => {
    // Beyond the first page of the list: only the store's filter finds it.
    const beyond = item(250, 'Văn bản ngoài trang đầu', { deadline: '2026-12-30' });
    const tracking = [items[1]!, items[5]!, items[2]!, items[0]!, beyond];
    const calls = fakeBridge({
      'sync.status': () => sync,
      'inbox.list': (request: { filter?: string }) => ({
        items: request.filter === 'tracking' ? tracking : request.filter === 'held' ? [items[4]!] : items,
        nextCursor: null,
        counts: { tracking: tracking.length, held: 1 },
      }),
    });
    render(<InboxPage />);
    await screen.findByRole('row', { name: /Văn bản quá hạn/ });
    expect(screen.queryByRole('row', { name: /Văn bản ngoài trang đầu/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Đang theo dõi (5)' }));
    await screen.findByRole('row', { name: /Văn bản ngoài trang đầu/ });
    const table = screen.getByRole('table', { name: 'Danh sách văn bản đến' });
    const subjects = within(table).getAllByRole('row').slice(1).map((r) => r.querySelectorAll('td')[1]?.textContent);
    expect(subjects).toEqual(['Văn bản quá hạn', 'Văn bản hạn hôm nay', 'Văn bản sắp đến hạn', 'Văn bản còn lâu mới đến hạn', 'Văn bản ngoài trang đầu']);
    expect(calls.some((c) => c.channel === 'inbox.list' && (c.request as { filter?: string }).filter === 'tracking')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Cần kiểm tra lại (1)' }));
    expect(screen.getByText(/tự kiểm tra lại định kỳ và không tự trả lại văn bản/)).toBeTruthy();
    await screen.findByRole('row', { name: /Văn bản chưa kiểm tra được/ });
    const held = within(screen.getByRole('table', { name: 'Danh sách văn bản đến' })).getAllByRole('row').slice(1);
    expect(held.map((r) => r.querySelectorAll('td')[1]?.textContent)).toEqual(['Văn bản chưa kiểm tra được']);
    fireEvent.click(screen.getByRole('button', { name: 'Tất cả' }));
    expect(within(screen.getByRole('table', { name: 'Danh sách văn bản đến' })).getAllByRole('row')).toHaveLength(7);
  });

  it('the clerk submits to the leader, records the assignment, marks it in progress and done; each step goes to the bridge and shows who and when', async () => {
    const at = Date.parse('2026-12-07T16:00:00Z');
    let current: InboxDetail = {
      ...item(9, 'Về việc họp giao ban', { state: 'accepted' }), organId: '000.00.00.H14', typeName: 'Công văn', signer: null, messageId: 'm-9', reason: null, files: [], steps: [], pendingStatuses: [],
    };
    const calls = fakeBridge({
      'sync.status': () => sync,
      'inbox.list': () => ({ items: [current], nextCursor: null }),
      'inbox.get': () => current,
      'inbox.submit': ({ leader }: { leader: string }) => {
        current = { ...current, steps: [{ step: 'submitted', at, actor: leader, handler: null, deadline: null, note: null }] };
        return { state: 'accepted' };
      },
      'inbox.assign': ({ handler, deadline, opinion }: { handler: string; deadline: string; opinion?: string }) => {
        current = { ...current, state: 'assigned', deadline, steps: [...current.steps!, { step: 'assigned', at: at + 60_000, actor: 'Giám đốc Trần Văn Bình', handler, deadline, note: opinion ?? null }], pendingStatuses: [{ code: '04', stuck: false, reason: null }] };
        return { state: 'assigned', statusQueued: true };
      },
      'inbox.progress': () => {
        current = { ...current, state: 'processing', steps: [...current.steps!, { step: 'processing', at: at + 120_000, actor: null, handler: null, deadline: null, note: null }], pendingStatuses: [] };
        return { state: 'processing', statusQueued: true };
      },
      'inbox.done': ({ result }: { result?: string }) => {
        current = { ...current, state: 'done', steps: [...current.steps!, { step: 'done', at: at + 180_000, actor: null, handler: null, deadline: null, note: result ?? null }] };
        return { state: 'done', statusQueued: true };
      },
    });
    render(<InboxPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Mở văn bản “Về việc họp giao ban”' }));
    const article = await screen.findByRole('article', { name: 'Về việc họp giao ban' });
    await within(article).findByText('Chưa trình lãnh đạo.');

    fireEvent.click(within(article).getByRole('button', { name: 'Trình lãnh đạo' }));
    fireEvent.change(within(article).getByLabelText('Lãnh đạo nhận văn bản'), { target: { value: 'Giám đốc Trần Văn Bình' } });
    fireEvent.click(within(article).getByRole('button', { name: 'Trình' }));
    await within(article).findByText('Đã trình lãnh đạo.');
    expect(within(article).getByRole('list', { name: 'Quá trình xử lý' }).textContent).toContain('07/12/2026 23:00:00 — Trình lãnh đạo: Giám đốc Trần Văn Bình');

    fireEvent.click(within(article).getByRole('button', { name: 'Ghi ý kiến phân công' }));
    const form = within(article).getByRole('form', { name: 'Ý kiến phân phối, chỉ đạo giải quyết' });
    expect((within(form).getByLabelText('Lãnh đạo cho ý kiến') as HTMLInputElement).value).toBe('Giám đốc Trần Văn Bình');
    fireEvent.change(within(form).getByLabelText('Đơn vị hoặc người chủ trì xử lý'), { target: { value: 'Phòng Tổ chức cán bộ' } });
    fireEvent.change(within(form).getByLabelText('Hạn xử lý'), { target: { value: '09/12/2026' } });
    fireEvent.change(within(form).getByLabelText('Ý kiến chỉ đạo'), { target: { value: 'Chủ trì tham mưu.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Lưu phân công' }));
    await within(article).findByText('Đã ghi phân công. Trạng thái “Đã phân công” được gửi cho nơi gửi.');
    const record = within(article).getByRole('list', { name: 'Quá trình xử lý' }).textContent;
    expect(record).toContain('Lãnh đạo phân công: Phòng Tổ chức cán bộ — hạn xử lý 09/12/2026');
    expect(record).toContain('Ý kiến: Chủ trì tham mưu.');
    expect(article.textContent).toContain('Đang chờ gửi cho nơi gửi: Đã phân công');
    expect(within(article).getAllByText('Sắp đến hạn').length).toBeGreaterThan(0);

    fireEvent.click(within(article).getByRole('button', { name: 'Đang xử lý' }));
    await within(article).findByText('Đã ghi nhận đang xử lý. Trạng thái được gửi cho nơi gửi.');
    fireEvent.click(within(article).getByRole('button', { name: 'Hoàn thành' }));
    fireEvent.change(within(article).getByLabelText('Kết quả xử lý (không bắt buộc)'), { target: { value: 'Đã báo cáo.' } });
    fireEvent.click(within(article).getByRole('button', { name: 'Xác nhận hoàn thành' }));
    await within(article).findByText('Đã hoàn thành. Trạng thái “Hoàn thành” được gửi cho nơi gửi.');
    await waitFor(() => expect(within(article).queryByRole('button', { name: 'Đang xử lý' })).toBeNull());
    expect(within(article).getByRole('list', { name: 'Quá trình xử lý' }).textContent).toContain('Kết quả: Đã báo cáo.');
    expect(calls.filter((c) => c.channel.startsWith('inbox.') && !['inbox.list', 'inbox.get'].includes(c.channel))).toEqual([
      { channel: 'inbox.submit', request: { documentId: 9, leader: 'Giám đốc Trần Văn Bình' } },
      { channel: 'inbox.assign', request: { documentId: 9, leader: 'Giám đốc Trần Văn Bình', handler: 'Phòng Tổ chức cán bộ', deadline: '2026-12-09', opinion: 'Chủ trì tham mưu.' } },
      { channel: 'inbox.progress', request: { documentId: 9 } },
      { channel: 'inbox.done', request: { documentId: 9, result: 'Đã báo cáo.' } },
    ]);
  });
});

describe('the incoming register list', () => {
  it('shows the deadline in force on an incoming row, "Quá hạn" once past, nothing on a row without one', () => {
    const base = { direction: 'incoming' as const, codeNumber: '05', codeNotation: 'UBND-VP', issuedDate: '2026-11-25', organName: 'UBND tỉnh Cao Bằng', priority: 0 as const, secrecy: 0 as const, updatedAt: 0, recipients: [] };
    render(
      <>
        <DocumentRow document={{ ...base, id: 1, state: 'processing', subject: 'Quá hạn rồi', deadline: '2026-12-05' }} index={0} onOpen={() => undefined} />
        <DocumentRow document={{ ...base, id: 2, state: 'accepted', subject: 'Chưa phân công' }} index={1} onOpen={() => undefined} />
      </>,
    );
    const late = screen.getByRole('button', { name: /Quá hạn rồi/ });
    expect(late.textContent).toContain('Hạn xử lý: 05/12/2026');
    expect(within(late).getByText('Quá hạn').className).toContain('chip-bad');
    expect(screen.getByRole('button', { name: /Chưa phân công/ }).textContent).not.toContain('Hạn xử lý');
  });
});

describe('a status the server refused', () => {
  it('says which status did not reach the sender and why, and "Gửi lại trạng thái" asks for it again', async () => {
    let current: InboxDetail = {
      ...item(11, 'Về việc kiểm tra công vụ', { state: 'assigned', deadline: '2026-12-20' }), organId: '000.00.00.H14', typeName: 'Công văn', signer: null, messageId: 'm-11', reason: null, files: [],
      steps: [{ step: 'assigned', at: 0, actor: null, handler: 'Phòng A', deadline: '2026-12-20', note: null }],
      pendingStatuses: [{ code: '04', stuck: true, reason: { code: 'EXCHANGE_REFUSED', messageVi: 'Máy chủ trao đổi từ chối yêu cầu (404).', messageEn: 'The exchange server refused the request (404).' } }],
    };
    const calls = fakeBridge({
      'sync.status': () => sync,
      'inbox.list': () => ({ items: [current], nextCursor: null }),
      'inbox.get': () => current,
      'inbox.retryStatus': () => {
        current = { ...current, pendingStatuses: [{ code: '04', stuck: false, reason: null }] };
        return { retried: 1 };
      },
    });
    render(<InboxPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Mở văn bản “Về việc kiểm tra công vụ”' }));
    const article = await screen.findByRole('article', { name: 'Về việc kiểm tra công vụ' });
    const alert = await within(article).findByRole('alert');
    expect(alert.textContent).toContain('Chưa gửi được cho nơi gửi: Đã phân công.');
    expect(alert.textContent).toContain('Lý do: Máy chủ trao đổi từ chối yêu cầu (404).');
    fireEvent.click(within(alert).getByRole('button', { name: 'Gửi lại trạng thái' }));
    await within(article).findByText('Đã đưa trạng thái vào hàng đợi gửi lại.');
    expect(calls.filter((c) => c.channel === 'inbox.retryStatus')).toEqual([{ channel: 'inbox.retryStatus', request: { documentId: 11 } }]);
    await within(article).findByText('Đang chờ gửi cho nơi gửi: Đã phân công');
    expect(within(article).queryByRole('alert')).toBeNull();
  });
});
