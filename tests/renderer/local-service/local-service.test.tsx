// @vitest-environment happy-dom
// The local service's dialogs and settings against a fake window.vanthu: the origin question, the signing shown before the PIN, consent before turning on.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { LocalServicePanel } from '../../../src/renderer/src/local-service/LocalServicePanel.js';
import { LocalServiceRequests } from '../../../src/renderer/src/local-service/LocalServiceRequests.js';
import { localServiceMessages } from '../../../src/renderer/src/local-service/messages.js';
import type { IpcChannel, IpcEventName } from '../../../src/shared/ipc-contract.js';
import type { LocalServiceStatus } from '../../../src/shared/ipc/local-service.js';

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

const status = (over: Partial<LocalServiceStatus>): LocalServiceStatus => ({
  enabled: false, running: false, port: 8987, allowedOrigins: [], refusedOrigins: [], signingToken: null, caTrust: 'not-trusted', statusPageUrl: 'https://127.0.0.1:8987/', ...over,
});

describe('local service dialogs', () => {
  it('asks about a site with the three answers and closes when the question is answered', async () => {
    const { calls, emit } = fakeBridge({ 'localService.answerOrigin': () => ({ ok: true }) });
    render(<LocalServiceRequests />);
    emit('localService.originRequest', { requestId: 'q1', origin: 'https://qlvb.caobang.gov.vn' });
    expect(screen.getByRole('dialog').textContent).toContain('Trang https://qlvb.caobang.gov.vn muốn dùng chữ ký số của bạn.');
    fireEvent.click(screen.getByRole('button', { name: 'Luôn cho phép' }));
    await waitFor(() => expect(calls).toEqual([{ channel: 'localService.answerOrigin', request: { requestId: 'q1', decision: 'always' } }]));
    emit('localService.requestClosed', { requestId: 'q1' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows the site, flow, document, certificate and position, sends the PIN once and keeps it nowhere; cancel sends no PIN', async () => {
    const { calls, emit } = fakeBridge({ 'localService.answerSigning': () => ({ ok: true }), 'localService.preview': () => ({ base64: '' }) });
    render(<LocalServiceRequests />);
    const request = { requestId: 's1', origin: 'https://qlvb.caobang.gov.vn', operation: 'SignIssued', flow: 'Đóng dấu phát hành (số và ngày văn bản)', fileName: 'cong-van.pdf', documentSha256: 'ab'.repeat(32), certificateSubject: 'UBND tỉnh Cao Bằng', position: 'trang 1, x=300, y=500', documentNumber: '123/UBND-VP' };
    emit('localService.signingRequest', request);
    const dialog = screen.getByRole('dialog');
    for (const text of [request.origin, request.flow, request.fileName, request.documentSha256, request.certificateSubject, request.position, request.documentNumber]) expect(dialog.textContent).toContain(text);
    const pin = screen.getByLabelText<HTMLInputElement>('Mã PIN USB token');
    expect(pin.type).toBe('password');
    fireEvent.change(pin, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ký số' }));
    await waitFor(() => expect(calls.filter((c) => c.channel === 'localService.answerSigning')).toEqual([{ channel: 'localService.answerSigning', request: { requestId: 's1', approve: true, pin: '123456' } }]));
    expect(document.body.innerHTML).not.toContain('123456');
    emit('localService.requestClosed', { requestId: 's1' });

    emit('localService.signingRequest', { ...request, requestId: 's2' });
    fireEvent.click(screen.getByRole('button', { name: 'Hủy' }));
    await waitFor(() => expect(calls.at(-1)).toEqual({ channel: 'localService.answerSigning', request: { requestId: 's2', approve: false } }));
  });

  it('asked again after a wrong PIN, says so with the tries left, and the PIN field is empty', async () => {
    const { emit } = fakeBridge({ 'localService.answerSigning': () => ({ ok: true }), 'localService.preview': () => ({ base64: '' }) });
    render(<LocalServiceRequests />);
    const request = { requestId: 'p1', origin: 'https://qlvb.caobang.gov.vn', operation: 'SignFile', flow: 'Ký tệp', fileName: 'to-trinh.pdf', documentSha256: 'cd'.repeat(32), certificateSubject: 'Nguyễn Thị Hồng Nhung', position: 'trang 1' };
    emit('localService.signingRequest', request);
    expect(screen.queryByRole('alert')).toBeNull();
    emit('localService.requestClosed', { requestId: 'p1' });
    emit('localService.signingRequest', { ...request, requestId: 'p2', wrongPin: { count: 2, triesLeft: 1 } });
    expect(screen.getByRole('alert').textContent).toBe('Mã PIN không đúng (lần 2). Hãy nhập lại. Cảnh báo: chỉ còn 1 lần thử mã PIN trước khi thiết bị bị khóa.');
    expect(screen.getByLabelText<HTMLInputElement>('Mã PIN USB token').value).toBe('');
    emit('localService.requestClosed', { requestId: 'p2' });
    emit('localService.signingRequest', { ...request, requestId: 'p3', wrongPin: { count: 1, triesLeft: 'few' } });
    expect(screen.getByRole('alert').textContent).toContain('còn ít lần thử mã PIN');
  });

  it('turns the service on only with the consent box ticked, and offers to trust the CA', async () => {
    const { calls } = fakeBridge({
      'localService.status': () => status({}),
      'tokens.list': () => [],
      'localService.configure': (request: { enabled?: boolean }) => status({ enabled: request.enabled ?? false, running: true, port: 8987, allowedOrigins: ['https://qlvb.caobang.gov.vn'] }),
    });
    render(<LocalServicePanel />);
    await screen.findByText('Dịch vụ ký số cho trang web');
    expect(screen.getByText(/chưa tin cậy chứng thư gốc/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Bật dịch vụ ký số cho trang web'));
    fireEvent.click(screen.getByRole('button', { name: 'Lưu dịch vụ ký số' }));
    await screen.findByText('Hãy đánh dấu đồng ý trước khi bật dịch vụ.');
    expect(calls.some((c) => c.channel === 'localService.configure')).toBe(false);
    fireEvent.click(screen.getByLabelText(/Tôi hiểu rằng các trang tôi cho phép/));
    fireEvent.click(screen.getByRole('button', { name: 'Lưu dịch vụ ký số' }));
    await screen.findByText('Đang chạy tại cổng 8987.');
    expect(calls.find((c) => c.channel === 'localService.configure')?.request).toMatchObject({ enabled: true, consent: true, port: 8987 });
    expect(screen.getByText('https://qlvb.caobang.gov.vn')).toBeTruthy();
  });

  it('has every string in both languages', () => {
    const vi = Object.entries(localServiceMessages.vi);
    expect(Object.keys(localServiceMessages.en).sort()).toEqual(vi.map(([k]) => k).sort());
    for (const [key, text] of vi) {
      expect(text, key).not.toBe('');
      expect(text, key).not.toBe(localServiceMessages.en[key as keyof typeof localServiceMessages.en]);
    }
  });
});
