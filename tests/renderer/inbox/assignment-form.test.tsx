// @vitest-environment happy-dom
// The assignment form: the unit or person and the deadline are required, the deadline is typed dd/MM/yyyy and kept yyyy-MM-dd, a past deadline (Vietnam days) is refused.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { AssignmentForm, assignmentProblems, type AssignmentValues } from '../../../src/renderer/src/inbox/AssignmentForm.js';

initI18n('vi');
beforeEach(() => {
  // 07/12/2026 00:30 in Vietnam, still 06/12 in UTC: "today" must be the Vietnamese day.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-06T17:30:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
  cleanup();
});

function renderForm(leader?: string) {
  const submitted: AssignmentValues[] = [];
  const onCancel = vi.fn();
  render(
    <AssignmentForm
      {...(leader ? { leader } : {})}
      onCancel={onCancel}
      onSubmit={async (values) => {
        submitted.push(values);
      }}
    />,
  );
  const form = screen.getByRole('form', { name: 'Ý kiến phân phối, chỉ đạo giải quyết' });
  return { form, submitted, onCancel };
}

describe('assignment form', () => {
  it('asks for the unit or person and the deadline before saving anything', async () => {
    const { submitted } = renderForm();
    fireEvent.click(screen.getByRole('button', { name: 'Lưu phân công' }));
    await screen.findByText('Hãy nhập đơn vị hoặc người chủ trì xử lý.');
    expect(screen.getByText('Hãy nhập hạn xử lý (ngày/tháng/năm).')).toBeTruthy();
    expect(screen.getByLabelText('Đơn vị hoặc người chủ trì xử lý').getAttribute('aria-invalid')).toBe('true');
    expect(submitted).toEqual([]);
  });

  it('takes the deadline as dd/MM/yyyy and hands it on as yyyy-MM-dd with the leader, unit and opinion', async () => {
    const { submitted } = renderForm('Giám đốc Trần Văn Bình');
    expect((screen.getByLabelText('Lãnh đạo cho ý kiến') as HTMLInputElement).value).toBe('Giám đốc Trần Văn Bình');
    const deadline = screen.getByLabelText('Hạn xử lý') as HTMLInputElement;
    expect(deadline.type).toBe('text');
    expect(deadline.placeholder).toBe('nn/tt/nnnn');
    fireEvent.change(screen.getByLabelText('Đơn vị hoặc người chủ trì xử lý'), { target: { value: '  Phòng Tổ chức cán bộ ' } });
    fireEvent.change(deadline, { target: { value: '15/12/2026' } });
    fireEvent.change(screen.getByLabelText('Ý kiến chỉ đạo'), { target: { value: 'Giao Phòng Tổ chức cán bộ chủ trì, báo cáo trước hạn.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu phân công' }));
    await waitFor(() => expect(submitted).toHaveLength(1));
    expect(submitted[0]).toEqual({ leader: 'Giám đốc Trần Văn Bình', handler: 'Phòng Tổ chức cán bộ', deadline: '2026-12-15', opinion: 'Giao Phòng Tổ chức cán bộ chủ trì, báo cáo trước hạn.' });
  });

  it('refuses a deadline already past in Vietnam and takes today', async () => {
    const { submitted } = renderForm();
    fireEvent.change(screen.getByLabelText('Đơn vị hoặc người chủ trì xử lý'), { target: { value: 'Bà Lê Thị Mai' } });
    // The 6th is still today in UTC, but already yesterday in Vietnam.
    fireEvent.change(screen.getByLabelText('Hạn xử lý'), { target: { value: '06/12/2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu phân công' }));
    await screen.findByText('Hạn xử lý đã qua. Hãy chọn hôm nay hoặc một ngày sau.');
    expect(submitted).toEqual([]);
    fireEvent.change(screen.getByLabelText('Hạn xử lý'), { target: { value: '07/12/2026' } });
    await waitFor(() => expect(screen.queryByText('Hạn xử lý đã qua. Hãy chọn hôm nay hoặc một ngày sau.')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Lưu phân công' }));
    await waitFor(() => expect(submitted.map((s) => s.deadline)).toEqual(['2026-12-07']));
  });

  it('shows the server’s refusal and keeps what was typed', async () => {
    render(<AssignmentForm onCancel={() => undefined} onSubmit={async () => Promise.reject(new Error('Không lưu được phân công.'))} />);
    fireEvent.change(screen.getByLabelText('Đơn vị hoặc người chủ trì xử lý'), { target: { value: 'Phòng A' } });
    fireEvent.change(screen.getByLabelText('Hạn xử lý'), { target: { value: '10/12/2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu phân công' }));
    await screen.findByRole('alert');
    expect(screen.getByRole('alert').textContent).toBe('Không lưu được phân công.');
    expect((screen.getByLabelText('Đơn vị hoặc người chủ trì xử lý') as HTMLInputElement).value).toBe('Phòng A');
    expect((screen.getByLabelText('Hạn xử lý') as HTMLInputElement).value).toBe('10/12/2026');
  });

  it('checks on its own terms too (no screen)', () => {
    const now = new Date('2026-12-06T17:30:00Z');
    expect(assignmentProblems({ leader: '', handler: ' ', deadline: '', opinion: '' }, now)).toEqual({ handler: 'processing.handlerRequired', deadline: 'processing.deadlineRequired' });
    expect(assignmentProblems({ leader: '', handler: 'A', deadline: '2026-12-06', opinion: '' }, now)).toEqual({ deadline: 'processing.deadlinePast' });
    expect(assignmentProblems({ leader: '', handler: 'A', deadline: '2026-12-07', opinion: '' }, now)).toEqual({});
  });
});
