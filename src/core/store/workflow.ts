// Workflow: allowed state moves of a document and status moves of each recipient, each one recorded in the history.
import {
  canChangeRecipientStatus,
  canTransition,
  type DocumentState,
  type RecipientStatus,
} from '../../shared/document.js';
import { VanthuError } from '../../shared/errors.js';
import type { Db } from './db-types.js';
import { prepared } from './statements.js';
import { getState, recordHistory } from './documents.js';
import { withStoreErrors } from './sqlite-errors.js';

export interface TransitionOptions {
  reason?: string;
  /** Required for `sent`: the exchange server's signed receipt (JSON text). */
  receipt?: string;
  now?: number;
}

/**
 * Moves a document to `to` if its table allows it from the current state; throws
 * STORE_TRANSITION_NOT_ALLOWED otherwise and changes nothing. Runs as one IMMEDIATE transaction (or a
 * savepoint of the caller's), so a later outbox job can be added in the same transaction.
 */
export function transition(db: Db, id: number, to: DocumentState, options: TransitionOptions = {}): void {
  const now = options.now ?? Date.now();
  withStoreErrors('the document state', () =>
    db
      .transaction(() => {
        const current = getState(db, id);
        if (!canTransition(current.direction, current.state, to)) {
          throw new VanthuError('STORE_TRANSITION_NOT_ALLOWED', { id, from: current.state, to });
        }
        // Issued means number and date stamped: the register must have run first.
        if (current.direction === 'outgoing' && to === 'issued' && current.codeNumber === null) {
          throw new VanthuError('STORE_TRANSITION_NOT_ALLOWED', { id, from: `${current.state} (no number)`, to });
        }
        if (to === 'sent' && (options.receipt === undefined || options.receipt.length === 0)) {
          throw new VanthuError('BAD_INPUT', { detail: 'a sent document needs the server receipt' });
        }
        prepared(db, 'UPDATE documents SET state = ?, updated_at = ?, receipt = coalesce(?, receipt) WHERE id = ?').run(
          to,
          now,
          to === 'sent' ? (options.receipt ?? null) : null,
          id,
        );
        recordHistory(db, { documentId: id, at: now, kind: 'state', from: current.state, to, ...(options.reason ? { reason: options.reason } : {}) });
      })
      .immediate(),
  );
}

/** Records a status reported by (or for) one recipient of a sent document; only allowed moves. */
export function setRecipientStatus(
  db: Db,
  id: number,
  organId: string,
  status: RecipientStatus,
  options: { reason?: string; now?: number } = {},
): void {
  const now = options.now ?? Date.now();
  withStoreErrors('the recipient status', () =>
    db
      .transaction(() => {
        const document = getState(db, id);
        if (document.direction !== 'outgoing' || document.state !== 'sent') {
          throw new VanthuError('STORE_TRANSITION_NOT_ALLOWED', { id, from: document.state, to: `${organId}: ${status}` });
        }
        const row = prepared<{ status: RecipientStatus | null }>(db, 'SELECT status FROM document_recipients WHERE document_id = ? AND organ_id = ?')
          .get(id, organId);
        if (row === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: `recipient ${organId} of document`, id });
        if (!canChangeRecipientStatus(row.status, status)) {
          throw new VanthuError('STORE_TRANSITION_NOT_ALLOWED', { id, from: `${organId}: ${row.status ?? '—'}`, to: `${organId}: ${status}` });
        }
        prepared(db, 'UPDATE document_recipients SET status = ?, status_at = ? WHERE document_id = ? AND organ_id = ?').run(status, now, id, organId);
        prepared(db, 'UPDATE documents SET updated_at = ? WHERE id = ?').run(now, id);
        recordHistory(db, {
          documentId: id,
          at: now,
          kind: 'recipient_status',
          from: row.status,
          to: status,
          recipientOrganId: organId,
          ...(options.reason ? { reason: options.reason } : {}),
        });
      })
      .immediate(),
  );
}
