// @vitest-environment happy-dom
// Held incoming documents in the inbox: the "Cần kiểm tra lại" chip on the row, the banner with the reason in plain Vietnamese, and "Kiểm tra lại ngay" through IPC.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { InboxPage } from '../../../src/renderer/src/inbox/InboxPage.js';
import { heldReasonText } from '../../../src/shared/held-reason.js';
import type { IpcChannel } from '../../../src/shared/ipc-contract.js';
import type { HeldView, InboxDetail, InboxItemView, SyncState } from '../../../src/shared/ipc/exchange.js';

initI18n('vi');
afterEach(cleanup);

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
  return { calls };
}

const KEPT_REASON = 'cong-van.pdf: indeterminate (REVOCATION_UNKNOWN) — The revocation status could not be checked.';
// 2026-12-07 03:00 UTC is 10:00 in Vietnam.
const held: HeldView = { outcome: 'indeterminate', reason: KEPT_REASON, nextCheckAt: Date.UTC(2026, 11, 7, 3, 0, 0), attempts: 1 };
const state: SyncState = { configured: true, online: true, needsLogin: false, agency: { organId: '000.00.01.H14', name: 'Sở Nội vụ' }, lastSync: null, queued: 0, failing: 0, problem: null };
const item: InboxItemView = {
  documentId: 9, state: 'received', subject: 'Về việc kiểm tra chữ ký', organName: 'UBND tỉnh Cao Bằng', codeNumber: '12', codeNotation: 'UBND-VP',
  issuedDate: '2026-12-01', priority: 0, arrivalNumber: null, arrivalDate: null, receivedAt: 0, verifiedOnArrival: false, held,
};
const detail = (over: Partial<InboxDetail>): InboxDetail => ({ ...item, organId: '000.00.00.H14', typeName: 'Công văn', signer: null, messageId: 'm', reason: null, files: [], ...over });

describe('held incoming documents', () => {
  it('says why in plain Vietnamese, with no English word and no code', () => {
    const text = heldReasonText(KEPT_REASON, 'indeterminate', 'vi');
    expect(text).toBe(
      'Chưa kết luận được chữ ký: cong-van.pdf: chưa hỏi được tình trạng thu hồi chứng thư số (máy chủ OCSP/CRL không trả lời hoặc máy không có mạng). vanthu sẽ tự kiểm tra lại; không trả lại văn bản.',
    );
    const twoFiles = heldReasonText(`${KEPT_REASON}; phu-luc.pdf: indeterminate (CHAIN_UNTRUSTED, REVOCATION_UNKNOWN) — x`, 'indeterminate', 'vi');
    expect(twoFiles).toContain('phu-luc.pdf: máy chưa có chứng thư gốc của tổ chức cấp chứng thư số cho người ký; chưa hỏi được');
    expect(heldReasonText('a.pdf: indeterminate (SOMETHING_NEW) — y', 'indeterminate', 'vi')).toContain('a.pdf: chưa xác minh được chữ ký trên máy này');
    expect(heldReasonText('a.pdf: indeterminate (SIGNATURE_CHECK_UNFINISHED) — z', 'indeterminate', 'vi')).toContain('a.pdf: phần mềm kiểm tra gặp trục trặc khi kiểm tra chữ ký (không phải do tệp)');
    expect(heldReasonText(KEPT_REASON, 'invalid', 'vi')).toMatch(/^Kiểm tra lại thấy chữ ký không hợp lệ/);
    for (const t of [text, twoFiles]) expect(t).not.toMatch(/indeterminate|REVOCATION|CHAIN|revocation/);
  });

  it('shows the chip on the row and the banner on the document; "Kiểm tra lại ngay" re-checks through IPC and clears the flag', async () => {
    let current = detail({});
    let items = [item];
    const { calls } = fakeBridge({
      'sync.status': () => state,
      'inbox.list': () => ({ items, nextCursor: null }),
      'inbox.get': () => current,
      'inbox.recheck': () => {
        current = detail({ held: null, verifiedOnArrival: true });
        items = [{ ...item, held: null, verifiedOnArrival: true }];
        return { held: null, state: 'received' };
      },
    });
    render(<InboxPage />);
    const row = await screen.findByRole('row', { name: /Về việc kiểm tra chữ ký/ });
    const chip = within(row).getByText('Cần kiểm tra lại');
    expect(chip.getAttribute('title')).toContain('chưa hỏi được tình trạng thu hồi');
    expect(within(row).queryByText('Hợp lệ')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Mở văn bản “Về việc kiểm tra chữ ký”' }));
    const banner = await screen.findByRole('region', { name: 'Văn bản cần kiểm tra lại' });
    expect(banner.textContent).toContain('cong-van.pdf: chưa hỏi được tình trạng thu hồi chứng thư số');
    expect(banner.textContent).toContain('Lần kiểm tra tự động tiếp theo: 07/12/2026 10:00:00.');
    expect(banner.textContent).not.toContain('REVOCATION_UNKNOWN');

    await act(async () => fireEvent.click(within(banner).getByRole('button', { name: 'Kiểm tra lại ngay' })));
    await screen.findByText('Đã kiểm tra lại: chữ ký hợp lệ, văn bản không còn phải kiểm tra lại.');
    expect(calls.filter((c) => c.channel === 'inbox.recheck')).toEqual([{ channel: 'inbox.recheck', request: { documentId: 9 } }]);
    expect(screen.queryByRole('region', { name: 'Văn bản cần kiểm tra lại' })).toBeNull();
    const after = await screen.findByRole('row', { name: /Về việc kiểm tra chữ ký/ });
    await within(after).findByText('Hợp lệ');
  });
});
