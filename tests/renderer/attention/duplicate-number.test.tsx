// @vitest-environment happy-dom
// The same number and ký hiệu twice, in plain words: the note on a sent document the server warned about, and the incoming document whose number the store already holds from the same agency.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DuplicateNumberNote } from '../../../src/renderer/src/attention/DuplicateNumberNote.js';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { InboxDetail } from '../../../src/renderer/src/inbox/InboxDetail.js';
import type { InboxDetail as Detail } from '../../../src/shared/ipc/exchange.js';
import { installFakeBridge } from '../documents/fake-bridge.js';

const i18n = initI18n('vi');
afterEach(async () => {
  cleanup();
  await act(() => i18n.changeLanguage('vi'));
});

const received: Detail = {
  documentId: 11,
  state: 'received',
  subject: 'Về việc báo cáo quý IV',
  organName: 'UBND tỉnh Cao Bằng',
  codeNumber: '05',
  codeNotation: 'UBND-VP',
  issuedDate: '2026-12-01',
  priority: 0,
  arrivalNumber: null,
  arrivalDate: null,
  receivedAt: Date.UTC(2026, 11, 7, 1, 0, 0),
  verifiedOnArrival: true,
  held: null,
  deadline: null,
  organId: '000.00.00.H14',
  typeName: 'Công văn',
  signer: null,
  messageId: null,
  reason: null,
  files: [],
};

describe('the duplicate-number warning of a sent document', () => {
  it('says in Vietnamese that the number went out before and whom to contact, with no code or English', () => {
    render(<DuplicateNumberNote number="05/UBND-VP" />);
    const note = screen.getByRole('note');
    expect(note.textContent).toContain('cơ quan mình đã gửi trước đây một văn bản khác cùng số, ký hiệu 05/UBND-VP');
    expect(note.textContent).toContain('liên hệ nơi nhận');
    expect(note.textContent).not.toMatch(/SERVER_|DUPLICATE|[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('speaks English when the app does', async () => {
    await act(() => i18n.changeLanguage('en'));
    render(<DuplicateNumberNote number="05/UBND-VP" />);
    expect(screen.getByRole('note').textContent).toContain('same number and notation 05/UBND-VP');
  });
});

describe('an incoming document whose number the store already holds from the same agency', () => {
  it('says so in the inbox detail, naming the agency and the number', async () => {
    installFakeBridge({ 'inbox.get': () => ({ ...received, sameNumberReceived: 1 }) });
    render(<InboxDetail documentId={11} onChanged={() => {}} onClose={() => {}} />);
    const note = await screen.findByRole('note');
    expect(note.textContent).toBe('Đã có 1 văn bản đến khác của UBND tỉnh Cao Bằng cùng số, ký hiệu 05/UBND-VP: hãy liên hệ cơ quan gửi để biết văn bản nào là đúng trước khi xử lý.');
  });

  it('says nothing when the number is new', async () => {
    installFakeBridge({ 'inbox.get': () => ({ ...received, sameNumberReceived: 0 }) });
    render(<InboxDetail documentId={11} onChanged={() => {}} onClose={() => {}} />);
    await screen.findByRole('heading', { name: received.subject });
    expect(screen.queryByRole('note')).toBeNull();
  });
});
