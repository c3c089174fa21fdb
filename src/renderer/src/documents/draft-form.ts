// The drafting form's values: turned into the engine's draft (checked with the shared schema, each problem a field message) and back.
import type { Priority, Recipient, Secrecy } from '../../../shared/document.js';
import { draftSchema, type AuthorityPrefix, type Block, type Draft, type DraftInput, type DraftType, type RichText, type Run } from '../../../shared/draft.js';
import { vietnamToday } from '../../../shared/vietnam-date.js';

export interface DraftValues {
  type: DraftType;
  parentOrganName: string;
  organName: string;
  organId: string;
  /** Ký hiệu after "Số: …/": the number is added when the clerk issues. */
  codeNotation: string;
  issuedPlace: string;
  /** yyyy-MM-dd, or '' to leave "ngày … tháng …" blank for the clerk. */
  issuedDate: string;
  subject: string;
  /** "Kính gửi:", one addressee a line. */
  addressees: string;
  /** The body in the form's light markup (see parseBody). */
  body: string;
  authority: AuthorityPrefix | '';
  onBehalfOf: string;
  position: string;
  fullName: string;
  /** "Nơi nhận:", one a line, printed with its dashes and semicolons. */
  recipientsList: string;
  priority: Priority;
  secrecy: Secrecy;
  /** Who receives it over the exchange. */
  recipients: Recipient[];
  dueDate: string;
}

export const emptyDraftValues: DraftValues = {
  type: 'cong-van',
  parentOrganName: '',
  organName: '',
  organId: '',
  codeNotation: '',
  issuedPlace: '',
  issuedDate: '',
  subject: '',
  addressees: '',
  body: '',
  authority: '',
  onBehalfOf: '',
  position: '',
  fullName: '',
  recipientsList: 'Lưu: VT',
  priority: 0,
  secrecy: 0,
  recipients: [],
  dueDate: '',
};

/** Fields in screen order: the first one with a problem gets the focus. */
export const draftFields = [
  'type',
  'parentOrganName',
  'organName',
  'organId',
  'codeNotation',
  'issuedPlace',
  'issuedDate',
  'subject',
  'addressees',
  'body',
  'authority',
  'onBehalfOf',
  'position',
  'fullName',
  'recipientsList',
  'dueDate',
] as const;
export type DraftField = (typeof draftFields)[number];

export interface DraftProblem {
  key: 'required' | 'tooLong' | 'date' | 'invalid';
  max?: number;
}

// Light markup: **bold**, *italic*, ***both***.
const INLINE = /(\*\*\*[^*\n]+\*\*\*|\*\*[^*\n]+\*\*|\*[^*\n]+\*)/u;

/** One line's text as the engine's rich text: a plain string when it has no markup. */
export function parseInline(line: string): RichText {
  const parts = line.split(INLINE).filter((p) => p !== '');
  const runs: Run[] = parts.map((part) => {
    if (part.startsWith('***') && part.endsWith('***') && part.length > 6) return { text: part.slice(3, -3), bold: true, italic: true };
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4) return { text: part.slice(2, -2), bold: true };
    if (part.startsWith('*') && part.endsWith('*') && part.length > 2) return { text: part.slice(1, -1), italic: true };
    return { text: part };
  });
  if (runs.every((r) => !r.bold && !r.italic)) return runs.map((r) => r.text).join('');
  return runs;
}

export function inlineText(text: RichText): string {
  if (typeof text === 'string') return text;
  return text.map((r) => (r.bold && r.italic ? `***${r.text}***` : r.bold ? `**${r.text}**` : r.italic ? `*${r.text}*` : r.text)).join('');
}

const BULLET = /^[-+•]\s+(.*)$/u;
const NUMBERED = /^(\d{1,4})[.)]\s+(.*)$/u;

/**
 * The body's lines as blocks: each line a paragraph; lines starting with "- " are bulleted items,
 * with "1. " numbered items (numbered from the first line's number); a blank line ends a list.
 */
