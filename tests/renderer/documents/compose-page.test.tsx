// @vitest-environment happy-dom
// The compose form's "Tải tệp lên" mode (a PDF made elsewhere): inline Decree 30 validation in Vietnamese and English, PDF checks, recipients from the directory, save.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ComposePage } from '../../../src/renderer/src/documents/ComposePage.js';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { NavigationContext, type Route } from '../../../src/renderer/src/navigation.js';
import { installFakeBridge } from './fake-bridge.js';

const i18n = initI18n('vi');
beforeAll(() => {
  // happy-dom has no layout; requestAnimationFrame is enough as a timer here.
  globalThis.requestAnimationFrame ??= (cb) => setTimeout(() => cb(0), 0) as unknown as number;
});
afterEach(async () => {
  cleanup();
  await act(() => i18n.changeLanguage('vi'));
});

const agencies = [
  { organId: 'G01.05', name: 'Bộ Nội vụ', parent: null },
  { organId: 'H09.02', name: 'Sở Tài chính tỉnh Cao Bằng', parent: 'H09.01' },
];
const pdfFile = (name = 'cong-van.pdf') => new File([new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n')], name, { type: 'application/pdf' });

/** The hidden file input behind one of our file buttons ("Tệp chính (PDF)", "Phụ lục (PDF)"). */
const fileInput = (slot: string): HTMLInputElement => screen.getByRole('group', { name: slot }).querySelector<HTMLInputElement>('input[type="file"]')!;

function renderCompose(answers: Parameters<typeof installFakeBridge>[0] = {}, documentId?: string) {
  const bridge = installFakeBridge({
    'directory.list': ({ query }) => {
      const q = (query ?? '').toLowerCase();
      const found = agencies.filter((a) => a.organId.toLowerCase().startsWith(q) || a.name.toLowerCase().includes(q) || (q === 'noi vu' && a.organId === 'G01.05'));
      return { agencies: found, total: found.length };
    },
    ...answers,
  });
  const routes: Route[] = [];
  render(
    <NavigationContext.Provider value={{ route: { page: 'compose' }, navigate: (r) => routes.push(r) }}>
      <ComposePage {...(documentId === undefined ? {} : { documentId })} />
    </NavigationContext.Provider>,
  );
  // A new document opens on the drafting form: these tests are about a PDF made elsewhere.
  if (documentId === undefined) fireEvent.click(screen.getByRole('tab', { name: 'Tải tệp lên' }));
  return { ...bridge, routes };
}

describe('ComposePage', () => {
  it('shows what is missing or too long inline, and sends nothing', async () => {
    const { calls } = renderCompose();
    fireEvent.change(screen.getByLabelText('Họ và tên người ký'), { target: { value: 'x'.repeat(51) } });
    fireEvent.change(screen.getByLabelText('Mã định danh cơ quan ban hành'), { target: { value: '000.00.14.H14.1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu dự thảo' }));
    await screen.findByText('Chưa lưu: hãy sửa các mục được đánh dấu.');
    const subject = screen.getByLabelText('Trích yếu');
    expect(subject.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(subject.getAttribute('aria-describedby')!)?.textContent).toBe('Bắt buộc nhập.');
    expect(screen.getByText('Tối đa 50 ký tự.')).toBeTruthy();
    expect(screen.getByText('Tối đa 13 ký tự.')).toBeTruthy();
    expect(screen.getByText('Cần có tệp chính (PDF).')).toBeTruthy();
    expect(calls.filter((c) => c.channel.startsWith('documents.'))).toEqual([]);

    // The message goes as soon as the field is right, and the limit comes from the shared schema.
    fireEvent.change(subject, { target: { value: 'y'.repeat(501) } });
    expect(screen.getByText('Tối đa 500 ký tự.')).toBeTruthy();
    fireEvent.change(subject, { target: { value: 'Về việc họp giao ban' } });
    expect(subject.getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByText('20/500 ký tự')).toBeTruthy();

    await act(() => i18n.changeLanguage('en'));
    expect(screen.getByText('At most 50 characters.')).toBeTruthy();
    expect(screen.getByText('A main file (PDF) is required.')).toBeTruthy();
  });

  it('refuses a file that is not a PDF before sending it', async () => {
    renderCompose();
    const input = fileInput('Tệp chính (PDF)');
    fireEvent.change(input, { target: { files: [new File(['\xd0\xcf\x11\xe0 doc'], 'to-trinh.doc')] } });
    await screen.findByText('Tệp “to-trinh.doc” không phải là tệp PDF.');
    fireEvent.change(input, { target: { files: [pdfFile()] } });
    await screen.findByRole('button', { name: 'Bỏ tệp cong-van.pdf' });
  });

  it('converts a .docx to PDF in main for the main slot, and says so in words when LibreOffice is missing', async () => {
    const { calls } = renderCompose({
      'drafting.convertDocx': ({ name }) =>
        name === 'to-trinh.docx'
          ? { name: 'to-trinh.pdf', contentBase64: btoa('%PDF-1.7 converted') }
          : { error: { code: 'DRAFT_DOCX_CONVERTER_MISSING', messageVi: 'Chưa cài LibreOffice nên không chuyển được tệp .docx sang PDF.', messageEn: 'LibreOffice is not installed.' } },
    });
    fireEvent.change(fileInput('Tệp chính (PDF)'), { target: { files: [new File(['PK\x03\x04 word'], 'to-trinh.docx')] } });
    await screen.findByRole('button', { name: 'Bỏ tệp to-trinh.pdf' });
    expect(calls.find((c) => c.channel === 'drafting.convertDocx')?.request).toMatchObject({ name: 'to-trinh.docx', contentBase64: btoa('PK\x03\x04 word') });
    fireEvent.change(fileInput('Phụ lục (PDF)'), { target: { files: [new File(['PK\x03\x04 word'], 'phu-luc.docx')] } });
    expect((await screen.findByRole('alert')).textContent).toBe('Chưa cài LibreOffice nên không chuyển được tệp .docx sang PDF.');
    expect(screen.queryByRole('button', { name: /Bỏ tệp phu-luc/ })).toBeNull();
  });

  it('takes dropped PDFs: the first fills the main slot, the rest are appendices', async () => {
    renderCompose();
    const zone = screen.getByRole('region', { name: 'Vùng kéo thả tệp PDF' });
    fireEvent.dragOver(zone, { dataTransfer: { files: [] } });
    expect(zone.className).toContain('dragging');
    fireEvent.drop(zone, { dataTransfer: { files: [pdfFile('chinh.pdf'), pdfFile('phu-luc-a.pdf'), new File(['x'], 'anh.png')] } });
    await screen.findByRole('button', { name: 'Bỏ tệp chinh.pdf' });
    expect(screen.getByRole('button', { name: 'Bỏ tệp phu-luc-a.pdf' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Tệp “anh.png” không phải là tệp PDF.');
    expect(zone.className).not.toContain('dragging');
  });

  it('picks recipients by name or organ id, and saves the draft with its files', async () => {
    const { calls, routes } = renderCompose({
      'documents.create': () => ({ id: 42, duplicates: [] }),
      // Logged in to the exchange once: the issuing agency comes prefilled.
      'sync.status': () => ({ configured: true, online: false, needsLogin: false, agency: { organId: 'H09.01', name: 'UBND tỉnh Cao Bằng' }, lastSync: null, queued: 0, failing: 0, problem: null }),
    });
    await waitFor(() => expect((screen.getByLabelText('Mã định danh cơ quan ban hành') as HTMLInputElement).value).toBe('H09.01'));
    expect((screen.getByLabelText('Cơ quan ban hành') as HTMLInputElement).value).toBe('UBND tỉnh Cao Bằng');
    fireEvent.change(screen.getByLabelText('Ký hiệu (ví dụ UBND-VP)'), { target: { value: 'UBND-VP' } });
    fireEvent.change(screen.getByLabelText('Trích yếu'), { target: { value: 'Về việc triển khai chữ ký số' } });
    fireEvent.change(screen.getByLabelText('Chức vụ người ký'), { target: { value: 'Chủ tịch' } });
    fireEvent.change(screen.getByLabelText('Độ khẩn'), { target: { value: '1' } });
    fireEvent.change(fileInput('Tệp chính (PDF)'), { target: { files: [pdfFile()] } });
    fireEvent.change(fileInput('Phụ lục (PDF)'), { target: { files: [pdfFile('phu-luc-1.pdf')] } });
    await screen.findByRole('button', { name: 'Bỏ tệp phu-luc-1.pdf' });

    const search = screen.getByLabelText('Tìm cơ quan nhận (tên hoặc mã định danh)');
    fireEvent.change(search, { target: { value: 'noi vu' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Thêm Bộ Nội vụ' }));
    fireEvent.change(search, { target: { value: 'H09' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Thêm Sở Tài chính tỉnh Cao Bằng' }));
    const chosen = screen.getByRole('list', { name: 'Nơi nhận đã chọn' });
    expect(within(chosen).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('Bộ Nội vụ (G01.05)'),
      expect.stringContaining('Sở Tài chính tỉnh Cao Bằng (H09.02)'),
    ]);

    fireEvent.click(screen.getByRole('button', { name: 'Lưu dự thảo' }));
    await waitFor(() => expect(routes).toEqual([{ page: 'document', documentId: '42' }]));
    const create = calls.find((c) => c.channel === 'documents.create')!.request as { metadata: Record<string, unknown>; files: { name: string; role: string; contentBase64: string }[] };
    expect(create.metadata).toEqual({
      organName: 'UBND tỉnh Cao Bằng',
      organId: 'H09.01',
      codeNotation: 'UBND-VP',
      typeName: 'Công văn',
      subject: 'Về việc triển khai chữ ký số',
      signerPosition: 'Chủ tịch',
      priority: 1,
      secrecy: 0,
      recipients: [
        { organId: 'G01.05', organName: 'Bộ Nội vụ' },
        { organId: 'H09.02', organName: 'Sở Tài chính tỉnh Cao Bằng' },
      ],
    });
    expect(create.files.map((f) => [f.name, f.role, atob(f.contentBase64).slice(0, 8)])).toEqual([
      ['cong-van.pdf', 'main', '%PDF-1.7'],
      ['phu-luc-1.pdf', 'appendix', '%PDF-1.7'],
    ]);
  });

  it('shows the bilingual error main returns, and stays on the form', async () => {
    const { routes } = renderCompose({
      'documents.create': () => ({ error: { code: 'DOCUMENT_FILE_NOT_PDF', messageVi: 'Tệp "x.pdf" không phải là tệp PDF; chỉ nhận tệp PDF.', messageEn: 'File "x.pdf" is not a PDF file.' } }),
    });
    fireEvent.change(screen.getByLabelText('Trích yếu'), { target: { value: 'Thông báo' } });
    fireEvent.change(fileInput('Tệp chính (PDF)'), { target: { files: [pdfFile('x.pdf')] } });
    await screen.findByRole('button', { name: 'Bỏ tệp x.pdf' });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu dự thảo' }));
    expect((await screen.findByRole('alert')).textContent).toContain('chỉ nhận tệp PDF');
    expect(routes).toEqual([]);
  });

  it('tells the user when the directory was never synced', async () => {
    renderCompose({ 'directory.list': () => ({ agencies: [], total: 0 }) });
    await screen.findByText(/Danh bạ cơ quan chưa được đồng bộ/);
  });

  it('edits a saved draft: fills the form, lists its files, and saves metadata and new appendices', async () => {
    const document = {
      id: 7,
      direction: 'outgoing' as const,
      state: 'draft' as const,
      subject: 'Về việc cũ',
      typeName: 'Tờ trình',
      priority: 2 as const,
      secrecy: 0 as const,
      recipients: [{ organId: 'G01.05', organName: 'Bộ Nội vụ', status: null, statusAt: null }],
      createdAt: 1,
      updatedAt: 1,
    };
    const file = { id: 1, role: 'main' as const, name: 'to-trinh.pdf', position: 0, revisions: [] };
    const { calls, routes } = renderCompose(
      {
        // Its PDF came from elsewhere: no draft to reopen, the upload form opens.
        'drafting.forDocument': () => null,
        'documents.get': () => ({ document, files: [file], history: [] }),
        'documents.updateMetadata': () => ({ id: 7, duplicates: [] }),
        'documents.addFiles': () => ({ fileIds: [2] }),
      },
      '7',
    );
    await screen.findByRole('heading', { name: 'Sửa dự thảo' });
    await waitFor(() => expect((screen.getByLabelText('Trích yếu') as HTMLTextAreaElement).value).toBe('Về việc cũ'));
    expect((screen.getByLabelText('Độ khẩn') as HTMLSelectElement).value).toBe('2');
    expect(screen.getByText('Tệp chính: to-trinh.pdf')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Tệp chính (PDF)' })).toBeNull(); // the main file is saved already
    fireEvent.change(screen.getByLabelText('Trích yếu'), { target: { value: 'Về việc mới' } });
    fireEvent.change(fileInput('Phụ lục (PDF)'), { target: { files: [pdfFile('phu-luc.pdf')] } });
    await screen.findByRole('button', { name: 'Bỏ tệp phu-luc.pdf' });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu dự thảo' }));
    await waitFor(() => expect(routes).toEqual([{ page: 'document', documentId: '7' }]));
    expect(calls.map((c) => c.channel).filter((c) => c.startsWith('documents.'))).toEqual(['documents.get', 'documents.get', 'documents.updateMetadata', 'documents.addFiles']);
    expect((calls.find((c) => c.channel === 'documents.updateMetadata')!.request as { metadata: { subject: string; typeName: string } }).metadata).toMatchObject({
      subject: 'Về việc mới',
      typeName: 'Tờ trình',
      recipients: [{ organId: 'G01.05', organName: 'Bộ Nội vụ' }],
    });
  });
});
