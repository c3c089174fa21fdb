// The bulk screen's state: which run is ours, its latest progress (events of other runs ignored), and what the buttons may do.
import type { BulkProgressView } from '../../../shared/ipc/exchange.js';

export type BulkPhase = 'idle' | 'starting' | 'running' | 'finished';

export interface BulkState {
  phase: BulkPhase;
  runId: string | null;
  progress: BulkProgressView | null;
}

export type BulkAction =
  | { type: 'start' }
  | { type: 'started'; runId: string }
  | { type: 'progress'; progress: BulkProgressView }
  | { type: 'failed' }
  | { type: 'reset' };

export const initialBulkState: BulkState = { phase: 'idle', runId: null, progress: null };

export function bulkReducer(state: BulkState, action: BulkAction): BulkState {
  switch (action.type) {
    case 'start':
      return { ...state, phase: 'starting' };
    case 'started':
      // A resumed run keeps its id and its last results until new progress comes.
      return { phase: 'running', runId: action.runId, progress: state.runId === action.runId ? state.progress : null };
    case 'progress': {
      // Progress may arrive before the start call answers: take it when no run is ours yet.
      if (state.runId !== null && action.progress.runId !== state.runId) return state;
      if (state.runId === null && state.phase !== 'starting') return state;
      return { runId: action.progress.runId, progress: action.progress, phase: action.progress.finished ? 'finished' : 'running' };
    }
    case 'failed':
      return { ...state, phase: state.runId ? 'finished' : 'idle' };
    case 'reset':
      return initialBulkState;
  }
}

export interface BulkTally {
  signed: number;
  failed: number;
  /** Neither signed nor failed: cancelled, waiting, not reached. */
  other: number;
  percent: number;
}

export function tally(progress: BulkProgressView | null): BulkTally {
  if (!progress) return { signed: 0, failed: 0, other: 0, percent: 0 };
  const signed = progress.items.filter((i) => i.status === 'signed' || i.status === 'already_signed').length;
  const failed = progress.items.filter((i) => i.status === 'failed').length;
  const total = Math.max(progress.total, progress.items.length);
  return { signed, failed, other: total - signed - failed, percent: total === 0 ? 0 : Math.round((Math.min(progress.done, total) / total) * 100) };
}

/** Cancel while running; resume once over with documents left unsigned (cancelled, waiting, failed by a pulled token). */
export const canCancel = (state: BulkState): boolean => state.phase === 'running';
export const canResume = (state: BulkState): boolean => state.phase === 'finished' && state.runId !== null && tally(state.progress).other > 0;

/** What a finished run did: the documents it signed (or found signed) and those that failed, with why. */
export function runOutcome(progress: BulkProgressView): { signed: number[]; failed: { documentId: number; error: { messageVi: string; messageEn: string } }[] } {
  return {
    signed: progress.items.filter((i) => i.status === 'signed' || i.status === 'already_signed').map((i) => i.documentId),
    failed: progress.items.filter((i) => i.status === 'failed').map((i) => ({ documentId: i.documentId, error: i.error ?? { messageVi: '', messageEn: '' } })),
  };
}
