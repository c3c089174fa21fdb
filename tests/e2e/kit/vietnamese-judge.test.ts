// The walk's judge can fail: English words, ISO/UTC/AM-PM times, unpadded dates and native inputs are refused; our messages and data pass.
import { describe, expect, it } from 'vitest';
import { vietnameseJudge } from './vietnamese-walk.js';

const judge = vietnameseJudge(['Về việc tổ chức hội nghị chuyển đổi số', 'UBND tỉnh Cao Bằng', 'Test CA Chuyên dùng Chính phủ', 'cong-van.pdf']);

describe('the English-string judge', () => {
  it('passes messages from the Vietnamese tables, with their placeholders filled by data or numbers', () => {
    for (const text of ['Văn bản đến', 'Đơn vị: UBND tỉnh Cao Bằng (000.00.01.H14)', 'Có 3 văn bản mới đến.', 'Tệp: cong-van.pdf (12 KB)', 'Tiếng Việt', 'English', '07/12/2026 08:05:40', '—'])
      expect(judge.allowed(text), text).toBe(true);
  });

  it('passes seeded data and its combinations with punctuation', () => {
    expect(judge.allowed('Về việc tổ chức hội nghị chuyển đổi số')).toBe(true);
    expect(judge.allowed('UBND tỉnh Cao Bằng — Test CA Chuyên dùng Chính phủ')).toBe(true);
    // A certificate's serial tail is data, whatever hex letters the run's PKI gave it; English beside it is still refused.
    expect(judge.allowed('UBND tỉnh Cao Bằng — Test CA Chuyên dùng Chính phủ — …ABE8C4')).toBe(true);
    expect(judge.allowed('EEAEC7')).toBe(true);
    expect(judge.allowed('Signed by …ABE8C4')).toBe(false);
  });

  it('refuses English, even inside a Vietnamese template', () => {
    for (const text of ['Connected', 'Choose File', 'No file chosen', 'Đơn vị: Connected agency (1)', 'Không truy cập được: fetch failed', 'Loading…'])
      expect(judge.allowed(text), text).toBe(false);
  });

  it('refuses dates and times not written the Vietnamese way', () => {
    for (const text of ['2026-12-07', 'Số 2 ngày 2026-12-07', '2026-12-07T01:05:40Z', '7/12/2026', '12/7/2026, 8:05:40 PM', '08:05 UTC'])
      expect(judge.allowed(text), text).toBe(false);
  });
});
