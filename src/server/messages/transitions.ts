// Allowed status transitions of one delivery (DOMAIN.md codes): the recipient's processing steps, and the sender's recall.
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

/** The state after `code`, or undefined when that move is not allowed. */
export function nextState(current: DeliveryState, code: StatusCode, actor: Actor): DeliveryState | undefined {
  if (actor === 'sender') {
    return code === '13' && RECALLABLE.has(current.status) ? { status: '13', statusBeforeRecall: current.status } : undefined;
  }
  if (!(RECIPIENT_NEXT[current.status ?? 'none'] ?? []).includes(code)) return undefined;
  // A refused recall puts the document back where it was.
  if (code === '16') return { status: current.statusBeforeRecall, statusBeforeRecall: null };
  return { status: code, statusBeforeRecall: current.statusBeforeRecall };
}
