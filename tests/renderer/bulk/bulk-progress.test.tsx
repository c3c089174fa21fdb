// @vitest-environment happy-dom
// The bulk signing state: progress of our run only, per-document results in words, stop while running, continue with the PIN once over.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useReducer } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { BulkProgressPanel } from '../../../src/renderer/src/bulk/BulkProgressPanel.js';
import { bulkReducer, canCancel, canResume, initialBulkState, tally, type BulkAction, type BulkState } from '../../../src/renderer/src/bulk/progress-state.js';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import type { BulkProgressView } from '../../../src/shared/ipc/exchange.js';

const i18n = initI18n('vi');
afterEach(async () => {
  cleanup();
  await act(() => i18n.changeLanguage('vi'));
});

const progress = (over: Partial<BulkProgressView>): BulkProgressView => ({
  runId: 'run-1',
  done: 0,
  total: 3,
  current: null,
  finished: false,
  items: [1, 2, 3].map((documentId) => ({ documentId, status: 'queued' as const, error: null })),
  error: null,
  ...over,
});

const run = (...actions: BulkAction[]): BulkState => actions.reduce(bulkReducer, initialBulkState);

describe('bulk progress state', () => {
  it('follows its own run and ignores another run’s events', () => {
    const started = run({ type: 'start' }, { type: 'started', runId: 'run-1' });
    expect(started).toMatchObject({ phase: 'running', runId: 'run-1', progress: null });
    const other = bulkReducer(started, { type: 'progress', progress: progress({ runId: 'run-2', done: 3 }) });
    expect(other).toBe(started);
    const mine = bulkReducer(started, { type: 'progress', progress: progress({ done: 1, current: { documentId: 2, subject: 'Công văn 2' } }) });
    expect(mine).toMatchObject({ phase: 'running', progress: { done: 1 } });
    expect(canCancel(mine)).toBe(true);
    expect(canResume(mine)).toBe(false);
  });

  it('takes progress that arrives before the start call answers, but not when idle', () => {
    expect(bulkReducer(initialBulkState, { type: 'progress', progress: progress({}) })).toBe(initialBulkState);
    expect(run({ type: 'start' }, { type: 'progress', progress: progress({ done: 1 }) })).toMatchObject({ runId: 'run-1', phase: 'running' });
  });

  it('ends finished; documents left unsigned can be continued, a fully signed batch cannot', () => {
    const cancelled = run(
      { type: 'start' },
      { type: 'started', runId: 'run-1' },
      {
        type: 'progress',
        progress: progress({
          done: 2,
          finished: true,
          items: [
            { documentId: 1, status: 'signed', error: null },
            { documentId: 2, status: 'failed', error: { code: 'PDF_INVALID', messageVi: 'Tệp PDF hỏng', messageEn: 'Broken PDF' } },
            { documentId: 3, status: 'cancelled', error: null },
          ],
        }),
      },
    );
    expect(cancelled.phase).toBe('finished');
    expect(tally(cancelled.progress)).toEqual({ signed: 1, failed: 1, other: 1, percent: 67 });
    expect(canResume(cancelled)).toBe(true);
    // Resuming keeps the run and its last results until new progress comes.
    expect(bulkReducer(cancelled, { type: 'started', runId: 'run-1' })).toMatchObject({ phase: 'running', progress: cancelled.progress });

    const done = bulkReducer(cancelled, { type: 'progress', progress: progress({ done: 3, finished: true, items: [1, 2, 3].map((documentId) => ({ documentId, status: 'signed' as const, error: null })) }) });
    expect(canResume(done)).toBe(false);
    expect(tally(done.progress).percent).toBe(100);
  });
});

function Harness({ actions, onCancel = () => {}, onResume = () => {} }: { actions: BulkAction[]; onCancel?: () => void; onResume?: (pin: string) => void }) {
  const [state] = useReducer(bulkReducer, initialBulkState, () => run(...actions));
  return <BulkProgressPanel state={state} subjects={new Map([[1, 'Công văn 1'], [2, 'Công văn 2'], [3, 'Công văn 3']])} onCancel={onCancel} onResume={onResume} />;
}

describe('bulk progress panel', () => {
  it('shows the bar, the document being signed and each result in Vietnamese; stop is offered while running', () => {
    let cancels = 0;
    render(
      <Harness
        onCancel={() => cancels++}
        actions={[
          { type: 'start' },
          { type: 'started', runId: 'run-1' },
          { type: 'progress', progress: progress({ done: 1, current: { documentId: 2, subject: 'Công văn 2' }, items: [{ documentId: 1, status: 'signed', error: null }, { documentId: 2, status: 'running', error: null }, { documentId: 3, status: 'queued', error: null }] }) },
        ]}
      />,
    );
    const bar = screen.getByRole('progressbar', { name: 'Tiến độ ký' });
    expect(bar.getAttribute('value')).toBe('33');
    expect(screen.getByRole('status').textContent).toBe('Đã xong 1/3 — Đang ký: Công văn 2');
    const rows = within(screen.getByRole('table', { name: 'Kết quả từng văn bản' })).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual(['Công văn 1Đã ký', 'Công văn 2Đang ký', 'Công văn 3Chờ ký']);
    fireEvent.click(screen.getByRole('button', { name: 'Dừng ký' }));
    expect(cancels).toBe(1);
    expect(screen.queryByRole('button', { name: 'Ký tiếp' })).toBeNull();
  });

  it('once over, shows the tally and errors, and continues with a PIN that is not kept in the field', () => {
    const pins: string[] = [];
    render(
      <Harness
        onResume={(pin) => pins.push(pin)}
        actions={[
          { type: 'start' },
          { type: 'started', runId: 'run-1' },
          {
            type: 'progress',
            progress: progress({
              done: 2,
              finished: true,
              items: [
                { documentId: 1, status: 'signed', error: null },
                { documentId: 2, status: 'failed', error: { code: 'PDF_INVALID', messageVi: 'Tệp PDF hỏng', messageEn: 'Broken PDF' } },
                { documentId: 3, status: 'waiting', error: null },
              ],
            }),
          },
        ]}
      />,
    );
    expect(screen.getByText('Đã xong lượt ký: 1 đã ký, 1 lỗi, 1 chưa ký.')).toBeTruthy();
    expect(screen.getByText(/Tệp PDF hỏng/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Dừng ký' })).toBeNull();
    const pin = screen.getByLabelText<HTMLInputElement>('Mã PIN (một lần cho cả lượt)');
    expect(pin.type).toBe('password');
    fireEvent.change(pin, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ký tiếp' }));
    expect(pins).toEqual(['123456']);
    expect(pin.value).toBe('');
  });

  it('speaks English when switched', async () => {
    await act(() => i18n.changeLanguage('en'));
    render(<Harness actions={[{ type: 'start' }, { type: 'started', runId: 'run-1' }, { type: 'progress', progress: progress({ done: 0 }) }]} />);
    expect(screen.getByRole('button', { name: 'Stop signing' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('0/3 done');
  });
});
