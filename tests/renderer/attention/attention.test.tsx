// @vitest-environment happy-dom
// The attention panel (why, when in Vietnam time, the actions and what each calls), the notification area, the send confirmation and the recipients' live states.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttentionViewDto } from '../../../src/shared/ipc/documents.js';
import { AttentionNotices } from '../../../src/renderer/src/attention/AttentionNotices.js';
import { AttentionPanel } from '../../../src/renderer/src/attention/AttentionPanel.js';
import { RecipientStates } from '../../../src/renderer/src/attention/RecipientStates.js';
import { SendConfirm } from '../../../src/renderer/src/attention/SendConfirm.js';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { NavigationContext, type Route } from '../../../src/renderer/src/navigation.js';
import { installFakeBridge } from '../documents/fake-bridge.js';

const i18n = initI18n('vi');
afterEach(async () => {
  cleanup();
  await act(() => i18n.changeLanguage('vi'));
});

const UNKNOWN = '000.00.77.H14';
const refused: AttentionViewDto = {
  documentId: 7,
  subject: 'Về việc báo cáo quý IV',
  numberNotation: '05/UBND-VP',
  state: 'needs_attention',
  kind: 'needs_attention',
  cause: 'recipient_unknown',
  vi: `Máy chủ trao đổi không biết cơ quan nhận (mã định danh ${UNKNOWN}): mã định danh sai. Sửa nơi nhận rồi gửi lại.`,
  en: `The exchange server does not know the recipient (organ id ${UNKNOWN}). Correct the recipients and send again.`,
  shortVi: 'Máy chủ trao đổi không biết cơ quan nhận.',
  shortEn: 'The exchange server does not know the recipient.',
  actions: ['edit_recipients', 'contact', 'cancel'],
  since: Date.UTC(2026, 11, 7, 1, 5, 40),
  nextRetryAt: null,
  recipients: [{ organId: UNKNOWN, organName: 'Sở Không Có' }],
};

function withNavigation(node: React.ReactNode, routes: Route[] = []) {
  return render(<NavigationContext.Provider value={{ route: { page: 'documents' }, navigate: (r) => routes.push(r) }}>{node}</NavigationContext.Provider>);
}

