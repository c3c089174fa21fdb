// A printable signature verification report (A4 portrait, Vietnamese): the file, its SHA-256, each signature in plain words and what to do, the time of the check.
import type { PDFPage } from '@cantoo/pdf-lib';
import type { Face } from '../drafting/faces.js';
import type { PdfValidationReport, SignatureReport } from '../../shared/validation.js';
import { signatureMeaning, verdictWord, visibleFindings } from '../../shared/validation-text.js';
import { vietnamDateTime } from '../../shared/vietnam-time.js';
import { A4_PORTRAIT, BLACK, createPrintDoc, printable, drawCentred, numberPages, savePrint, wrapText } from './print-kit.js';

const MARGIN = { left: 56, right: 50, top: 56, bottom: 50 };
const SIZE = 11;
const LINE = 14;
const LABEL_WIDTH = 150;

export interface VerificationReportOptions {
  fileName: string;
  /** When the check ran (printed in Vietnam time). */
  checkedAt: Date;
  /** Our agency, printed at the top when known. */
  agencyName?: string;
}

/** One printed item: a heading, a "label: value" line, or a little space. */
/** A hex hash in groups of eight characters. */
export const hashGroups = (hex: string): string => hex.match(/.{1,8}/g)?.join(' ') ?? hex;

type Item = { kind: 'heading'; text: string } | { kind: 'field'; label: string; value: string } | { kind: 'gap' };

const commonName = (dn: { commonName?: string | undefined; text: string } | undefined): string => (dn ? (dn.commonName ?? dn.text) : '—');

function signingTime(s: SignatureReport): string {
  if (s.timestamp?.valid && s.timestamp.time) return `${vietnamDateTime(s.timestamp.time)} (giờ Việt Nam, theo dấu thời gian${s.timestamp.tsa ? ` của ${s.timestamp.tsa}` : ''})`;
  if (s.claimedSigningTime) return `${vietnamDateTime(s.claimedSigningTime)} (giờ Việt Nam, người ký tự ghi, chưa được chứng minh)`;
  return 'Không ghi';
}

function revocationWords(s: SignatureReport): string {
  if (s.revocation.status === 'good') return 'Chưa bị thu hồi';
  if (s.revocation.status === 'revoked') return `Đã bị thu hồi${s.revocation.revokedAt ? ` lúc ${vietnamDateTime(s.revocation.revokedAt)} (giờ Việt Nam)` : ''}`;
  return 'Chưa kiểm tra được';
}

function signatureItems(s: SignatureReport): Item[] {
  const { headline, advice } = signatureMeaning(s, 'vi');
  const passed = s.indication === 'TOTAL-PASSED';
  const kind = s.kind === 'document-timestamp' ? 'Dấu thời gian văn bản' : 'Chữ ký';
  const intact = s.integrity.digestMatches && s.integrity.signatureValid;
  const issuer = s.signer ? commonName(s.signer.issuer) : '—';
  const organization = s.signer?.subject.organization;
  return [
    { kind: 'heading', text: `${kind} thứ ${s.index}` },
    { kind: 'field', label: 'Kết quả', value: `${verdictWord(s.verdict, 'vi')} — ${headline}` },
    ...(advice ? [{ kind: 'field' as const, label: passed ? 'Ý nghĩa' : 'Nên làm', value: advice }] : []),
    { kind: 'field', label: s.kind === 'document-timestamp' ? 'Đơn vị cấp dấu thời gian' : 'Người ký', value: commonName(s.signer?.subject) },
    ...(organization ? [{ kind: 'field' as const, label: 'Cơ quan, tổ chức', value: organization }] : []),
    { kind: 'field', label: 'Tổ chức cấp chứng thư số', value: issuer },
    ...(s.signer ? [{ kind: 'field' as const, label: 'Số hiệu chứng thư số', value: s.signer.serialNumber }] : []),
    { kind: 'field', label: 'Chứng thư số tin cậy', value: s.chain.trusted ? (s.chain.provisional ? 'Có (tạm thời)' : 'Có') : 'Không' },
    { kind: 'field', label: 'Thời điểm ký', value: signingTime(s) },
    { kind: 'field', label: 'Toàn vẹn', value: intact ? 'Văn bản còn nguyên như lúc ký' : 'Văn bản không còn nguyên như lúc ký' },
    { kind: 'field', label: 'Tình trạng thu hồi', value: revocationWords(s) },
    ...visibleFindings(s.findings).map((f): Item => ({ kind: 'field', label: f.severity === 'error' ? 'Lỗi' : f.severity === 'warning' ? 'Cảnh báo' : 'Ghi chú', value: f.messageVi })),
    { kind: 'gap' },
  ];
}

