// Each PDF operation of the protocol as a Decree 30 appearance, signed by the same engine as the app and the CLI.
import { PDFDocument } from '@cantoo/pdf-lib';
import { isVanthuError } from '../../shared/errors.js';
import type { SignatureWidget } from '../pdf/index.js';
import { decree30Widget, signPdf, vietnamTime, type AppearanceRequest, type PdfSigningKey, type SigningLevel } from '../signing/index.js';
import type { TrustStore } from '../trust/index.js';
import { metaValue, ServiceFailure, STATUS, type PdfSigningOperation, type ServiceRequest } from './protocol.js';

/** The unlocked token key and what the stamps need, as the app or `serve-local` provides it. */
export interface SigningIdentity {
  key: PdfSigningKey;
  /** The certificate's CN: printed under the leader's signature, found on the page to place it. */
  signerName?: string;
  /** The certificate's organisation: the copying agency of a copy stamp. */
  organization?: string;
  /** The leader's signature PNG (SignApproved, SignFile). */
  signatureImage?: Uint8Array;
  /** The agency's seal PNG (SignIssued); the signature image when not given. */
  sealImage?: Uint8Array;
  level: SigningLevel;
  tsaUrl?: string;
  trust?: TrustStore;
}

export interface PlannedSignature {
  widget?: SignatureWidget;
  reason: string;
  /** Where the stamp goes, for the confirmation the user sees. */
  position: string;
  documentNumber?: string;
  documentDate?: string;
}

const STAMP_FONT = 10;
const MARGIN = 20;

const bad = (messageVi: string, messageEn: string): never => {
  throw new ServiceFailure(STATUS.BAD_REQUEST, 'BAD_REQUEST', messageVi, messageEn);
};

const ddMMyyyy = (date: Date): string => {
  const vn = new Date(date.getTime() + 7 * 3600_000);
  return `${String(vn.getUTCDate()).padStart(2, '0')}/${String(vn.getUTCMonth() + 1).padStart(2, '0')}/${vn.getUTCFullYear()}`;
};

/** A text stamp on `page` at the top left (incoming mark) or bottom left (comment) of the page. */
async function textStamp(pdf: Uint8Array, lines: string[], where: 'top-left' | 'bottom-left-last'): Promise<SignatureWidget> {
  const doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
  const page = where === 'top-left' ? 1 : doc.getPageCount();
  const { height } = doc.getPage(page - 1).getSize();
  const width = Math.max(160, ...lines.map((l) => l.length * STAMP_FONT * 0.5 + 8));
  const stampHeight = lines.length * STAMP_FONT * 1.3 + 4;
  const y = where === 'top-left' ? height - MARGIN - stampHeight : MARGIN;
  return { page, rect: [MARGIN, y, width, stampHeight], text: { lines, fontSize: STAMP_FONT } };
}

const describe = (widget: SignatureWidget | undefined): string =>
  widget ? `trang ${widget.page}, x=${Math.round(widget.rect[0])}, y=${Math.round(widget.rect[1])}, rộng ${Math.round(widget.rect[2])}, cao ${Math.round(widget.rect[3])} (điểm)` : 'chữ ký không hiển thị';

async function appearance(pdf: Uint8Array, request: AppearanceRequest): Promise<SignatureWidget | undefined> {
  try {
    return await decree30Widget(pdf, request);
  } catch (error) {
    if (isVanthuError(error)) throw new ServiceFailure(STATUS.SIGNING_FAILED, error.code, error.messageVi, error.messageEn);
    throw error;
  }
}

/** Leader image above the signer's printed name; when the name is not on the last page, at its bottom right. */
async function leaderAppearance(pdf: Uint8Array, identity: SigningIdentity, signingTime: Date): Promise<SignatureWidget | undefined> {
  if (!identity.signatureImage) return undefined;
  const request: AppearanceRequest = { appearance: 'leader', image: identity.signatureImage, signerName: identity.signerName, signingTime };
  try {
    return await decree30Widget(pdf, request);
  } catch (error) {
    if (!isVanthuError(error) || !['APPEARANCE_SIGNER_NAME_NOT_FOUND', 'APPEARANCE_NO_ROOM', 'BAD_INPUT'].includes(error.code)) throw error;
    const doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
    const page = doc.getPageCount();
    const { width } = doc.getPage(page - 1).getSize();
    return appearance(pdf, { ...request, page, rect: [width - MARGIN - 170, 90, 150, 75] });
  }
}