describe('AttentionPanel', () => {
  it('shows the reason, the time in Vietnam time and only the actions that fit; no internal id', async () => {
    installFakeBridge({ 'attention.get': () => ({ attention: refused, contacts: [{ organId: UNKNOWN, name: 'Sở Không Có', parent: null, inDirectory: false }] }) });
    withNavigation(<AttentionPanel documentId={7} onChanged={() => {}} />);
    const panel = await screen.findByRole('region', { name: 'Cần xử lý' });
    expect(panel.textContent).toContain(refused.vi);
    expect(panel.textContent).toContain('Lúc: 07/12/2026 08:05:40');
    const actions = within(panel).getByRole('group', { name: 'Việc có thể làm' });
    expect(within(actions).getAllByRole('button').map((b) => b.textContent)).toEqual(['Sửa nơi nhận và gửi lại', 'Liên hệ cơ quan nhận', 'Hủy gửi']);
    expect(panel.textContent).not.toMatch(/SERVER_|EXCHANGE_|[0-9a-f]{8}-[0-9a-f]{4}-/);

    fireEvent.click(within(actions).getByRole('button', { name: 'Liên hệ cơ quan nhận' }));
    expect(panel.textContent).toContain(`Mã định danh: ${UNKNOWN}`);
    expect(panel.textContent).toContain('Không có trong danh bạ của máy chủ trao đổi');
  });

  it('speaks English when the app does', async () => {
    installFakeBridge({ 'attention.get': () => ({ attention: refused, contacts: [] }) });
    await act(() => i18n.changeLanguage('en'));
    withNavigation(<AttentionPanel documentId={7} onChanged={() => {}} />);
    const panel = await screen.findByRole('region', { name: 'Needs attention' });
    expect(panel.textContent).toContain(refused.en);
    expect(within(panel).getByRole('button', { name: 'Edit recipients and resend' })).toBeTruthy();
  });

  it('edit and resend sends the new recipients, then the page reloads and the panel goes away', async () => {
    let current: AttentionViewDto | null = refused;
    const { calls } = installFakeBridge({
      'attention.get': () => ({ attention: current, contacts: [] }),
      'directory.list': () => ({ agencies: [{ organId: '000.00.01.H14', name: 'Sở Nội vụ tỉnh Cao Bằng', parent: null }], total: 1 }),
      'attention.resend': () => {
        current = null;
        return { state: 'queued' };
      },
      'attention.cancel': () => ({ state: 'issued' }),
    });
    let changed = 0;
    withNavigation(<AttentionPanel documentId={7} onChanged={() => changed++} />);
    const panel = await screen.findByRole('region', { name: 'Cần xử lý' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Sửa nơi nhận và gửi lại' }));
    fireEvent.click(await within(panel).findByRole('button', { name: /Bỏ Sở Không Có|Sở Không Có/ }));
    fireEvent.click(await within(panel).findByRole('button', { name: /Sở Nội vụ tỉnh Cao Bằng/ }));
    fireEvent.click(within(panel).getByRole('button', { name: 'Gửi lại tới các nơi nhận này' }));
    await screen.findByText('Đã sửa nơi nhận và đưa văn bản vào hàng đợi gửi.');
    expect(calls.find((c) => c.channel === 'attention.resend')?.request).toEqual({ id: 7, recipients: [{ organId: '000.00.01.H14', organName: 'Sở Nội vụ tỉnh Cao Bằng' }] });
    expect(changed).toBe(1);
    expect(screen.queryByRole('region', { name: 'Cần xử lý' })).toBeNull();
  });

  it('cancel asks first and does nothing when the user says no', async () => {
    const { calls } = installFakeBridge({ 'attention.get': () => ({ attention: refused, contacts: [] }), 'attention.cancel': () => ({ state: 'issued' }) });
    const answers = [false, true];
    window.confirm = () => answers.shift()!;
    withNavigation(<AttentionPanel documentId={7} onChanged={() => {}} />);
    const panel = await screen.findByRole('region', { name: 'Cần xử lý' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Hủy gửi' }));
    expect(calls.some((c) => c.channel === 'attention.cancel')).toBe(false);
    fireEvent.click(within(panel).getByRole('button', { name: 'Hủy gửi' }));
    await screen.findByText('Đã hủy gửi. Văn bản vẫn được giữ cùng lịch sử xử lý.');
    expect(calls.find((c) => c.channel === 'attention.cancel')?.request).toEqual({ id: 7 });
  });

  it('a retried send shows when vanthu tries again, and retry calls the retry channel', async () => {
    const retrying: AttentionViewDto = { ...refused, kind: 'retrying', cause: 'server_unreachable', actions: ['retry', 'cancel'], nextRetryAt: Date.UTC(2026, 11, 7, 1, 10, 0), vi: 'Chưa kết nối được máy chủ trao đổi.' };
    const { calls } = installFakeBridge({ 'attention.get': () => ({ attention: retrying, contacts: [] }), 'attention.retry': () => ({ state: 'queued' }) });
    withNavigation(<AttentionPanel documentId={7} onChanged={() => {}} />);
    const panel = await screen.findByRole('region', { name: 'Đang chờ gửi lại' });
    expect(panel.textContent).toContain('Tự thử lại lúc: 07/12/2026 08:10:00');
    fireEvent.click(within(panel).getByRole('button', { name: 'Thử lại' }));
    await waitFor(() => expect(calls.some((c) => c.channel === 'attention.retry')).toBe(true));
  });
});

describe('AttentionNotices', () => {
  it('counts the documents needing attention and opens the one chosen', async () => {
    installFakeBridge({ 'attention.list': () => ({ items: [refused] }) });
    const routes: Route[] = [];
    withNavigation(<AttentionNotices pollMs={60_000} />, routes);
    const button = await screen.findByRole('button', { name: 'Thông báo: 1 văn bản cần xử lý' });
    expect(button.textContent).toBe('Thông báo1');
    fireEvent.click(button);
    const list = screen.getByRole('region', { name: 'Văn bản cần xử lý' });
    expect(list.textContent).toContain('05/UBND-VP');
    expect(list.textContent).toContain('Máy chủ trao đổi không biết cơ quan nhận.');
    fireEvent.click(within(list).getByRole('button', { name: /Về việc báo cáo quý IV/ }));
    expect(routes).toEqual([{ page: 'document', documentId: '7' }]);
  });

  it('refreshes on the exchange events', async () => {
    let items: AttentionViewDto[] = [];
    const { emit } = installFakeBridge({ 'attention.list': () => ({ items }) });
    withNavigation(<AttentionNotices pollMs={60_000} />);
    await screen.findByRole('button', { name: 'Thông báo: 0 văn bản cần xử lý' });
    items = [refused];
    act(() => emit('sync.changed', {}));
    await screen.findByRole('button', { name: 'Thông báo: 1 văn bản cần xử lý' });
  });
});

describe('SendConfirm', () => {
  it('lists every recipient by name and organ id; send and cancel answer', () => {
    const answers: string[] = [];
    render(
      <SendConfirm
        recipients={[{ organId: '000.00.01.H14', organName: 'Sở Nội vụ tỉnh Cao Bằng' }, { organId: '000.00.18.G12', organName: 'Văn phòng Chính phủ' }]}
        onConfirm={() => answers.push('send')}
        onCancel={() => answers.push('cancel')}
      />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Gửi văn bản?' });
    expect(dialog.textContent).toContain('tới 2 nơi nhận');
    expect(within(dialog).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Sở Nội vụ tỉnh Cao Bằng Mã định danh: 000.00.01.H14', 'Văn phòng Chính phủ Mã định danh: 000.00.18.G12']);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Không gửi' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Gửi' }));
    expect(answers).toEqual(['cancel', 'send']);
  });
});

describe('RecipientStates', () => {
  it('shows each recipient’s state, a return with its reason, and reloads on a status event of this document', async () => {
    const { emit } = installFakeBridge({
      'documents.get': () => ({ document: {} as never, files: [], history: [{ at: 1, kind: 'recipient_status', from: '01', to: '02', recipientOrganId: '000.00.18.G12', reason: 'Gửi nhầm nơi nhận' }] }),
    });
    let changed = 0;
    render(
      <RecipientStates
        documentId={7}
        state="sent"
        recipients={[
          { organId: '000.00.01.H14', organName: 'Sở Nội vụ tỉnh Cao Bằng', status: null },
          { organId: '000.00.18.G12', organName: 'Văn phòng Chính phủ', status: '02' },
        ]}
        onChanged={() => changed++}
      />,
    );
    const section = screen.getByRole('region', { name: 'Tình trạng từng nơi nhận' });
    const [first, second] = within(section).getAllByRole('listitem');
    expect(first!.textContent).toContain('Đã gửi, chưa có phản hồi');
    await waitFor(() => expect(second!.textContent).toContain('Lý do: Gửi nhầm nơi nhận'));
    act(() => emit('documents.statusChanged', { documentId: 8, recipient: '000.00.01.H14', code: '01' }));
    expect(changed).toBe(0);
    act(() => emit('documents.statusChanged', { documentId: 7, recipient: '000.00.01.H14', code: '01' }));
    expect(changed).toBe(1);
  });
});