/** The items of the whole report, in order. */
export function reportItems(report: PdfValidationReport, options: VerificationReportOptions): Item[] {
  return [
    { kind: 'field', label: 'Tên tệp', value: options.fileName },
    { kind: 'field', label: 'Kích thước', value: `${report.file.size.toLocaleString('vi-VN')} byte` },
    // In groups of eight, as people compare hashes by eye; a line too narrow for all 64 breaks between groups, never inside one.
    { kind: 'field', label: 'Mã băm SHA-256', value: hashGroups(report.file.sha256) },
    { kind: 'field', label: 'Thời điểm kiểm tra', value: `${vietnamDateTime(options.checkedAt)} (giờ Việt Nam)` },
    { kind: 'field', label: 'Số chữ ký', value: String(report.signatures.length) },
    { kind: 'field', label: 'Kết luận', value: `${verdictWord(report.verdict, 'vi')} — ${report.summaryVi}` },
    ...report.findings.map((f): Item => ({ kind: 'field', label: 'Lưu ý', value: f.messageVi })),
    { kind: 'gap' },
    ...report.signatures.flatMap(signatureItems),
  ];
}

/** The report as a PDF. */
export async function printVerificationReport(report: PdfValidationReport, options: VerificationReportOptions): Promise<Uint8Array> {
  const print = await createPrintDoc({ title: `Báo cáo kiểm tra chữ ký số: ${options.fileName}`, ...(options.agencyName ? { author: options.agencyName } : {}), now: options.checkedAt });
  const width = A4_PORTRAIT.width - MARGIN.left - MARGIN.right;
  let page: PDFPage = print.doc.addPage([A4_PORTRAIT.width, A4_PORTRAIT.height]);
  let y = A4_PORTRAIT.height - MARGIN.top;
  const ensure = (height: number): void => {
    if (y - height >= MARGIN.bottom) return;
    page = print.doc.addPage([A4_PORTRAIT.width, A4_PORTRAIT.height]);
    y = A4_PORTRAIT.height - MARGIN.top;
  };
  const draw = (text: string, x: number, face: Face, size = SIZE): void => {
    page.drawText(text, { x, y, size, font: print.font(face), color: BLACK });
  };

  if (options.agencyName) {
    draw(printable(options.agencyName.toUpperCase(), 'bold'), MARGIN.left, 'bold', 11);
    y -= LINE * 2;
  }
  drawCentred(page, 'BÁO CÁO KIỂM TRA CHỮ KÝ SỐ', y, print.font('bold'), 15);
  y -= LINE * 2;

  for (const item of reportItems(report, options)) {
    if (item.kind === 'gap') {
      y -= LINE / 2;
    } else if (item.kind === 'heading') {
      ensure(LINE * 4);
      y -= 4;
      draw(printable(item.text, 'bold'), MARGIN.left, 'bold', 12);
      y -= LINE + 2;
    } else {
      const lines = wrapText(printable(item.value, 'regular'), print.font('regular'), SIZE, width - LABEL_WIDTH);
      ensure(LINE * Math.min(lines.length, 3));
      draw(`${item.label}:`, MARGIN.left, 'bold');
      lines.forEach((line, i) => {
        if (i > 0) ensure(LINE);
        draw(line, MARGIN.left + LABEL_WIDTH, 'regular');
        y -= LINE;
      });
    }
  }
  numberPages(print);
  return savePrint(print);
}
