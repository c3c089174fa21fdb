// Templates and text forms: type names, "V/v", blanks for number and date, signer titles, "Nơi nhận" punctuation, draft schema rules.
import { describe, expect, it } from 'vitest';
import { numberText, parseDraft, placeDateText, recipientLines, signerTitleLines, typeNameOf, vvSubject } from '../../../../src/core/drafting/index.js';
import { draftTypes } from '../../../../src/shared/draft.js';
import { isVanthuError } from '../../../../src/shared/errors.js';
import { samples } from '../../../fixtures/drafting/samples.js';

describe('templates', () => {
  it('gives công văn no type name and every other type its centred name', () => {
    expect(draftTypes.map((type) => typeNameOf(parseDraft(samples[type])))).toEqual([null, 'QUYẾT ĐỊNH', 'TỜ TRÌNH', 'BÁO CÁO', 'THÔNG BÁO', 'KẾ HOẠCH', 'GIẤY MỜI']);
    expect(typeNameOf(parseDraft({ ...samples['quyet-dinh'], typeName: 'Chỉ thị' }))).toBe('CHỈ THỊ');
    expect(typeNameOf(parseDraft({ ...samples['cong-van'], typeName: 'Chỉ thị' }))).toBeNull();
  });

  it('writes "V/v" once before a công văn trích yếu', () => {
    expect(vvSubject('triển khai ký số')).toBe('V/v triển khai ký số');
    expect(vvSubject('V/v triển khai ký số')).toBe('V/v triển khai ký số');
    expect(vvSubject('Về việc triển khai ký số')).toBe('V/v triển khai ký số');
  });

  it('leaves the number and date blank in a draft, and fills them the Decree 30 way once issued', () => {
    const draft = parseDraft(samples['cong-van']);
    expect(numberText(draft)).toMatch(/^Số: {9}\/UBND-VP$/);
    expect(placeDateText(draft)).toMatch(/^Cao Bằng, ngày {7}tháng {7}năm 2026$/);
    expect(placeDateText({ ...draft, issueYear: undefined })).toMatch(/^Cao Bằng, ngày {7}tháng {7}năm {11}$/);
    const issued = { ...draft, codeNumber: '5', issuedDate: '2026-01-05' };
    expect(numberText(issued)).toBe('Số: 05/UBND-VP');
    expect(placeDateText(issued)).toBe('Cao Bằng, ngày 05 tháng 01 năm 2026');
    expect(placeDateText({ ...issued, issuedDate: '2026-11-20' })).toBe('Cao Bằng, ngày 20 tháng 11 năm 2026');
  });

  it('prints the authority prefix and position in capitals', () => {
    const base = { position: 'Phó Chủ tịch', fullName: 'Trần Văn Bình' };
    expect(signerTitleLines({ ...base, authority: 'KT.', onBehalfOf: 'Chủ tịch' })).toEqual(['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    expect(signerTitleLines({ ...base, authority: 'TM.', onBehalfOf: 'Ủy ban nhân dân', position: 'Chủ tịch' })).toEqual(['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH']);
    expect(signerTitleLines({ ...base, authority: 'Q.', position: 'Chánh Văn phòng' })).toEqual(['Q. CHÁNH VĂN PHÒNG']);
    expect(signerTitleLines({ ...base, authority: 'TUQ.', onBehalfOf: 'Chủ tịch', position: 'Giám đốc Sở Nội vụ' })).toEqual(['TUQ. CHỦ TỊCH', 'GIÁM ĐỐC SỞ NỘI VỤ']);
    expect(signerTitleLines({ ...base, position: 'Giám đốc' })).toEqual(['GIÁM ĐỐC']);
  });

  it('punctuates "Nơi nhận": a dash before each, ";" after each, "." after the last', () => {
    expect(recipientLines(['Như trên', 'Bộ Nội vụ;', 'Lưu: VT, VP.'])).toEqual(['- Như trên;', '- Bộ Nội vụ;', '- Lưu: VT, VP.']);
  });

  it('refuses drafts the layout cannot honour', () => {
    const bad = (patch: Record<string, unknown>): boolean => {
      try {
        parseDraft({ ...samples['cong-van'], ...patch });
        return false;
      } catch (error) {
        return isVanthuError(error, 'BAD_INPUT');
      }
    };
    expect(bad({ type: 'chi-thi' })).toBe(true);
    expect(bad({ signer: { authority: 'TM.', position: 'Chủ tịch', fullName: 'A' } })).toBe(true);
    expect(bad({ body: [{ kind: 'table', columns: [1, 2], rows: [['a']] }] })).toBe(true);
    expect(bad({ issuedDate: '05/01/2026' })).toBe(true);
    expect(bad({ subject: 'x'.repeat(501) })).toBe(true);
    expect(bad({ priority: 5 })).toBe(true);
    expect(bad({})).toBe(false);
  });
});
