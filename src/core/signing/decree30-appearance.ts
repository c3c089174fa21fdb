// Decree 30/2020 (Appendix I) signature appearances: leader image, agency seal, attachment and copy text stamps.
import { PDFDocument } from '@cantoo/pdf-lib';
import { VanthuError } from '../../shared/errors.js';
import type { SignatureWidget } from '../pdf/index.js';

export type Decree30Appearance = 'none' | 'leader' | 'seal' | 'attachment' | 'copy';
export type CopyType = 'SAO Y' | 'SAO LỤC' | 'TRÍCH SAO';

export interface AppearanceRequest {
  appearance: Decree30Appearance;
  /** PNG with transparency: the leader's blue signature or the agency's red seal. */
  image?: Uint8Array;
  /** 1-based; default the last page for leader and seal, page 1 for the stamps. */
  page?: number;
  /** [x, y, width, height] in points; required for leader and seal until automatic placement lands. */
  rect?: [number, number, number, number];
  signingTime: Date;
  /** Attachment stamp: "số và ký hiệu" of the main document, e.g. "05/UBND-VP". */
  documentNotation?: string;
  /** Copy stamp: the copy type and the copying agency. */
  copyType?: CopyType;
  copyingAgency?: string;
}

/** Decree 30 writes times in ISO 8601 with the Vietnam offset, e.g. 2026-03-05T10:15:30+07:00. */
export function vietnamTime(date: Date): string {
  const shifted = new Date(date.getTime() + 7 * 3600_000);
  return `${shifted.toISOString().slice(0, 19)}+07:00`;
}

const STAMP_FONT_SIZE = 10;
const STAMP_WIDTH = 200;
const STAMP_MARGIN = 20;

const bad = (detail: string): never => {
  throw new VanthuError('BAD_INPUT', { detail });
};

/** The widget for a Decree 30 appearance, or undefined for an invisible signature. */
export async function decree30Widget(pdf: Uint8Array, request: AppearanceRequest): Promise<SignatureWidget | undefined> {
  if (request.appearance === 'none') return undefined;
  const doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
  const pageCount = doc.getPageCount();
  const isStamp = request.appearance === 'attachment' || request.appearance === 'copy';
  const page = request.page ?? (isStamp ? 1 : pageCount);
  if (!Number.isInteger(page) || page < 1 || page > pageCount) bad(`page ${page} (the document has ${pageCount}) / trang ${page} không có`);

  if (!isStamp) {
    if (!request.image) bad(`the ${request.appearance} appearance needs a PNG image (--image) / cần ảnh PNG`);
    if (!request.rect) bad(`the ${request.appearance} appearance needs a position (--rect x,y,w,h) / cần vị trí chữ ký`);
    return { page, rect: request.rect!, image: request.image };
  }

  const lines =
    request.appearance === 'attachment'
      ? [request.documentNotation ?? bad('the attachment stamp needs the main document number (--notation) / cần số và ký hiệu văn bản'), vietnamTime(request.signingTime)]
      : [request.copyType ?? 'SAO Y', request.copyingAgency ?? bad('the copy stamp needs the copying agency / cần tên cơ quan sao'), vietnamTime(request.signingTime)];
  const { width, height } = doc.getPage(page - 1).getSize();
  const stampHeight = lines.length * STAMP_FONT_SIZE * 1.3 + 4;
  const rect: [number, number, number, number] = request.rect ?? [width - STAMP_MARGIN - STAMP_WIDTH, height - STAMP_MARGIN - stampHeight, STAMP_WIDTH, stampHeight];
  return { page, rect, text: { lines, fontSize: STAMP_FONT_SIZE } };
}
