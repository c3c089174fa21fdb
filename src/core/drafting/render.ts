// Renders a draft to a Decree 30 PDF: header, title, body and closing laid out on A4, page numbers from page 2, fixed IDs and dates.
import { createHash } from 'node:crypto';
import { PDFDocument, PDFHexString } from '@cantoo/pdf-lib';
import { draftSchema, type Draft } from '../../shared/draft.js';
import { VanthuError } from '../../shared/errors.js';
import { addresseesBlock, titleBlock } from './title.js';
import { bodyBlocks } from './body.js';
import { closingBlock } from './closing.js';
import { drawPages, pageMarks, type PageMarks } from './draw.js';
import { placeLine, type FlowBlock } from './flow.js';
import { MARGIN, PAGE, SIZE, TEXT_LEFT, TEXT_WIDTH } from './geometry.js';
import { headerBlock } from './header.js';
import { fixedLine } from './line-break.js';
import { paginate, type PageLayout } from './paginate.js';
import { metadataTypeName } from './templates.js';

/** Validates draft JSON (already parsed); invalid input is a BAD_INPUT listing each problem. */
export function parseDraft(input: unknown): Draft {
  const result = draftSchema.safeParse(input);
  if (!result.success) {
    throw new VanthuError('BAD_INPUT', { detail: result.error.issues.map((i) => `${i.path.join('.') || '(draft)'}: ${i.message}`).join('; ') });
  }
  return result.data;
}

export interface DraftLayout {
  pages: PageLayout[];
  /** 1-based page of the closing block (signer and "Nơi nhận"). */
  closingPage: number;
}

/** The blocks in reading order, the last body lines chained to the closing block. */
function flow(draft: Draft): FlowBlock[] {
  const body = bodyBlocks(draft.body);
  // The signer never stands alone: the last two body blocks go to its page with it.
  for (const block of body.slice(-2)) block.keepWithNext = true;
  const optional = [titleBlock(draft), addresseesBlock(draft)].filter((b): b is FlowBlock => b !== undefined);
  return [headerBlock(draft), ...optional, ...body, closingBlock(draft).block];
}

export function layoutDraft(draft: Draft): DraftLayout {
  const pages = paginate(flow(draft));
  const closingPage = pages.findIndex((page) => page.some((p) => p.block.role === 'closing')) + 1;
  return { pages, closingPage };
}

/** "2", "3" … centred in the top margin (Appendix I: no number on page 1). */
function withPageNumber(marks: PageMarks, index: number): PageMarks {
  if (index === 0) return marks;
  const size = SIZE.pageNumber;
  const line = fixedLine(String(index + 1), 'regular', size);
  const baseline = PAGE.height - MARGIN.top / 2 - size * 0.3;
  return { marks: [...marks.marks, { mark: placeLine(line, TEXT_LEFT, TEXT_WIDTH, 0, size, 'center'), top: baseline }] };
}

/** The draft without its dates, canonical: the file ID stays the same when only the dates change. */
function fileId(draft: Draft): string {
  const { pdfDate: _pdfDate, ...content } = draft;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32);
}

export interface RenderOptions {
  /** The PDF's dates when the draft has no pdfDate (default: now). */
  now?: Date;
}

export interface RenderedDraft {
  pdf: Uint8Array;
  pageCount: number;
  /** 1-based page of the signer block. */
  closingPage: number;
}

/** Renders a draft (validated here) to PDF bytes. */
export async function renderDraft(input: unknown, options: RenderOptions = {}): Promise<Uint8Array> {
  return (await renderDraftDetailed(input, options)).pdf;
}

/** renderDraft, with where things went. */
export async function renderDraftDetailed(input: unknown, options: RenderOptions = {}): Promise<RenderedDraft> {
  const draft = parseDraft(input);
  const { pages, closingPage } = layoutDraft(draft);
  const doc = await PDFDocument.create({ updateMetadata: false });
  await drawPages(doc, pages.map((page, i) => withPageNumber(pageMarks(page), i)));
  const date = draft.pdfDate ? new Date(draft.pdfDate) : (options.now ?? new Date());
  doc.setTitle(`${metadataTypeName(draft)}: ${draft.subject}`);
  doc.setAuthor(draft.organName);
  doc.setSubject(draft.subject);
  doc.setCreator('vanthu');
  doc.setProducer('vanthu');
  doc.setLanguage('vi-VN');
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  const id = PDFHexString.of(fileId(draft));
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  return { pdf: await doc.save({ useObjectStreams: false }), pageCount: pages.length, closingPage };
}
