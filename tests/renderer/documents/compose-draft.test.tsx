// @vitest-environment happy-dom
// The drafting form: Decree 30's required parts with inline Vietnamese errors and aria-invalid, the body's markup, the preview, save, reopen, Trình ký.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ComposePage } from '../../../src/renderer/src/documents/ComposePage.js';
import { bodyText, parseBody } from '../../../src/renderer/src/documents/draft-form.js';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { NavigationContext, type Route } from '../../../src/renderer/src/navigation.js';
import type { DraftInput } from '../../../src/shared/draft.js';
import { installFakeBridge } from './fake-bridge.js';

const i18n = initI18n('vi');
beforeAll(() => {
  globalThis.requestAnimationFrame ??= (cb) => setTimeout(() => cb(0), 0) as unknown as number;
});
afterEach(async () => {
  cleanup();
  await act(() => i18n.changeLanguage('vi'));
});

function renderCompose(answers: Parameters<typeof installFakeBridge>[0] = {}, documentId?: string) {
  const bridge = installFakeBridge({ 'directory.list': () => ({ agencies: [{ organId: 'H09.22', name: 'Sở Nội vụ tỉnh Cao Bằng', parent: null }], total: 1 }), ...answers });
  const routes: Route[] = [];
  render(
    <NavigationContext.Provider value={{ route: { page: 'compose' }, navigate: (r) => routes.push(r) }}>
      <ComposePage {...(documentId === undefined ? {} : { documentId })} />
    </NavigationContext.Provider>,
  );
  return { ...bridge, routes };
}

const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const errorOf = (label: string | RegExp): string | null | undefined => {
  const field = screen.getByLabelText(label);
  if (field.getAttribute('aria-invalid') !== 'true') return null;
  return field
    .getAttribute('aria-describedby')
    ?.split(' ')
    .map((id) => document.getElementById(id))
    .find((e) => e?.className === 'field-error')?.textContent;
};

/** The required parts of a công văn, as a clerk types them. */
function fillRequired() {
  type('Cơ quan ban hành', 'Ủy ban nhân dân tỉnh Cao Bằng');
  type('Ký hiệu (ví dụ UBND-VP)', 'UBND-VP');
  type('Địa danh', 'Cao Bằng');
  type('Trích yếu', 'Về việc triển khai chữ ký số');
  type('Nội dung văn bản', 'Căn cứ **Nghị định 30**, *đề nghị*:\n1. Rà soát chứng thư số;\n2. Báo cáo kết quả.\n- Hạn: tháng 12./.');
  type('Chức vụ người ký', 'Chủ tịch');
  type('Họ và tên người ký', 'Nguyễn Thị Hồng Nhung');
}

