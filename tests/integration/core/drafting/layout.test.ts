// Rendered drafts read back: every field in order with its diacritics (pdftotext), Appendix I positions and sizes (pdf.js), faces, subsets, same bytes.
import { describe, expect, it } from 'vitest';
import { geometry, recipientLines, renderDraft, signerTitleLines } from '../../../../src/core/drafting/index.js';
import { findInText, readPageText, type PageText, type TextMatch } from '../../../../src/core/pdf/text-locate.js';
import { draftSchema, draftTypes, type DraftInput } from '../../../../src/shared/draft.js';
import { samples, PARAGRAPH } from '../../../fixtures/drafting/samples.js';
import { pdffonts, pdftotext, runsWithFonts, tempPdf } from './kit.js';

const { HEADER_LEFT, HEADER_RIGHT, SIGNER_COLUMN, TEXT_LEFT, TEXT_RIGHT, TEXT_TOP, TEXT_BOTTOM, SIGNATURE_SPACE, FIRST_LINE_INDENT, mm, PAGE } = geometry;
const centre = (m: TextMatch): number => m.box.x + m.box.width / 2;
const colCentre = (c: { x: number; width: number }): number => c.x + c.width / 2;

function one(text: PageText, pattern: string | RegExp): TextMatch {
  const found = findInText(text, pattern);
  expect(found.length, `"${String(pattern)}" on page ${text.page}`).toBeGreaterThan(0);
  return found[0]!;
}

const flat = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The fields of a draft in the order a reader meets them, to the end of the body; then the two closing columns, each in order. */
function fieldsInOrder(input: DraftInput, typeName: string | null): { main: string[]; closing: string[][] } {
  const draft = draftSchema.parse(input);
  const body = draft.body.flatMap((b) =>
    b.kind === 'table'
      ? [...(b.header ?? []), ...b.rows.flat()].map((c) => (typeof c === 'string' ? c : c.map((r) => r.text).join('')))
      : b.kind === 'list'
        ? b.items.map((c) => (typeof c === 'string' ? c : c.map((r) => r.text).join('')))
        : [typeof b.text === 'string' ? b.text : b.text.map((r) => r.text).join('')],
  );
  const main = [
    ...(draft.parentOrganName ? [draft.parentOrganName.toLocaleUpperCase('vi')] : []),
    draft.organName.toLocaleUpperCase('vi').split(' ').slice(0, 3).join(' '),
    'Số:',
    `/${draft.codeNotation}`,
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'Độc lập - Tự do - Hạnh phúc',
    `${draft.issuedPlace}, ngày`,
    'tháng',
    `năm ${draft.issueYear}`,
    ...(typeName ? [typeName, draft.subject] : [`V/v ${draft.subject}`]),
    ...(draft.addressees.length > 0 ? ['Kính gửi:', ...draft.addressees] : []),
    ...body,
  ];
  const closing = [['Nơi nhận:', ...recipientLines(draft.recipientsList)], [...signerTitleLines(draft.signer), draft.signer.fullName]];
  return { main, closing };
}

const TYPE_NAMES: Record<string, string | null> = {
  'cong-van': null,
  'quyet-dinh': 'QUYẾT ĐỊNH',
  'to-trinh': 'TỜ TRÌNH',
  'bao-cao': 'BÁO CÁO',
  'thong-bao': 'THÔNG BÁO',
  'ke-hoach': 'KẾ HOẠCH',
  'giay-moi': 'GIẤY MỜI',
};

