// A document being drafted: Decree 30 header fields, structured body and signer, as JSON (zod schema).
import { z } from 'zod';
import { METADATA_LIMITS, priorityCodes, secrecyCodes } from './document.js';

/** The templates: each has its own title rules (see core/drafting/templates.ts). */
export const draftTypes = ['cong-van', 'quyet-dinh', 'to-trinh', 'bao-cao', 'thong-bao', 'ke-hoach', 'giay-moi'] as const;
export type DraftType = (typeof draftTypes)[number];

/** Signing on behalf of (Decree 30 Appendix I, ô 7a): thay mặt, ký thay, quyền, thừa lệnh, thừa ủy quyền. */
export const authorityPrefixes = ['TM.', 'KT.', 'Q.', 'TL.', 'TUQ.'] as const;
export type AuthorityPrefix = (typeof authorityPrefixes)[number];

const line = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd');

/** A piece of text in one style; a paragraph is a list of runs (or a plain string). */
export const runSchema = z.strictObject({
  text: z.string().max(20_000),
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
});
export type Run = z.infer<typeof runSchema>;

export const richTextSchema = z.union([z.string().max(20_000), z.array(runSchema).min(1).max(500)]);
export type RichText = z.infer<typeof richTextSchema>;

export const paragraphSchema = z.strictObject({
  kind: z.literal('paragraph'),
  text: richTextSchema,
  /** Body paragraphs are justified with a first-line indent; headings inside the body are centred. */
  align: z.enum(['justify', 'left', 'center']).optional(),
  /** First-line indent; true unless the paragraph is centred. */
  indent: z.boolean().optional(),
});

export const listSchema = z.strictObject({
  kind: z.literal('list'),
  style: z.enum(['numbered', 'bulleted']),
  /** The first number of a numbered list. */
  start: z.number().int().min(0).max(10_000).optional(),
  items: z.array(richTextSchema).min(1).max(1000),
});

export const tableSchema = z
  .strictObject({
    kind: z.literal('table'),
    /** Relative column widths (e.g. [1, 4, 2]); the table spans the text width. */
    columns: z.array(z.number().positive()).min(1).max(12),
    /** Repeated at the top of each page the table continues on. */
    header: z.array(richTextSchema).optional(),
    rows: z.array(z.array(richTextSchema)).min(1).max(5000),
  })
  .refine((t) => (t.header === undefined || t.header.length === t.columns.length) && t.rows.every((r) => r.length === t.columns.length), {
    message: 'every row (and the header) has one cell per column / mỗi hàng phải có đủ số ô như số cột',
  });

export const blockSchema = z.union([paragraphSchema, listSchema, tableSchema]);
export type Block = z.infer<typeof blockSchema>;
export type ParagraphBlock = z.infer<typeof paragraphSchema>;
export type ListBlock = z.infer<typeof listSchema>;
export type TableBlock = z.infer<typeof tableSchema>;

export const signerSchema = z
  .strictObject({
    /** TM., KT., Q., TL., TUQ.; none when the head signs in their own name. */
    authority: z.enum(authorityPrefixes).optional(),
    /** Whom the prefix acts for: the collective ("ỦY BAN NHÂN DÂN") after TM., the head ("CHỦ TỊCH") after KT., TL., TUQ. */
    onBehalfOf: line(METADATA_LIMITS.signerPosition).optional(),
    /** The signer's own position ("PHÓ CHỦ TỊCH"); printed in capitals. */
    position: line(METADATA_LIMITS.signerPosition),
    fullName: line(METADATA_LIMITS.signerFullName),
  })
  .refine((s) => s.authority === undefined || s.authority === 'Q.' || s.onBehalfOf !== undefined, {
    message: 'TM., KT., TL. and TUQ. need onBehalfOf / cần ghi thay mặt cho ai (onBehalfOf)',
    path: ['onBehalfOf'],
  });
export type Signer = z.infer<typeof signerSchema>;

export const draftSchema = z.strictObject({
  /** Version of this JSON format. */
  format: z.literal(1).default(1),
  type: z.enum(draftTypes),
  /** The parent agency (cơ quan chủ quản), printed above the issuing agency. */
  parentOrganName: line(METADATA_LIMITS.organName).optional(),
  organName: line(METADATA_LIMITS.organName),
  organId: line(METADATA_LIMITS.organId).optional(),
  /** Ký hiệu, e.g. "UBND-VP" (công văn) or "QĐ-UBND": the number before it stays blank until issue. */
  codeNotation: line(METADATA_LIMITS.codeNotation),
  /** Set only when re-rendering an issued document; drafts leave it to the clerk. */
  codeNumber: z.string().trim().regex(/^\d{1,11}$/).optional(),
  issuedPlace: line(METADATA_LIMITS.issuedPlace),
  /** Left blank ("ngày … tháng … năm …") until issue. */
  issuedDate: isoDate.optional(),
  /** Printed after "năm" while the day and month stay blank (drafts usually know the year). */
  issueYear: z.number().int().min(1900).max(9999).optional(),
  /** Overrides the template's type name (e.g. "CHỈ THỊ"); ignored for công văn. */
  typeName: line(METADATA_LIMITS.typeName).optional(),
  /** Trích yếu: after "V/v" for công văn, under the type name for the others. */
  subject: line(METADATA_LIMITS.subject),
  priority: z.literal(priorityCodes).default(0),
  secrecy: z.literal(secrecyCodes).default(0),
  /** "Kính gửi:" recipients (công văn, tờ trình and any other type that addresses someone). */
  addressees: z.array(line(METADATA_LIMITS.organName)).max(50).default([]),
  body: z.array(blockSchema).min(1).max(20_000),
  /** "Nơi nhận:" lines without the leading "- " and the final ";" / "." (added when rendering). */
  recipientsList: z.array(line(300)).max(100).default([]),
  signer: signerSchema,
  /**
   * The PDF's creation and modification date (ISO 8601). Fixed here so rendering the same draft
   * gives the same bytes; the render time when absent.
   */
  pdfDate: z.iso.datetime({ offset: true }).optional(),
});
export type DraftInput = z.input<typeof draftSchema>;
export type Draft = z.output<typeof draftSchema>;