describe('drafting form', () => {
  it('opens on the drafting tab and marks every missing Decree 30 part inline, in Vietnamese, saving nothing', async () => {
    const { calls } = renderCompose();
    expect(screen.getByRole('tab', { name: 'Soạn thảo văn bản' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Trình ký' }));
    await screen.findByText('Chưa lưu: hãy sửa các mục được đánh dấu.');
    for (const label of ['Cơ quan ban hành', 'Ký hiệu (ví dụ UBND-VP)', 'Địa danh', 'Trích yếu', 'Nội dung văn bản', 'Chức vụ người ký', 'Họ và tên người ký']) {
      expect(errorOf(label), label).toBe('Bắt buộc nhập.');
    }
    // Optional parts stay quiet.
    expect(screen.getByLabelText('Cơ quan chủ quản (nếu có)').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByLabelText('Ngày ban hành').getAttribute('aria-invalid')).toBeNull();
    // The first one has the focus.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Cơ quan ban hành')));
    expect(calls.filter((c) => c.channel === 'drafting.save')).toEqual([]);

    // A message goes as soon as the field is right; limits come from the shared schema.
    type('Trích yếu', 'x'.repeat(501));
    expect(errorOf('Trích yếu')).toBe('Tối đa 500 ký tự.');
    type('Trích yếu', 'Về việc họp');
    expect(errorOf('Trích yếu')).toBeNull();
    await act(() => i18n.changeLanguage('en'));
    expect(errorOf('Signer full name')).toBe('Required.');
  });

  it('asks whom the signer acts for after TM., KT., TL. and TUQ., not after Q.', async () => {
    renderCompose();
    expect(screen.queryByLabelText(/Thay mặt, ký thay cho/)).toBeNull();
    fireEvent.change(screen.getByLabelText('Thẩm quyền ký'), { target: { value: 'KT.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu dự thảo' }));
    await screen.findByText('Chưa lưu: hãy sửa các mục được đánh dấu.');
    expect(errorOf(/Thay mặt, ký thay cho/)).toBe('Bắt buộc nhập.');
    fireEvent.change(screen.getByLabelText('Thẩm quyền ký'), { target: { value: 'Q.' } });
    expect(screen.queryByLabelText(/Thay mặt, ký thay cho/)).toBeNull();
  });

  it('rejects a date that is not a day, in dd/MM/yyyy', async () => {
    renderCompose();
    const date = screen.getByLabelText('Ngày ban hành');
    fireEvent.change(date, { target: { value: '31/02/2026' } });
    fireEvent.blur(date);
    expect(date.getAttribute('aria-invalid')).toBe('true');
  });

  it('starts a new document from the settings’ draft defaults (the demo’s agency, place and leader), keeping the agency name and id together', async () => {
    const defaults = {
      organName: 'Ủy ban nhân dân tỉnh Dùng Thử', organId: '000.00.00.T99', codeNotation: 'UBND-VP', issuedPlace: 'Dùng Thử',
      authority: 'TM.' as const, onBehalfOf: 'Ủy ban nhân dân', position: 'Chủ tịch', fullName: 'Nguyễn Văn An',
    };
    const settings = { serverUrl: null, tsaUrl: null, tokenModules: [], language: 'vi' as const, exchangeLogin: null, receiptConfirmation: 'manual' as const, defaultLevel: 'B-B' as const, signatureImage: null, sealImage: null, draftDefaults: defaults };
    renderCompose({ 'settings.get': () => settings });
    const value = (label: string | RegExp) => (screen.getByLabelText(label) as HTMLInputElement).value;
    await waitFor(() => expect(value('Cơ quan ban hành')).toBe('Ủy ban nhân dân tỉnh Dùng Thử'));
    expect(value('Mã định danh cơ quan ban hành')).toBe('000.00.00.T99');
    expect(value('Ký hiệu (ví dụ UBND-VP)')).toBe('UBND-VP');
    expect(value('Địa danh')).toBe('Dùng Thử');
    expect(value('Thẩm quyền ký')).toBe('TM.');
    expect(value(/Thay mặt, ký thay cho/)).toBe('Ủy ban nhân dân');
    expect(value('Chức vụ người ký')).toBe('Chủ tịch');
    expect(value('Họ và tên người ký')).toBe('Nguyễn Văn An');
    // Only the subject and the body are left to type.
    fireEvent.click(screen.getByRole('button', { name: 'Trình ký' }));
    await screen.findByText('Chưa lưu: hãy sửa các mục được đánh dấu.');
    expect(errorOf('Trích yếu')).toBe('Bắt buộc nhập.');
    expect(errorOf('Nội dung văn bản')).toBe('Bắt buộc nhập.');
    expect(errorOf('Cơ quan ban hành')).toBeNull();
    expect(errorOf('Họ và tên người ký')).toBeNull();
    cleanup();

    // The agency the exchange login knows comes first: the defaults do not pair another id with its name, the rest still fill in.
    renderCompose({
      'settings.get': async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return settings;
      },
      'sync.status': () => ({ configured: true, online: true, needsLogin: false, agency: { organId: 'H09.01', name: 'UBND tỉnh Cao Bằng' }, lastSync: null, queued: 0, failing: 0, problem: null }),
    });
    await waitFor(() => expect(value('Địa danh')).toBe('Dùng Thử'));
    expect(value('Cơ quan ban hành')).toBe('UBND tỉnh Cao Bằng');
    expect(value('Mã định danh cơ quan ban hành')).toBe('H09.01');
  });

  it('previews the engine PDF once typing stops, then saves the draft with the form as the engine takes it and stays', async () => {
    const rendered: DraftInput[] = [];
    const { calls, routes } = renderCompose({
      'sync.status': () => ({ configured: true, online: false, needsLogin: false, agency: { organId: 'H09.01', name: 'UBND tỉnh Cao Bằng' }, lastSync: null, queued: 0, failing: 0, problem: null }),
      'drafting.render': ({ draft }) => {
        rendered.push(draft);
        // Not a drawable PDF: happy-dom has no canvas; the count is what the form shows.
        return { contentBase64: btoa('%PDF-1.7'), pageCount: 2, closingPage: 2 };
      },
      'drafting.save': () => ({ id: 42, draftId: 3, version: 1, pageCount: 2 }),
    });
    // The agency the exchange knows us as comes prefilled.
    await waitFor(() => expect((screen.getByLabelText('Cơ quan ban hành') as HTMLInputElement).value).toBe('UBND tỉnh Cao Bằng'));
    fillRequired();
    fireEvent.change(screen.getByLabelText('Ngày ban hành'), { target: { value: '07/12/2026' } });
    fireEvent.change(screen.getByLabelText('Độ khẩn'), { target: { value: '1' } });
    fireEvent.change(screen.getByLabelText('Tìm cơ quan nhận (tên hoặc mã định danh)'), { target: { value: 'noi vu' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Thêm Sở Nội vụ tỉnh Cao Bằng' }));
    // Picked for the exchange, it is printed in "Nơi nhận" too, above "Lưu: VT".
    expect((screen.getByLabelText('Nơi nhận in trên văn bản (mỗi dòng một nơi)') as HTMLTextAreaElement).value).toBe('Sở Nội vụ tỉnh Cao Bằng\nLưu: VT');

    await screen.findByText('Văn bản gồm 2 trang.', {}, { timeout: 3000 });
    // Debounced: one render for the burst of typing, with the last values.
    expect(rendered.length).toBeLessThanOrEqual(2);
    expect(rendered.at(-1)).toMatchObject({ subject: 'Về việc triển khai chữ ký số', issuedDate: '2026-12-07', signer: { fullName: 'Nguyễn Thị Hồng Nhung' } });

    fireEvent.click(screen.getByRole('button', { name: 'Lưu dự thảo' }));
    await screen.findByText('Đã lưu dự thảo (phiên bản 1).');
    expect(routes).toEqual([]);
    const save = calls.find((c) => c.channel === 'drafting.save')!.request as { documentId?: number; draft: DraftInput; recipients: unknown[] };
    expect(save.documentId).toBeUndefined();
    expect(save.recipients).toEqual([{ organId: 'H09.22', organName: 'Sở Nội vụ tỉnh Cao Bằng' }]);
    expect(save.draft).toMatchObject({
      type: 'cong-van',
      organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
      organId: 'H09.01',
      codeNotation: 'UBND-VP',
      issuedPlace: 'Cao Bằng',
      issuedDate: '2026-12-07',
      priority: 1,
      recipientsList: ['Sở Nội vụ tỉnh Cao Bằng', 'Lưu: VT'],
      signer: { position: 'Chủ tịch', fullName: 'Nguyễn Thị Hồng Nhung' },
      body: [
        { kind: 'paragraph', text: [{ text: 'Căn cứ ' }, { text: 'Nghị định 30', bold: true }, { text: ', ' }, { text: 'đề nghị', italic: true }, { text: ':' }] },
        { kind: 'list', style: 'numbered', items: ['Rà soát chứng thư số;', 'Báo cáo kết quả.'] },
        { kind: 'list', style: 'bulleted', items: ['Hạn: tháng 12./.'] },
      ],
    });

    // The next save goes to the same document; Trình ký opens it for signing.
    fireEvent.click(screen.getByRole('button', { name: 'Trình ký' }));
    await waitFor(() => expect(routes).toEqual([{ page: 'document', documentId: '42' }]));
    expect((calls.filter((c) => c.channel === 'drafting.save')[1]!.request as { documentId: number }).documentId).toBe(42);
  });

  it('reopens a saved draft with the form as it was', async () => {
    const draft = {
      format: 1 as const,
      type: 'quyet-dinh' as const,
      organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
      codeNotation: 'QĐ-UBND',
      issuedPlace: 'Cao Bằng',
      issueYear: 2026,
      subject: 'Về việc thành lập Tổ công tác',
      priority: 0 as const,
      secrecy: 1 as const,
      addressees: [],
      body: [{ kind: 'paragraph' as const, text: [{ text: 'Điều 1.', bold: true }, { text: ' Thành lập.' }] }],
      recipientsList: ['Như Điều 3', 'Lưu: VT'],
      signer: { authority: 'KT.' as const, onBehalfOf: 'Chủ tịch', position: 'Phó Chủ tịch', fullName: 'Hoàng Văn Thụ' },
    };
    const document = { id: 9, direction: 'outgoing' as const, state: 'draft' as const, subject: draft.subject, priority: 0 as const, secrecy: 1 as const, dueDate: '2026-12-31', recipients: [], createdAt: 1, updatedAt: 1 };
    renderCompose(
      {
        'drafting.forDocument': () => ({ draftId: 3, version: 2, draft }),
        'documents.get': () => ({ document, files: [], history: [] }),
        'drafting.render': () => ({ contentBase64: btoa('%PDF-1.7'), pageCount: 1, closingPage: 1 }),
      },
      '9',
    );
    await screen.findByRole('heading', { name: 'Sửa dự thảo' });
    await waitFor(() => expect((screen.getByLabelText('Trích yếu') as HTMLTextAreaElement).value).toBe('Về việc thành lập Tổ công tác'));
    expect(screen.queryByRole('tab')).toBeNull();
    expect((screen.getByLabelText('Loại văn bản') as HTMLSelectElement).value).toBe('quyet-dinh');
    expect((screen.getByLabelText('Thẩm quyền ký') as HTMLSelectElement).value).toBe('KT.');
    expect((screen.getByLabelText(/Thay mặt, ký thay cho/) as HTMLInputElement).value).toBe('Chủ tịch');
    expect((screen.getByLabelText('Nội dung văn bản') as HTMLTextAreaElement).value).toBe('**Điều 1.** Thành lập.');
    expect((screen.getByLabelText('Độ mật') as HTMLSelectElement).value).toBe('1');
    expect((screen.getByLabelText('Hạn xử lý') as HTMLInputElement).value).toBe('31/12/2026');
  });
});

describe('body toolbar', () => {
  it('marks the selection bold or italic and turns the selected lines into numbered or bulleted items', async () => {
    renderCompose();
    const body = screen.getByLabelText('Nội dung văn bản') as HTMLTextAreaElement;
    fireEvent.change(body, { target: { value: 'Căn cứ Nghị định 30;\nRà soát\nBáo cáo' } });
    body.setSelectionRange(7, 19);
    fireEvent.click(screen.getByRole('button', { name: 'Đậm' }));
    expect(body.value).toBe('Căn cứ **Nghị định 30**;\nRà soát\nBáo cáo');
    body.setSelectionRange(0, 6);
    fireEvent.click(screen.getByRole('button', { name: 'Nghiêng' }));
    expect(body.value).toBe('*Căn cứ* **Nghị định 30**;\nRà soát\nBáo cáo');
    const second = body.value.indexOf('Rà');
    body.setSelectionRange(second, body.value.length);
    fireEvent.click(screen.getByRole('button', { name: 'Mục đánh số' }));
    expect(body.value).toBe('*Căn cứ* **Nghị định 30**;\n1. Rà soát\n2. Báo cáo');
    body.setSelectionRange(body.value.indexOf('1.'), body.value.length);
    fireEvent.click(screen.getByRole('button', { name: 'Gạch đầu dòng' }));
    expect(body.value).toBe('*Căn cứ* **Nghị định 30**;\n- Rà soát\n- Báo cáo');
  });
});

describe('body markup', () => {
  it('reads paragraphs, bold and italic runs, numbered and bulleted items, and writes them back', () => {
    const text = 'Mở đầu ***rất quan trọng***.\n\n3. Ba;\n4. Bốn.\n\n- Một ý;\n- Ý khác.\nKết thúc./.';
    const blocks = parseBody(text);
    expect(blocks).toEqual([
      { kind: 'paragraph', text: [{ text: 'Mở đầu ' }, { text: 'rất quan trọng', bold: true, italic: true }, { text: '.' }] },
      { kind: 'list', style: 'numbered', start: 3, items: ['Ba;', 'Bốn.'] },
      { kind: 'list', style: 'bulleted', items: ['Một ý;', 'Ý khác.'] },
      { kind: 'paragraph', text: 'Kết thúc./.' },
    ]);
    expect(parseBody(bodyText(blocks))).toEqual(blocks);
  });
});
