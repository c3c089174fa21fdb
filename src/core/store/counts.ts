// How many documents sit in given states: the unread badge counts incoming documents nobody has answered yet.
import type { Direction, DocumentState } from '../../shared/document.js';
import type { Db } from './db-types.js';

/** Incoming documents still waiting for the clerk: arrived or registered, not yet accepted or returned. */
export const AWAITING_ANSWER: readonly DocumentState[] = ['received', 'registered'];

export function countInStates(db: Db, direction: Direction, states: readonly DocumentState[]): number {
  if (states.length === 0) return 0;
  // One range per state on documents_by_state (direction, state, id).
  const sql = `SELECT count(*) FROM documents WHERE direction = ? AND state IN (${states.map(() => '?').join(', ')})`;
  return db.prepare<unknown[], number>(sql).pluck().get(direction, ...states) ?? 0;
}
