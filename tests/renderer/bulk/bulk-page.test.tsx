// @vitest-environment happy-dom
// The bulk page against a fake window.vanthu: the list shows number, date, urgency and subject, a row opens its document, signed rows leave when the run ends and failures stay ticked with their reason; the certificate picker tells certificates apart and skips revoked ones.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BulkPage } from '../../../src/renderer/src/bulk/BulkPage.js';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { NavigationContext, type Route } from '../../../src/renderer/src/navigation.js';
import type { BulkProgressView } from '../../../src/shared/ipc/exchange.js';
import type { VanthuApi } from '../../../src/shared/ipc-contract.js';

initI18n('vi');

/** ASCII text as hex (renderer tests have no Node Buffer). */
const hexOf = (text: string) => [...text].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');

const dn = (commonName: string) => ({ commonName, organization: 'UBND tỉnh Cao Bằng', organizationalUnits: ['Văn phòng'], uids: [], text: `CN=${commonName}`, attributes: [] });
const cert = (id: string, serialNumber: string) => ({
  id,
  label: id,
  privateKey: 'present' as const,
  certificate: {
    subject: dn('Nguyễn Thị Hồng Nhung'),
    issuer: dn('Test CA'),
    serialNumber,
    notBefore: '2025-01-01T00:00:00Z',
    notAfter: '2030-01-01T00:00:00Z',
    publicKey: { type: 'rsa' as const, bits: 2048 },
    vietnameseIds: {},
    isCA: false,
    sha256: hexOf(id).padEnd(64, '0'),
    der: btoa(id),
  },
});

const candidates = [
  { documentId: 11, subject: 'Về việc phòng chống bão số 3', state: 'draft', codeNotation: 'UBND-VP', signed: 'none', codeNumber: null, date: '2026-12-05', priority: 2 },
  { documentId: 12, subject: 'Về việc kiểm kê tài sản', state: 'signed_by_leader', codeNotation: 'UBND-TC', signed: 'leader', codeNumber: '105', date: '2026-12-06', priority: 0 },
];

let calls: { channel: string; request: Record<string, unknown> }[];
let emitProgress: (p: BulkProgressView) => void;
let routes: Route[];

beforeEach(() => {
  calls = [];
  routes = [];
  const api: VanthuApi = {
    invoke: (async (channel: string, request: Record<string, unknown>) => {
      calls.push({ channel, request });
      if (channel === 'bulk.candidates') return { ok: true, value: candidates };
      if (channel === 'settings.get') return { ok: true, value: { defaultLevel: 'B-B' } };
      if (channel === 'tokens.list')
        return { ok: true, value: [{ path: '/softhsm.so', vendor: 'SoftHSM', loaded: true, tokens: [{ modulePath: '/softhsm.so', slotId: '1', label: 'VANTHU LEADER', serial: 's1', manufacturer: '', model: '', flags: {}, certificates: [cert('revoked', 'AB0000000123'), cert('good', 'AB0000000456')] }] }] };
      if (channel === 'certificates.revocation') {
        const ids = (request.certificates as string[]).map((d) => atob(d));
        return { ok: true, value: ids.map((id) => ({ sha256: hexOf(id).padEnd(64, '0'), status: id === 'revoked' ? 'revoked' : 'good', revokedAt: null })) };
      }
      if (channel === 'bulk.start') return { ok: true, value: { runId: 'run-1' } };
      return { ok: false, error: { code: 'X', messageVi: 'x', messageEn: 'x' } };
    }) as VanthuApi['invoke'],
    on: ((event: string, listener: (p: BulkProgressView) => void) => {
      if (event === 'bulk.progress') emitProgress = listener;
      return () => undefined;
    }) as VanthuApi['on'],
  };
  Object.defineProperty(window, 'vanthu', { value: api, configurable: true });
});
afterEach(cleanup);

const page = () =>
  render(
    <NavigationContext.Provider value={{ route: { page: 'bulk' }, navigate: (r) => routes.push(r) }}>
      <BulkPage />
    </NavigationContext.Provider>,
  );
const rowOf = (subject: string) => screen.getByRole('button', { name: `Mở văn bản “${subject}”` }).closest('tr')!;

describe('bulk page', () => {
  it('lists number/notation, date dd/MM/yyyy, urgency in words and subject; a row opens its document', async () => {
    page();
    await screen.findByText('Về việc phòng chống bão số 3');
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Chọn', 'Số, ký hiệu', 'Ngày', 'Độ khẩn', 'Trích yếu']);
    const first = within(rowOf('Về việc phòng chống bão số 3')).getAllByRole('cell').map((c) => c.textContent);
    expect(first.slice(1, 4)).toEqual(['Chưa cấp số (…/UBND-VP)', '05/12/2026', 'Thượng khẩn']);
    const second = within(rowOf('Về việc kiểm kê tài sản')).getAllByRole('cell').map((c) => c.textContent);
    expect(second.slice(1, 4)).toEqual(['105/UBND-TC', '06/12/2026', 'Thường']);
    fireEvent.click(screen.getByRole('button', { name: 'Mở văn bản “Về việc kiểm kê tài sản”' }));
    expect(routes).toEqual([{ page: 'document', documentId: '12' }]);
  });

  it('tells the certificates apart, marks the revoked one and offers the other first', async () => {
    page();
    const select = await screen.findByLabelText<HTMLSelectElement>('Chứng thư số');
    await waitFor(() => expect([...select.options].find((o) => o.value === select.value)?.textContent).toContain('…000456'));
    const texts = [...select.options].map((o) => o.textContent!);
    expect(texts.find((t) => t.includes('…000123'))).toContain('[Đã bị thu hồi]');
    expect(texts.find((t) => t.includes('…000456'))).toContain('Còn hiệu lực');
    expect(texts[0]).toContain('01/01/2025 – 01/01/2030');
  });

  it('removes what a run signed from the list and the selection; a failure stays ticked with its reason', async () => {
    page();
    await screen.findByText('Về việc phòng chống bão số 3');
    fireEvent.click(screen.getByLabelText('Chọn tất cả'));
    const select = screen.getByLabelText<HTMLSelectElement>('Chứng thư số');
    await waitFor(() => expect(select.value).not.toBe(''));
    fireEvent.change(screen.getByLabelText('Mã PIN (một lần cho cả lượt)'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ký 2 văn bản' }));
    await waitFor(() => expect(calls.some((c) => c.channel === 'bulk.start')).toBe(true));
    expect(calls.find((c) => c.channel === 'bulk.start')!.request).toMatchObject({ documentIds: [11, 12] });
    act(() =>
      emitProgress({
        runId: 'run-1',
        done: 2,
        total: 2,
        current: null,
        finished: true,
        error: null,
        items: [
          { documentId: 11, status: 'signed', error: null },
          { documentId: 12, status: 'failed', error: { code: 'PDF_INVALID', messageVi: 'Tệp PDF bị hỏng', messageEn: 'Broken PDF' } },
        ],
      }),
    );
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Mở văn bản “Về việc phòng chống bão số 3”' })).toBeNull());
    const failed = rowOf('Về việc kiểm kê tài sản');
    expect(within(failed).getByRole<HTMLInputElement>('checkbox').checked).toBe(true);
    expect(failed.textContent).toContain('Chưa ký được: Tệp PDF bị hỏng');
    expect(screen.getByRole('button', { name: 'Ký 1 văn bản' })).toBeTruthy();
  });
});
