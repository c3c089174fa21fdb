// Decree 30/2020 (Appendix I) signature appearances: leader image, agency seal, attachment and copy text stamps.
import { PDFDocument } from '@cantoo/pdf-lib';
import { VanthuError } from '../../shared/errors.js';
import { readPageText, type SignatureWidget } from '../pdf/index.js';
import { issuingWidgets, type IssuingDetails } from './placement-issuing.js';
import { placeLeaderImage } from './placement-leader.js';
import { pngInfo, sealSizePoints } from './placement-png.js';
import { leaderWidget, placeSeal } from './placement-seal.js';

export type Decree30Appearance = 'none' | 'leader' | 'seal' | 'attachment' | 'copy';
export type CopyType = 'SAO Y' | 'SAO LỤC' | 'TRÍCH SAO';

export interface AppearanceRequest {
  appearance: Decree30Appearance;
  /** PNG with transparency: the leader's blue signature or the agency's red seal. */
  image?: Uint8Array;
  /** Leader without an image: a text-only stamp (who signed, and when) above the printed name instead. */
  textOnly?: boolean;
  /** 1-based; default the last page for leader and seal, page 1 for the stamps. */
  page?: number;
  /**
   * [x, y, width, height] in points. Without it the leader's image goes above the printed
   * `signerName` and the seal over the left third of the leader's signature.
   */
  rect?: [number, number, number, number];
  /** Leader: the name printed under the signature (the certificate's CN), found on the page to place the image. */
  signerName?: string;
  /** Seal: the signature field to seal over; default the latest visible signature (on `page` when given). */
  over?: string;
  /** Seal: its size when the PNG does not say (pHYs). Default 36 mm. */
  sealDiameterMm?: number;
  /** Seal (the clerk's issuing signature): the number and date to write into the header, on `issuing.page` (default 1). */
  issuing?: IssuingDetails & { page?: number };
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
// Round seals of Vietnamese agencies are mostly 35–40 mm across.
const DEFAULT_SEAL_MM = 36;

const bad = (detail: string): never => {
  throw new VanthuError('BAD_INPUT', { detail });
};

// The text-only stamp's box keeps the shape of a signature image: wide and low.
const TEXT_STAMP_ASPECT = 3;

/** "Ký bởi: <name>" and the signing time, where the signature image would go (above the printed name, or in the given box). */
async function leaderTextStamp(pdf: Uint8Array, doc: PDFDocument, page: number, request: AppearanceRequest): Promise<SignatureWidget> {
  const name = request.signerName ?? bad('the text-only stamp needs the signer name / cần tên người ký');
  const lines = [`Ký bởi: ${name}`, `Thời gian ký: ${vietnamTime(request.signingTime)}`];
  const rect = request.rect ?? placeLeaderImage(await readPageText(pdf, page), name, TEXT_STAMP_ASPECT, doc.getPage(page - 1).getSize().height);
  return { page, rect, text: { lines, fontSize: Math.min(STAMP_FONT_SIZE, Math.max(6, rect[3] / (lines.length * 1.3 + 0.5))) } };
}

/** The widget for a Decree 30 appearance, or undefined for an invisible signature. */
export async function decree30Widget(pdf: Uint8Array, request: AppearanceRequest): Promise<SignatureWidget | undefined> {
  if (request.appearance === 'none') return undefined;
  const doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
  const pageCount = doc.getPageCount();
  const isStamp = request.appearance === 'attachment' || request.appearance === 'copy';
  const page = request.page ?? (isStamp ? 1 : pageCount);
  if (!Number.isInteger(page) || page < 1 || page > pageCount) bad(`page ${page} (the document has ${pageCount}) / trang ${page} không có`);

  if (request.issuing && request.appearance !== 'seal') bad('the number and date are written by the seal signature (--appearance seal) / số và ngày do chữ ký cơ quan ghi');
  if (request.appearance === 'leader' && request.textOnly && !request.image) return leaderTextStamp(pdf, doc, page, request);
  if (request.appearance === 'leader') {
    const image = request.image ?? bad('the leader appearance needs a PNG image (--image) / cần ảnh chữ ký PNG');
    if (request.rect) return { page, rect: request.rect, image };
    const name = request.signerName ?? bad('the leader appearance needs --rect or the signer name / cần vị trí hoặc tên người ký');
    const { width, height } = pngInfo(image);
    const rect = placeLeaderImage(await readPageText(pdf, page), name, width / height, doc.getPage(page - 1).getSize().height);
    return { page, rect, image };
  }
  if (request.appearance === 'seal') {
    const image = request.image ?? bad('the seal appearance needs a PNG image (--image) / cần ảnh con dấu PNG');
    const leader = request.rect ? undefined : leaderWidget(doc, request.over, request.page);
    const widget: SignatureWidget = leader
      ? { page: leader.page, rect: placeSeal(leader.rect, sealSizePoints(image, request.sealDiameterMm ?? DEFAULT_SEAL_MM)), image }
      : { page, rect: request.rect!, image };
    const issuing = request.issuing;
    if (issuing && (issuing.number !== undefined || issuing.date !== undefined)) {
      widget.extraWidgets = issuingWidgets(await readPageText(pdf, issuing.page ?? 1), issuing);
    }
    return widget;
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
