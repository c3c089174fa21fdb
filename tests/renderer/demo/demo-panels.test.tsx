// @vitest-environment happy-dom
// "Dùng thử" in the renderer: the offer only without a token and outside the demo (disabled, with the reason, when tools are missing); the banner only in the demo, with its PINs, leaving after a confirmation.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DemoBanner } from '../../../src/renderer/src/demo/DemoBanner.js';
import { DemoOffer } from '../../../src/renderer/src/demo/DemoOffer.js';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import type { DemoStatus } from '../../../src/shared/ipc/demo.js';
import type { IpcResponse } from '../../../src/shared/ipc-contract.js';
import { installFakeBridge } from '../documents/fake-bridge.js';

const i18n = initI18n('vi');
afterEach(async () => {
  cleanup();
  await act(() => i18n.changeLanguage('vi'));
});

const status = (extra: Partial<DemoStatus> = {}): DemoStatus => ({
  offered: true,
  active: false,
  available: true,
  problem: null,
  leader: { token: 'DUNG THU LANH DAO', name: 'Nguyễn Văn An', pin: '111111' },
  agency: { token: 'DUNG THU DON VI', name: 'UBND tỉnh Dùng Thử', pin: '222222' },
  robotName: 'Sở Nội vụ tỉnh Dùng Thử',
  ...extra,
});

type Reports = IpcResponse<'tokens.list'>;
const noToken: Reports = [{ path: '/usr/lib/softhsm/libsofthsm2.so', vendor: 'SoftHSM', loaded: true, tokens: [] }];
const oneToken = [
  {
    ...noToken[0]!,
    tokens: [{ modulePath: '/usr/lib/softhsm/libsofthsm2.so', slotId: '1', label: 'TOKEN THAT', serial: 'abc', manufacturer: 'x', model: 'y', flags: {}, certificates: [] }],
  },
] as unknown as Reports;

describe('DemoOffer', () => {
  it('offers "Dùng thử" when no token is found, and starts the demo on click', async () => {
    const { calls } = installFakeBridge({ 'demo.status': () => status(), 'tokens.list': () => noToken, 'demo.start': () => status({ active: true }) });
    render(<DemoOffer />);
    const button = await screen.findByRole('button', { name: 'Dùng thử' });
    expect(screen.getByRole('region', { name: 'Dùng thử vanthu' }).textContent).toContain('không đụng đến USB token thật');
    fireEvent.click(button);
    await waitFor(() => expect(calls.map((c) => c.channel)).toContain('demo.start'));
  });

  it('is not offered where the app cannot run the demo (no controller)', async () => {
    const { calls } = installFakeBridge({ 'demo.status': () => status({ offered: false, available: false }), 'tokens.list': () => noToken });
    render(<DemoOffer />);
    await waitFor(() => expect(calls.map((c) => c.channel)).toEqual(expect.arrayContaining(['demo.status', 'tokens.list'])));
    expect(screen.queryByRole('region', { name: 'Dùng thử vanthu' })).toBeNull();
  });

  it('is not offered when a token is plugged in, nor while the demo runs', async () => {
    const first = installFakeBridge({ 'demo.status': () => status(), 'tokens.list': () => oneToken });
    render(<DemoOffer />);
    await waitFor(() => expect(first.calls.map((c) => c.channel)).toEqual(expect.arrayContaining(['demo.status', 'tokens.list'])));
    expect(screen.queryByRole('button', { name: 'Dùng thử' })).toBeNull();
    cleanup();
    const second = installFakeBridge({ 'demo.status': () => status({ active: true }), 'tokens.list': () => noToken });
    render(<DemoOffer />);
    await waitFor(() => expect(second.calls.map((c) => c.channel)).toEqual(expect.arrayContaining(['demo.status', 'tokens.list'])));
    expect(screen.queryByRole('button', { name: 'Dùng thử' })).toBeNull();
  });

  it('says what is missing, in Vietnamese, and cannot be started when the tools are not installed', async () => {
    const problem = { messageVi: 'Không dùng thử được trên máy này: thiếu công cụ softhsm2-util.', messageEn: 'The demo cannot run on this machine: softhsm2-util missing.' };
    installFakeBridge({ 'demo.status': () => status({ available: false, problem }), 'tokens.list': () => noToken });
    render(<DemoOffer />);
    expect((await screen.findByRole('alert')).textContent).toBe(problem.messageVi);
    expect((screen.getByRole('button', { name: 'Dùng thử' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('DemoBanner', () => {
  it('is absent outside the demo', async () => {
    const { calls } = installFakeBridge({ 'demo.status': () => status() });
    render(<DemoBanner />);
    await waitFor(() => expect(calls.map((c) => c.channel)).toEqual(['demo.status']));
    expect(screen.queryByRole('region', { name: 'Bản dùng thử' })).toBeNull();
  });

  it('says it is a demo with no legal value, gives the demo PINs, and leaves only after a confirmation', async () => {
    const { calls } = installFakeBridge({ 'demo.status': () => status({ active: true }), 'demo.leave': () => status() });
    render(<DemoBanner />);
    const banner = await screen.findByRole('region', { name: 'Bản dùng thử' });
    expect(banner.textContent).toContain('Đang dùng thử: token, chứng thư và máy chủ đều là bản thử, không có giá trị pháp lý');
    expect(banner.textContent).toContain('“DUNG THU LANH DAO” (Nguyễn Văn An) là 111111');
    expect(banner.textContent).toContain('“DUNG THU DON VI” (UBND tỉnh Dùng Thử) là 222222');
    fireEvent.click(screen.getByRole('button', { name: 'Thoát bản dùng thử' }));
    expect(calls.map((c) => c.channel)).not.toContain('demo.leave');
    fireEvent.click(screen.getByRole('button', { name: 'Ở lại' }));
    expect(screen.queryByRole('button', { name: 'Xóa và thoát' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Thoát bản dùng thử' }));
    fireEvent.click(screen.getByRole('button', { name: 'Xóa và thoát' }));
    await waitFor(() => expect(calls.map((c) => c.channel)).toContain('demo.leave'));
  });
});