describe('text of rendered drafts', () => {
  for (const type of draftTypes) {
    it(`${type}: pdftotext finds every field, in order, with its diacritics`, async () => {
      const text = flat(pdftotext(tempPdf(await renderDraft(samples[type]))));
      const inOrder = (fields: string[], start: number): number => {
        let from = start;
        for (const field of fields) {
          const at = text.indexOf(flat(field.normalize('NFC')), from);
          expect(at, `"${field}" after position ${from} in:\n${text}`).toBeGreaterThanOrEqual(from);
          from = at + field.length;
        }
        return from;
      };
      const { main, closing } = fieldsInOrder(samples[type], TYPE_NAMES[type]!);
      const bodyEnd = inOrder(main, 0);
      // The two closing columns share lines, so each is in order after the body, not one after the other.
      for (const column of closing) inOrder(column, bodyEnd);
      // Precomposed (NFC) Vietnamese comes back as written, not as base letters and marks.
      expect(text).toBe(text.normalize('NFC'));
    });
  }

  it('keeps urgency and secrecy marks under the number, secrecy first', async () => {
    const pdf = await renderDraft(samples['ke-hoach']);
    const page = await readPageText(pdf, 1);
    const number = one(page, 'Số:');
    const secrecy = one(page, 'TỐI MẬT');
    const urgency = one(page, 'HỎA TỐC');
    expect(secrecy.baseline).toBeLessThan(number.baseline);
    expect(urgency.baseline).toBeLessThan(secrecy.baseline);
    expect(Math.abs(centre(urgency) - colCentre(HEADER_LEFT))).toBeLessThan(1);
    expect([secrecy.fontSize, urgency.fontSize]).toEqual([13, 13]);
  });
});

