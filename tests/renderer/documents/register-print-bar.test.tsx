// @vitest-environment happy-dom
// The register's print/export bar: a year or a period (our date fields), what it asks main for, refusals before asking, the saved path, both languages' strings.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RegisterPrintBar } from '../../../src/renderer/src/documents/RegisterPrintBar.js';
import { registersMessages } from '../../../src/renderer/src/documents/register-messages.js';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { vietnamToday } from '../../../src/shared/vietnam-date.js';
import { installFakeBridge } from './fake-bridge.js';

const i18n = initI18n('vi');
afterEach(async () => {
  cleanup();
  await act(() => i18n.changeLanguage('vi'));
});

const saved = (fileName: string) => ({ fileName, savedPath: `/du-lieu/exports/${fileName}`, contentBase64: 'JVBERi0=' });

describe('RegisterPrintBar', () => {
  it('prints this year by default and shows where the file was saved', async () => {
    const bridge = installFakeBridge({ 'registers.export': (r) => saved(`so-van-ban-di-${'year' in r ? r.year : 'x'}.pdf`) });
    render(<RegisterPrintBar kind="outgoing" />);
    fireEvent.click(screen.getByRole('button', { name: 'In sổ' }));
    const year = Number(vietnamToday().slice(0, 4));
    await screen.findByText(`Đã lưu so-van-ban-di-${year}.pdf vào: /du-lieu/exports/so-van-ban-di-${year}.pdf`);
    expect(bridge.calls).toEqual([{ channel: 'registers.export', request: { kind: 'outgoing', format: 'pdf', year } }]);
    expect(screen.getByRole('button', { name: 'Lưu bản sao ở nơi khác…' })).toBeTruthy();
  });

  it('exports a period typed as dd/MM/yyyy, and refuses an incomplete or backwards one without asking main', async () => {
    const bridge = installFakeBridge({ 'registers.export': () => saved('so-van-ban-den.xlsx') });
    render(<RegisterPrintBar kind="incoming" />);
    fireEvent.change(screen.getByRole('combobox', { name: /^Thời gian/ }), { target: { value: 'period' } });
    fireEvent.click(screen.getByRole('button', { name: 'Xuất Excel' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Hãy nhập đủ từ ngày và đến ngày (ngày/tháng/năm).');
    fireEvent.change(screen.getByLabelText('Từ ngày'), { target: { value: '01/04/2026' } });
    fireEvent.change(screen.getByLabelText('Đến ngày'), { target: { value: '01/01/2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Xuất Excel' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Từ ngày phải trước hoặc trùng đến ngày.');
    expect(bridge.calls).toEqual([]);
    fireEvent.change(screen.getByLabelText('Đến ngày'), { target: { value: '30/06/2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Xuất Excel' }));
    await screen.findByText(/Đã lưu so-van-ban-den\.xlsx/);
    expect(bridge.calls).toEqual([{ channel: 'registers.export', request: { kind: 'incoming', format: 'xlsx', from: '2026-04-01', to: '2026-06-30' } }]);
  });

  it("shows main's refusal in the current language", async () => {
    installFakeBridge({ 'registers.export': () => ({ error: { code: 'BAD_INPUT', messageVi: 'Dữ liệu không hợp lệ.', messageEn: 'Invalid input.' } }) });
    await act(() => i18n.changeLanguage('en'));
    render(<RegisterPrintBar kind="outgoing" />);
    fireEvent.click(screen.getByRole('button', { name: 'Print register' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Invalid input.');
  });

  it('has the same keys in both languages, none empty', () => {
    expect(Object.keys(registersMessages.en).sort()).toEqual(Object.keys(registersMessages.vi).sort());
    for (const text of [...Object.values(registersMessages.vi), ...Object.values(registersMessages.en)]) expect(text.trim()).not.toBe('');
  });
});
