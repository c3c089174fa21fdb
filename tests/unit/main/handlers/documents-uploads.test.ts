// Compose uploads and directory folding, unit by unit: PDF header, size and main-file rules; Vietnamese folded for search.
import { describe, expect, it } from 'vitest';
import { foldText } from '../../../../src/main/handlers/documents/directory.js';
import { checkMainFile, decodeUploads } from '../../../../src/main/handlers/documents/uploads.js';
import { isVanthuError } from '../../../../src/shared/errors.js';
import { MAX_FILE_BYTES } from '../../../../src/shared/ipc/documents.js';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const code = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (isVanthuError(error)) return error.code;
    throw error;
  }
  return 'accepted';
};

describe('compose uploads', () => {
  it('accepts a PDF whose header starts within the first 1024 bytes, and refuses anything else', () => {
    expect(decodeUploads([{ name: 'a.pdf', role: 'main', contentBase64: b64('%PDF-1.7\n%%EOF') }])[0]!.bytes.toString()).toBe('%PDF-1.7\n%%EOF');
    expect(code(() => decodeUploads([{ name: 'b.pdf', role: 'main', contentBase64: b64(`${' '.repeat(1000)}%PDF-1.4`) }]))).toBe('accepted');
    expect(code(() => decodeUploads([{ name: 'c.pdf', role: 'main', contentBase64: b64(`${' '.repeat(1020)}%PDF-1.4`) }]))).toBe('DOCUMENT_FILE_NOT_PDF');
    expect(code(() => decodeUploads([{ name: 'd.docx', role: 'appendix', contentBase64: b64('PK\x03\x04') }]))).toBe('DOCUMENT_FILE_NOT_PDF');
    expect(code(() => decodeUploads([{ name: 'e.pdf', role: 'main', contentBase64: '' }]))).toBe('DOCUMENT_FILE_EMPTY');
  });

  it('refuses a file one byte over the cap (the schema lets base64 padding through)', () => {
    const over = Buffer.alloc(MAX_FILE_BYTES + 1, 32);
    over.write('%PDF-1.7');
    expect(code(() => decodeUploads([{ name: 'big.pdf', role: 'main', contentBase64: over.toString('base64') }]))).toBe('DOCUMENT_FILE_TOO_LARGE');
  });

  it('wants exactly one main file, counting the one already stored', () => {
    const main = { name: 'm.pdf', role: 'main' as const, bytes: Buffer.from('%PDF-') };
    const appendix = { ...main, role: 'appendix' as const };
    expect(code(() => checkMainFile([main, appendix], 0))).toBe('accepted');
    expect(code(() => checkMainFile([appendix], 0))).toBe('DOCUMENT_MAIN_FILE_COUNT');
    expect(code(() => checkMainFile([main, main], 0))).toBe('DOCUMENT_MAIN_FILE_COUNT');
    expect(code(() => checkMainFile([main], 1))).toBe('DOCUMENT_MAIN_FILE_COUNT');
  });
});

describe('directory folding', () => {
  it('drops Vietnamese diacritics (đ too), case and extra spaces', () => {
    expect(foldText('  Ủy ban nhân dân   thành phố Đà Nẵng ')).toBe('uy ban nhan dan thanh pho da nang');
    expect(foldText('Sở Tài chính tỉnh Cao Bằng')).toBe('so tai chinh tinh cao bang');
    // Decomposed input (as some keyboards send it) folds the same.
    expect(foldText('Bộ Nội vụ'.normalize('NFD'))).toBe(foldText('Bộ Nội vụ'));
  });
});