describe('Appendix I positions', () => {
  it('header: agency top left, national name and motto top right, number and date on one row (công văn)', async () => {
    const pdf = await renderDraft(samples['cong-van']);
    const page = await readPageText(pdf, 1);
    const agency = one(page, 'ỦY BAN NHÂN DÂN');
    const national = one(page, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    const motto = one(page, 'Độc lập - Tự do - Hạnh phúc');
    const number = one(page, /Số:\s+\/UBND-VP/u);
    const date = one(page, /Cao Bằng, ngày\s+tháng\s+năm 2026/u);
    const vv = one(page, 'V/v triển khai ký số văn bản điện tử');

    // The first line sits at the top margin (20 mm): its ink starts just under it.
    expect(national.box.y + national.box.height).toBeLessThanOrEqual(TEXT_TOP + 0.5);
    expect(national.box.y + national.box.height).toBeGreaterThan(TEXT_TOP - 6);
    expect(agency.baseline).toBeCloseTo(national.baseline, 1);
    expect(Math.abs(centre(agency) - colCentre(HEADER_LEFT))).toBeLessThan(1);
    expect(Math.abs(centre(national) - colCentre(HEADER_RIGHT))).toBeLessThan(1);
    expect(Math.abs(centre(motto) - colCentre(HEADER_RIGHT))).toBeLessThan(1);
    expect(agency.box.x).toBeGreaterThanOrEqual(TEXT_LEFT - 0.5);
    expect(national.box.x + national.box.width).toBeLessThanOrEqual(TEXT_RIGHT + 0.5);
    // Sizes: agency 12–13, national name 12–13, motto 13–14, "Số:" 13, date 13–14, V/v 12–13.
    expect(agency.fontSize).toBe(13);
    expect(national.fontSize).toBe(12);
    expect(motto.fontSize).toBe(13);
    expect(number.fontSize).toBe(13);
    expect(date.fontSize).toBe(14);
    expect(vv.fontSize).toBe(12);
    expect(number.baseline).toBeCloseTo(date.baseline, 1);
    expect(number.baseline).toBeLessThan(motto.baseline - 13);
    expect(Math.abs(centre(number) - colCentre(HEADER_LEFT))).toBeLessThan(1);
    expect(Math.abs(centre(date) - colCentre(HEADER_RIGHT))).toBeLessThan(1);
    // V/v: centred under the number, at least 6 pt below it.
    expect(number.box.y - (vv.box.y + vv.box.height)).toBeGreaterThanOrEqual(2);
    expect(Math.abs(centre(vv) - colCentre(HEADER_LEFT))).toBeLessThan(1);
  });

  it('faces: agency, national name, motto bold; date italic; "Nơi nhận:" bold italic; signer bold; body regular with its bold and italic runs', async () => {
    const runs = await runsWithFonts(await renderDraft(samples['cong-van']), 1);
    const fontOf = (text: string): string => runs.find((r) => r.text.includes(text))?.font ?? `(no run with "${text}")`;
    expect(fontOf('ỦY BAN NHÂN DÂN')).toMatch(/^[A-Z]{6}\+LiberationSerif-Bold$/);
    expect(fontOf('CỘNG HÒA')).toMatch(/-Bold$/);
    expect(fontOf('Độc lập')).toMatch(/-Bold$/);
    expect(fontOf('Cao Bằng, ngày')).toMatch(/-Italic$/);
    expect(fontOf('Số:')).toMatch(/\+LiberationSerif$/);
    expect(fontOf('Nơi nhận:')).toMatch(/-BoldItalic$/);
    expect(fontOf('TM. ỦY BAN')).toMatch(/-Bold$/);
    expect(fontOf('Nguyễn Thị Hồng Nhung')).toMatch(/-Bold$/);
    expect(fontOf('Yêu cầu:')).toMatch(/-Bold$/);
    expect(fontOf('trước khi')).toMatch(/-Italic$/);
    expect(fontOf('Thực hiện Nghị định')).toMatch(/\+LiberationSerif$/);
    expect(runs.find((r) => r.text.includes('- Như trên;'))?.size).toBe(11);
    expect(runs.find((r) => r.text.includes('Nơi nhận:'))?.size).toBe(12);
  });

  it('body: first-line indent of 1 cm, justified between the 30 mm and 15 mm margins, 14 pt', async () => {
    const page = await readPageText(await renderDraft(samples['cong-van']), 1);
    const first = one(page, 'Thực hiện Nghị định');
    expect(first.box.x).toBeCloseTo(TEXT_LEFT + FIRST_LINE_INDENT, 0);
    expect(first.fontSize).toBe(14);
    const second = page.lines[one(page, 'Chính phủ về công tác').line]!;
    expect(second.units[0]!.x0).toBeCloseTo(mm(30), 0);
    // A justified line reaches the right margin; the paragraph's last line does not.
    expect(second.units.at(-1)!.x1).toBeGreaterThan(TEXT_RIGHT - 1.5);
    expect(second.units.at(-1)!.x1).toBeLessThan(TEXT_RIGHT + 0.5);
    const last = page.lines[one(page, 'Đề nghị các cơ quan').line]!;
    expect(last.units.at(-1)!.x1).toBeLessThan(TEXT_RIGHT - 50);
    for (const line of page.lines) {
      for (const u of line.units) {
        expect(u.x0).toBeGreaterThanOrEqual(TEXT_LEFT - 0.5);
        expect(u.x1).toBeLessThanOrEqual(TEXT_RIGHT + 0.5);
      }
      expect(line.baseline).toBeGreaterThan(TEXT_BOTTOM);
    }
  });

  it('title of the other types: type name and trích yếu centred on the text width, 14 pt, below the header', async () => {
    for (const type of ['quyet-dinh', 'to-trinh', 'giay-moi'] as const) {
      const page = await readPageText(await renderDraft(samples[type]), 1);
      const name = one(page, TYPE_NAMES[type]!);
      const date = one(page, /ngày\s+tháng/u);
      expect(name.fontSize).toBe(14);
      expect(name.baseline).toBeLessThan(date.baseline - 20);
      expect(Math.abs(centre(name) - (TEXT_LEFT + TEXT_RIGHT) / 2)).toBeLessThan(1);
      const subject = one(page, samples[type].subject.split(' ').slice(0, 3).join(' '));
      expect(subject.fontSize).toBe(14);
      expect(subject.baseline).toBeLessThan(name.baseline);
    }
  });

  it('signer block: prefix and position centred on the right, room for signature and seal, name under them; "Nơi nhận:" level with the prefix at the left margin', async () => {
    for (const type of ['cong-van', 'quyet-dinh', 'thong-bao'] as const) {
      const draft = draftSchema.parse(samples[type]);
      const page = await readPageText(await renderDraft(draft), 1);
      const [prefix, position] = signerTitleLines(draft.signer).map((t) => one(page, t));
      const name = one(page, draft.signer.fullName);
      const recipients = one(page, 'Nơi nhận:');
      for (const m of [prefix!, position!, name]) {
        expect(Math.abs(centre(m) - colCentre(SIGNER_COLUMN))).toBeLessThan(1);
        expect(m.fontSize).toBe(14);
      }
      expect(position!.baseline - name.baseline).toBeGreaterThanOrEqual(SIGNATURE_SPACE);
      expect(position!.baseline - name.baseline).toBeLessThan(SIGNATURE_SPACE + 30);
      expect(recipients.baseline).toBeCloseTo(prefix!.baseline, 1);
      expect(recipients.box.x).toBeCloseTo(TEXT_LEFT, 0);
      expect(recipients.fontSize).toBe(12);
    }
  });
});

describe('PDF file', () => {
  it('embeds the four Liberation Serif faces as subsets with Unicode maps, and nothing else', async () => {
    const fonts = pdffonts(tempPdf(await renderDraft(samples['cong-van'])));
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['LiberationSerif', 'LiberationSerif-Bold', 'LiberationSerif-BoldItalic', 'LiberationSerif-Italic']);
    for (const f of fonts) {
      expect(f).toMatchObject({ embedded: true, subset: true, unicode: true });
      expect(f.name).toMatch(/^[A-Z]{6}\+/);
    }
  });

  it('is deterministic: the same draft gives the same bytes; another pdfDate changes only the dates', async () => {
    const a = await renderDraft(samples['quyet-dinh']);
    const b = await renderDraft(structuredClone(samples['quyet-dinh']));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = await renderDraft({ ...samples['quyet-dinh'], pdfDate: '2026-04-01T08:00:00+07:00' });
    const dates = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1').replace(/D:\d{14}[^)]*/g, 'D:');
    expect(Buffer.from(c).equals(Buffer.from(a))).toBe(false);
    expect(dates(c)).toBe(dates(a));
    expect(Buffer.from(a).toString('latin1')).toMatch(/\/CreationDate \(D:20260305031530Z\)/);
    const id = (bytes: Uint8Array): string | undefined => /\/ID \[ <([0-9A-F]+)>/i.exec(Buffer.from(bytes).toString('latin1'))?.[1];
    expect(id(a)).toBeDefined();
    expect(id(c)).toBe(id(a));
    // Without a pdfDate the render time is used: only the dates move.
    const d = await renderDraft({ ...samples['quyet-dinh'], pdfDate: undefined }, { now: new Date('2027-01-02T03:04:05Z') });
    expect(dates(d)).toBe(dates(a));
  });

  it('renders NFD input (as some editors save it) the same as NFC', async () => {
    const nfd = { ...samples['to-trinh'], subject: samples['to-trinh'].subject.normalize('NFD'), body: [{ kind: 'paragraph' as const, text: PARAGRAPH.normalize('NFD') }] };
    const nfc = { ...samples['to-trinh'], body: [{ kind: 'paragraph' as const, text: PARAGRAPH }] };
    expect(flat(pdftotext(tempPdf(await renderDraft(nfd))))).toBe(flat(pdftotext(tempPdf(await renderDraft(nfc)))));
  });

  it('is A4', async () => {
    const text = Buffer.from(await renderDraft(samples['giay-moi'])).toString('latin1');
    const box = /\/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(text);
    expect(Number(box?.[1])).toBeCloseTo(PAGE.width, 1);
    expect(Number(box?.[2])).toBeCloseTo(PAGE.height, 1);
  });
});
