// Processing of an accepted incoming document (Decree 30): submitted to the leader, assigned (unit or person, deadline, opinion), in progress, done; each step kept with who and when.
import { VanthuError } from '../../shared/errors.js';
import { vietnamToday } from '../../shared/vietnam-date.js';
import type { Db } from './db-types.js';
import { getState } from './documents.js';
import { prepared } from './statements.js';
import { withStoreErrors } from './sqlite-errors.js';
import { transition } from './workflow.js';

export type IncomingStep = 'submitted' | 'assigned' | 'processing' | 'done';

export interface IncomingStepRecord {
  step: IncomingStep;
  at: number;
  /** submitted: the leader it went to; assigned: the leader who gave the opinion; processing/done: who reports it. */
  actor: string | null;
  /** assigned: the unit or person in charge. */
  handler: string | null;
  /** assigned: yyyy-MM-dd, a Vietnam-time calendar day. */
  deadline: string | null;
  /** assigned: the opinion (ý kiến phân phối, chỉ đạo giải quyết); processing/done: a note or the result. */
  note: string | null;
}

export const STEP_LIMITS = { actor: 200, handler: 200, note: 2000 } as const;

interface StepRow {
  step: IncomingStep;
  at: number;
  actor: string | null;
  handler: string | null;
  deadline: string | null;
  note: string | null;
}

/** Trimmed text within its limit, or undefined when empty; too long is bad input (nothing is cut silently). */
function text(value: string | undefined, field: keyof typeof STEP_LIMITS, required = false): string | undefined {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') {
    if (required) throw new VanthuError('BAD_INPUT', { detail: `${field}: required` });
    return undefined;
  }
  if (trimmed.length > STEP_LIMITS[field]) throw new VanthuError('BAD_INPUT', { detail: `${field}: at most ${STEP_LIMITS[field]} characters` });
  return trimmed;
}

function insertStep(db: Db, documentId: number, step: IncomingStep, at: number, fields: Partial<Omit<IncomingStepRecord, 'step' | 'at'>>): void {
  prepared(db, 'INSERT INTO incoming_steps (document_id, step, at, actor, handler, deadline, note) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    documentId,
    step,
    at,
    fields.actor ?? null,
    fields.handler ?? null,
    fields.deadline ?? null,
    fields.note ?? null,
  );
}

function requireIncoming(db: Db, documentId: number, states: readonly string[], to: string): void {
  const current = getState(db, documentId);
  if (current.direction !== 'incoming' || !states.includes(current.state)) {
    throw new VanthuError('STORE_TRANSITION_NOT_ALLOWED', { id: documentId, from: current.state, to });
  }
}

const run = <T>(db: Db, what: string, work: () => T): T => withStoreErrors(what, () => db.transaction(work).immediate());

/** "Trình lãnh đạo": an accepted document goes to the leader (named); the state stays accepted until the assignment. */
export function submitToLeader(db: Db, documentId: number, input: { leader: string; now?: number }): void {
  const leader = text(input.leader, 'actor', true);
  run(db, 'the submission to the leader', () => {
    requireIncoming(db, documentId, ['accepted'], 'submitted');
    insertStep(db, documentId, 'submitted', input.now ?? Date.now(), { actor: leader ?? null });
  });
}

export interface AssignmentInput {
  /** The leader who gave the opinion; defaults to the one it was submitted to. */
  leader?: string;
  handler: string;
  /** yyyy-MM-dd; not before today (Vietnam time). */
  deadline: string;
  opinion?: string;
  now?: number;
}

/** The leader's assignment, recorded by the clerk: the document moves to assigned (a reassignment keeps it there). */
export function recordAssignment(db: Db, documentId: number, input: AssignmentInput): void {
  const now = input.now ?? Date.now();
  const handler = text(input.handler, 'handler', true);
  const opinion = text(input.opinion, 'note');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.deadline) || Number.isNaN(Date.parse(`${input.deadline}T00:00:00Z`))) {
    throw new VanthuError('BAD_INPUT', { detail: 'deadline: yyyy-mm-dd' });
  }
  if (input.deadline < vietnamToday(new Date(now))) throw new VanthuError('BAD_INPUT', { detail: 'deadline: already past / hạn xử lý đã qua' });
  run(db, 'the assignment', () => {
    requireIncoming(db, documentId, ['accepted', 'assigned'], 'assigned');
    const leader = text(input.leader, 'actor') ?? latest(db, documentId, 'submitted')?.actor ?? undefined;
    if (getState(db, documentId).state === 'accepted') transition(db, documentId, 'assigned', { now, reason: handler ?? '' });
    insertStep(db, documentId, 'assigned', now, { actor: leader ?? null, handler: handler ?? null, deadline: input.deadline, note: opinion ?? null });
  });
}

/** "Đang xử lý": from accepted or assigned. */
export function markProcessing(db: Db, documentId: number, input: { by?: string; note?: string; now?: number } = {}): void {
  const now = input.now ?? Date.now();
  const by = text(input.by, 'actor');
  const note = text(input.note, 'note');
  run(db, 'the processing step', () => {
    requireIncoming(db, documentId, ['accepted', 'assigned'], 'processing');
    transition(db, documentId, 'processing', { now });
    insertStep(db, documentId, 'processing', now, { actor: by ?? null, note: note ?? null });
  });
}

/** "Hoàn thành", with an optional result note: from accepted, assigned or processing. */
export function markDone(db: Db, documentId: number, input: { by?: string; result?: string; now?: number } = {}): void {
  const now = input.now ?? Date.now();
  const by = text(input.by, 'actor');
  const result = text(input.result, 'note');
  run(db, 'the done step', () => {
    requireIncoming(db, documentId, ['accepted', 'assigned', 'processing'], 'done');
    transition(db, documentId, 'done', { now, ...(result ? { reason: result } : {}) });
    insertStep(db, documentId, 'done', now, { actor: by ?? null, note: result ?? null });
  });
}

const latest = (db: Db, documentId: number, step: IncomingStep): StepRow | undefined =>
  prepared<StepRow>(db, 'SELECT step, at, actor, handler, deadline, note FROM incoming_steps WHERE document_id = ? AND step = ? ORDER BY id DESC LIMIT 1').get(documentId, step);

/** Every step of the document, oldest first. */
export function listSteps(db: Db, documentId: number): IncomingStepRecord[] {
  return prepared<StepRow>(db, 'SELECT step, at, actor, handler, deadline, note FROM incoming_steps WHERE document_id = ? ORDER BY id').all(documentId);
}

/** The assignment in force (the latest), or undefined. */
export function currentAssignment(db: Db, documentId: number): IncomingStepRecord | undefined {
  return latest(db, documentId, 'assigned');
}
