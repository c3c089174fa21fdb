// An error's technical detail reaches the Vietnamese message only in Vietnamese; the English message (and the log) keeps it whole.
import { describe, expect, it } from 'vitest';
import { TECHNICAL_DETAIL_VI, VanthuError } from '../../../src/shared/errors.js';

describe('error details in Vietnamese messages', () => {
  it('keeps an English library detail out of messageVi and in messageEn', () => {
    const error = new VanthuError('TOKEN_MODULE_LOAD_FAILED', { path: '/usr/lib/libfoo.so', detail: 'cannot open shared object file: No such file or directory' });
    expect(error.messageVi).toBe(`Không nạp được thư viện PKCS#11 "/usr/lib/libfoo.so": ${TECHNICAL_DETAIL_VI}`);
    expect(error.messageEn).toContain('cannot open shared object file');
    expect(error.bilingual).toContain('cannot open shared object file');
  });

  it('splits a "vi / en" detail between the two messages', () => {
    const error = new VanthuError('PDF_IMAGE_INVALID', { detail: 'ảnh không có nền trong suốt / the image has no transparent background' });
    expect(error.messageVi).toBe('Ảnh chữ ký/con dấu không phải tệp PNG hợp lệ: ảnh không có nền trong suốt');
    expect(error.messageEn).toBe('The signature or seal image is not a valid PNG file: the image has no transparent background');
  });

  it('splits an "en / vi" detail too, each half to its language', () => {
    const error = new VanthuError('DRAFT_IMPORT_NOT_PDF', { name: 'a.pdf', detail: 'encrypted (password-protected) / tệp bị mã hóa (có mật khẩu)' });
    expect(error.messageVi).toBe('Tệp "a.pdf" không phải là PDF dùng được làm tệp chính: tệp bị mã hóa (có mật khẩu)');
    expect(error.messageEn).toBe('File "a.pdf" is not a PDF that can be the main file: encrypted (password-protected)');
  });

  it('takes detailVi and detailEn as given, and leaves a Vietnamese detail as it is', () => {
    const both = new VanthuError('BAD_INPUT', { detail: 'x', detailVi: 'thiếu tệp', detailEn: 'missing file' });
    expect([both.messageVi, both.messageEn]).toEqual(['Dữ liệu đầu vào không hợp lệ: thiếu tệp', 'Invalid input: missing file']);
    expect(new VanthuError('BAD_INPUT', { detail: 'thiếu số văn bản' }).messageVi).toBe('Dữ liệu đầu vào không hợp lệ: thiếu số văn bản');
  });
});