export function parseBody(text: string): Block[] {
  const blocks: Block[] = [];
  let list: { style: 'numbered' | 'bulleted'; start: number; items: RichText[] } | undefined;
  const close = () => {
    if (!list) return;
    blocks.push(list.style === 'numbered' && list.start !== 1 ? { kind: 'list', style: 'numbered', start: list.start, items: list.items } : { kind: 'list', style: list.style, items: list.items });
    list = undefined;
  };
  for (const raw of text.split(/\r?\n/u)) {
    const line = raw.trim();
    if (line === '') {
      close();
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    const style = bullet ? 'bulleted' : numbered ? 'numbered' : undefined;
    if (style === undefined) {
      close();
      blocks.push({ kind: 'paragraph', text: parseInline(line) });
      continue;
    }
    if (list && list.style !== style) close();
    list ??= { style, start: numbered ? Number(numbered[1]) : 1, items: [] };
    list.items.push(parseInline((bullet ? bullet[1] : numbered![2])!.trim()));
  }
  close();
  return blocks;
}

/** The markup of blocks (a draft reopened in the form). Tables, which the form cannot edit, become a line per row. */
export function bodyText(blocks: Block[]): string {
  const lines: string[] = [];
  blocks.forEach((block, index) => {
    if (block.kind === 'paragraph') lines.push(inlineText(block.text));
    else if (block.kind === 'list') {
      // A blank line keeps two lists of one style apart (they would read back as one).
      const previous = blocks[index - 1];
      if (previous?.kind === 'list' && previous.style === block.style) lines.push('');
      block.items.forEach((item, i) => lines.push(block.style === 'numbered' ? `${(block.start ?? 1) + i}. ${inlineText(item)}` : `- ${inlineText(item)}`));
    } else for (const row of block.rows) lines.push(row.map(inlineText).join(' | '));
  });
  return lines.join('\n');
}

const lines = (text: string): string[] =>
  text
    .split(/\r?\n/u)
    .map((l) => l.trim())
    .filter((l) => l !== '');
const optional = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

/** The draft as the engine takes it; `fill` stands in for each missing required text (the preview before the form is complete). */
export function toDraft(values: DraftValues, fill?: string, today = vietnamToday()): DraftInput {
  const need = (value: string): string => optional(value) ?? fill ?? '';
  const body = parseBody(values.body);
  const onBehalfOf = optional(values.onBehalfOf) ?? (values.authority !== '' && values.authority !== 'Q.' ? fill : undefined);
  const draft: DraftInput = {
    type: values.type,
    ...(optional(values.parentOrganName) ? { parentOrganName: values.parentOrganName.trim() } : {}),
    organName: need(values.organName),
    ...(optional(values.organId) ? { organId: values.organId.trim() } : {}),
    codeNotation: need(values.codeNotation),
    issuedPlace: need(values.issuedPlace),
    // Without a date the year is printed already: drafts are issued in the year they are written.
    ...(values.issuedDate ? { issuedDate: values.issuedDate } : { issueYear: Number(today.slice(0, 4)) }),
    subject: need(values.subject),
    priority: values.priority,
    secrecy: values.secrecy,
    addressees: lines(values.addressees),
    body: body.length > 0 || fill === undefined ? body : [{ kind: 'paragraph', text: fill }],
    recipientsList: lines(values.recipientsList),
    signer: {
      ...(values.authority ? { authority: values.authority } : {}),
      ...(onBehalfOf !== undefined ? { onBehalfOf } : {}),
      position: need(values.position),
      fullName: need(values.fullName),
    },
  };
  return draft;
}

/** The draft for the live preview: blanks shown as "…"; null when even that is refused (a field too long). */
export function previewDraft(values: DraftValues): DraftInput | null {
  const draft = toDraft(values, '…');
  return draftSchema.safeParse(draft).success ? draft : null;
}

const fieldOf = (path: readonly PropertyKey[]): DraftField | undefined => {
  const [first, second] = path;
  if (first === 'signer') return second === 'position' || second === 'fullName' || second === 'onBehalfOf' ? second : 'authority';
  if (first === 'issueYear') return 'issuedDate';
  return (draftFields as readonly PropertyKey[]).includes(first!) ? (first as DraftField) : undefined;
};

/** Each field's first problem; Decree 30's required parts (agency, ký hiệu, place, trích yếu, body, signer) are required. */
export function validateDraft(values: DraftValues): Partial<Record<DraftField, DraftProblem>> {
  const result = draftSchema.safeParse(toDraft(values));
  if (result.success) return {};
  const problems: Partial<Record<DraftField, DraftProblem>> = {};
  for (const issue of result.error.issues) {
    const field = fieldOf(issue.path);
    if (field === undefined || problems[field]) continue;
    if (issue.code === 'too_big' && typeof issue.maximum === 'number') problems[field] = { key: 'tooLong', max: issue.maximum };
    else if (issue.code === 'too_small' || field === 'onBehalfOf') problems[field] = { key: 'required' };
    else if (field === 'issuedDate') problems[field] = { key: 'date' };
    else problems[field] = { key: 'invalid' };
  }
  return problems;
}

/** The form as it was saved: the draft, and the exchange recipients and due date from the document. */
export function valuesFromDraft(draft: Draft, document: { recipients: Recipient[]; dueDate?: string | undefined }): DraftValues {
  return {
    type: draft.type,
    parentOrganName: draft.parentOrganName ?? '',
    organName: draft.organName,
    organId: draft.organId ?? '',
    codeNotation: draft.codeNotation,
    issuedPlace: draft.issuedPlace,
    issuedDate: draft.issuedDate ?? '',
    subject: draft.subject,
    addressees: draft.addressees.join('\n'),
    body: bodyText(draft.body),
    authority: draft.signer.authority ?? '',
    onBehalfOf: draft.signer.onBehalfOf ?? '',
    position: draft.signer.position,
    fullName: draft.signer.fullName,
    recipientsList: draft.recipientsList.join('\n'),
    priority: draft.priority,
    secrecy: draft.secrecy,
    recipients: document.recipients,
    dueDate: document.dueDate ?? '',
  };
}
