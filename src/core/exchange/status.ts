// Status feed for what we sent: events since our cursor, applied to the linked documents' recipients, cursor saved after.
import type { StatusEvent } from '../../shared/exchange-protocol.js';
import { canChangeRecipientStatus } from '../../shared/document.js';
import type { Db } from '../store/index.js';
import { setRecipientStatus } from '../store/index.js';
import type { ExchangeClient } from './client.js';
import { findMessage, getCursor, setCursor } from './records.js';

/**
 * Fetches every new status event; those about a linked document in state `sent` update its recipient
 * (never backwards). An event about a document still queued or sending (the server took it but our
 * submit has not heard back: a lost answer) stops the round before it, so the cursor does not pass it;
 * the next round, after the submit's retry, applies it.
 */
export async function pollStatusFeed(client: ExchangeClient, db: Db): Promise<StatusEvent[]> {
  const all: StatusEvent[] = [];
  for (;;) {
    const cursor = getCursor(db, 'status-feed');
    const page = await client.statusFeed(cursor);
    if (page.events.length === 0) return all;
    for (const event of page.events) {
      const link = findMessage(db, event.messageId);
      if (link?.direction !== 'outgoing' || link.documentId === null) {
        all.push(event);
        continue;
      }
      const row = db
        .prepare<[number, string], { status: StatusEvent['code'] | null; state: string }>(
          'SELECT r.status, d.state FROM document_recipients r JOIN documents d ON d.id = r.document_id WHERE r.document_id = ? AND r.organ_id = ?',
        )
        .get(link.documentId, event.recipient);
      if (row?.state === 'queued' || row?.state === 'sending') {
        setCursor(db, 'status-feed', event.seq - 1);
        return all;
      }
      all.push(event);
      // A repeat or an older event after a newer one changes nothing.
      if (row?.state === 'sent' && canChangeRecipientStatus(row.status, event.code)) {
        setRecipientStatus(db, link.documentId, event.recipient, event.code, { ...(event.reason ? { reason: event.reason } : {}), now: Date.parse(event.at) });
      }
      setCursor(db, 'status-feed', event.seq);
    }
    setCursor(db, 'status-feed', page.nextCursor);
  }
}