/** The widget, reason and numbers of one PDF operation; nothing is signed yet (the user confirms first). */
export async function planSignature(operation: PdfSigningOperation, pdf: Uint8Array, request: ServiceRequest, identity: SigningIdentity, signingTime: Date): Promise<PlannedSignature> {
  const signingTimeIso = vietnamTime(signingTime);
  switch (operation) {
    case 'SignApproved': {
      const widget = await leaderAppearance(pdf, identity, signingTime);
      return { widget, reason: 'Ký duyệt văn bản', position: describe(widget), documentDate: signingTimeIso };
    }
    case 'SignIssued': {
      const number = request.DocNumber?.trim() || bad('Ký phát hành cần số văn bản (DocNumber).', 'SignIssued needs DocNumber.');
      const issuedText = request.IssuedDate?.trim();
      const issued = issuedText ? new Date(issuedText) : signingTime;
      if (Number.isNaN(issued.getTime())) bad(`Ngày ban hành "${issuedText}" không hợp lệ.`, `IssuedDate "${issuedText}" is not a date.`);
      const image = identity.sealImage ?? identity.signatureImage ?? bad('Chưa có ảnh con dấu để đóng dấu phát hành.', 'No seal image is set.');
      // The seal goes over the leader's visible signature (Decree 30); the engine refuses a document no one signed visibly.
      const widget = await appearance(pdf, { appearance: 'seal', image, signingTime, issuing: { number, date: issued } });
      return { widget, reason: `Phát hành văn bản số ${number}`, position: describe(widget), documentNumber: number, documentDate: vietnamTime(issued) };
    }
    case 'SignIncome': {
      const lines = ['ĐẾN', ...(request.DocNumber ? [`Số: ${request.DocNumber}`] : []), `Ngày: ${ddMMyyyy(signingTime)}`, ...(metaValue(request, 'Chuyen') ? [`Chuyển: ${metaValue(request, 'Chuyen')}`] : [])];
      const widget = await textStamp(pdf, lines, 'top-left');
      return { widget, reason: 'Tiếp nhận văn bản đến', position: describe(widget), documentNumber: request.DocNumber, documentDate: signingTimeIso };
    }
    case 'Comment': {
      const comment = (request.Comment ?? metaValue(request, 'Comment') ?? '').trim();
      const lines = [...(comment ? [`Ý kiến: ${comment}`] : []), identity.signerName ?? '', signingTimeIso].filter(Boolean);
      const widget = await textStamp(pdf, lines, 'bottom-left-last');
      return { widget, reason: comment ? `Ý kiến: ${comment}` : 'Ý kiến', position: describe(widget), documentDate: signingTimeIso };
    }
    case 'SignAppendix': {
      const notation = request.DocNumber?.trim() || metaValue(request, 'DocNumber') || bad('Ký phụ lục cần số và ký hiệu văn bản chính (DocNumber).', 'SignAppendix needs DocNumber.');
      const widget = await appearance(pdf, { appearance: 'attachment', documentNotation: notation, signingTime });
      return { widget, reason: `Kèm theo văn bản số ${notation}`, position: describe(widget), documentNumber: notation, documentDate: signingTimeIso };
    }
    case 'SignCopy': {
      const copyType = (metaValue(request, 'CopyType') ?? 'SAO Y').toUpperCase();
      if (!['SAO Y', 'SAO LỤC', 'TRÍCH SAO'].includes(copyType)) bad(`Hình thức sao "${copyType}" không có (SAO Y, SAO LỤC, TRÍCH SAO).`, `Unknown copy type ${copyType}.`);
      const agency = metaValue(request, 'CopyingAgency') ?? identity.organization ?? identity.signerName ?? bad('Không biết tên cơ quan sao.', 'The copying agency is unknown.');
      const widget = await appearance(pdf, { appearance: 'copy', copyType: copyType as 'SAO Y', copyingAgency: agency, signingTime });
      return { widget, reason: `${copyType} điện tử`, position: describe(widget), documentDate: signingTimeIso };
    }
    case 'SignFile': {
      const widget = await leaderAppearance(pdf, identity, signingTime);
      return { widget, reason: 'Ký số tệp', position: describe(widget), documentDate: signingTimeIso };
    }
  }
}

/** Signs as planned: incremental PAdES, B-T when a TSA is set; says the level reached (B-B when the TSA was down). */
export async function signPlanned(pdf: Uint8Array, plan: PlannedSignature, identity: SigningIdentity, signingTime: Date): Promise<{ bytes: Uint8Array; level: SigningLevel }> {
  try {
    const signed = await signPdf(pdf, identity.key, { level: identity.level, tsaUrl: identity.tsaUrl, trust: identity.trust, widget: plan.widget, reason: plan.reason, signingTime });
    return { bytes: signed.bytes, level: signed.level };
  } catch (error) {
    if (isVanthuError(error)) throw new ServiceFailure(STATUS.SIGNING_FAILED, error.code, error.messageVi, error.messageEn);
    throw error;
  }
}
