// @vitest-environment happy-dom
// The reject form: a reason of at least 3 characters before anything is sent, the trimmed reason sent once, a failure shown, cancel.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { RejectForm } from '../../../src/renderer/src/inbox/RejectForm.js';

const i18n = initI18n('vi');
afterEach(async () => {
  cleanup();
  await act(() => i18n.changeLanguage('vi'));
});

describe('reject form', () => {
  it('refuses a too short reason in words and sends nothing', async () => {
    const sent: string[] = [];
    render(<RejectForm onSubmit={async (r) => void sent.push(r)} onCancel={() => {}} />);
    const reason = screen.getByLabelText('Lý do từ chối');
    fireEvent.change(reason, { target: { value: '  a ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Gửi từ chối' }));
    await screen.findByText('Hãy nhập lý do (ít nhất 3 ký tự).');
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);
  });

  it('sends the trimmed reason once', async () => {
    const sent: string[] = [];
    render(<RejectForm onSubmit={async (r) => void sent.push(r)} onCancel={() => {}} />);
    fireEvent.change(screen.getByLabelText('Lý do từ chối'), { target: { value: '  Gửi nhầm cơ quan  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Gửi từ chối' }));
    await waitFor(() => expect(sent).toEqual(['Gửi nhầm cơ quan']));
  });

  it('shows why sending failed and keeps the reason for another try', async () => {
    render(<RejectForm onSubmit={() => Promise.reject(new Error('Máy chủ trao đổi đang không truy cập được'))} onCancel={() => {}} />);
    fireEvent.change(screen.getByLabelText('Lý do từ chối'), { target: { value: 'Sai nơi nhận' } });
    fireEvent.click(screen.getByRole('button', { name: 'Gửi từ chối' }));
    expect((await screen.findByRole('alert')).textContent).toContain('không truy cập được');
    expect(screen.getByLabelText<HTMLTextAreaElement>('Lý do từ chối').value).toBe('Sai nơi nhận');
    expect(screen.getByRole('button', { name: 'Gửi từ chối' }).hasAttribute('disabled')).toBe(false);
  });

  it('cancels, and speaks English', async () => {
    await act(() => i18n.changeLanguage('en'));
    let cancelled = 0;
    render(<RejectForm onSubmit={async () => {}} onCancel={() => cancelled++} />);
    expect(screen.getByRole('form', { name: 'Reject the document' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(cancelled).toBe(1);
  });
});
