// Allowed status transitions of one delivery (DOMAIN.md codes): the recipient's processing steps, the sender's recall, and the answer to an update or replacement.
import type { StatusCode } from '../../shared/exchange-protocol.js';

/** What a recipient may report next, from the current status (null: nothing reported yet). */
const RECIPIENT_NEXT: Record<string, readonly StatusCode[]> = {
  none: ['01'],
  '01': ['02', '03'],
  '03': ['04', '05', '06'],
  '04': ['05', '06'],
  '05': ['06'],
  '13': ['15', '16'],
};

/** A recall may be asked while the document is alive at the recipient: not after refusal or an agreed recall. */
const RECALLABLE = new Set<string | null>([null, '01', '03', '04', '05', '06']);

export interface DeliveryState {
  status: string | null;
  statusBeforeRecall: string | null;
}

export type Actor = 'sender' | 'recipient';

/** Where an update or replacement (BussinessDocType 2, 3) may be agreed (15) or refused (16): once it arrived, before the work on it started. */
const REVISION_ANSWERABLE = new Set<string | null>(['01', '03']);

/** The state after `code`, or undefined when that move is not allowed. `messageType` is the delivered message's. */
export function nextState(current: DeliveryState, code: StatusCode, actor: Actor, messageType = 'new'): DeliveryState | undefined {
  if (actor === 'recipient' && (messageType === 'update' || messageType === 'replace') && (code === '15' || code === '16')) {
    // DOMAIN.md: 15/16 answer a recall or an update; both answers are final for the revising message.
    return REVISION_ANSWERABLE.has(current.status) ? { status: code, statusBeforeRecall: current.statusBeforeRecall } : undefined;
  }
  if (actor === 'sender') {
    return code === '13' && RECALLABLE.has(current.status) ? { status: '13', statusBeforeRecall: current.status } : undefined;
  }
  if (!(RECIPIENT_NEXT[current.status ?? 'none'] ?? []).includes(code)) return undefined;
  // A refused recall puts the document back where it was.
  if (code === '16') return { status: current.statusBeforeRecall, statusBeforeRecall: null };
  return { status: code, statusBeforeRecall: current.statusBeforeRecall };
}
