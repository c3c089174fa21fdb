// Bulk signing runs started from the UI: one core bulkSign per run, progress as bulk.progress events, cancel by abort, resume by running the same batch again.
import { randomUUID } from 'node:crypto';
import { bulkSign, listJobs, type BulkSignOptions, type BulkSignResult, type TokenChoice, type TokenKeySource } from '../../../core/outbox/index.js';
import type { Store } from '../../../core/store/index.js';
import type { TrustStore } from '../../../core/trust/index.js';
import { isVanthuError, VanthuError } from '../../../shared/errors.js';
import type { BulkItem, BulkProgressView } from '../../../shared/ipc/exchange.js';

export interface BulkRequest {
  documentIds: number[];
  token: TokenChoice;
  appearance: 'leader' | 'seal' | 'attachment';
  level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
}

export interface BulkRunsOptions {
  store: Store;
  keys: TokenKeySource;
  trust?: TrustStore;
  tsaUrl?: () => string | null;
  /** The signature or seal image for the appearance (from settings; the leader's per certificate), when there is one. */
  image?: (appearance: BulkRequest['appearance'], token: TokenChoice) => Uint8Array | undefined;
  onProgress: (progress: BulkProgressView) => void;
}

interface Run {
  request: BulkRequest;
  abort: AbortController;
  running: Promise<void> | undefined;
  last: BulkProgressView;
}

const errorOf = (error: unknown): BulkItem['error'] =>
  isVanthuError(error)
    ? { code: error.code, messageVi: error.messageVi, messageEn: error.messageEn }
    : { code: 'INTERNAL', messageVi: 'Lỗi nội bộ khi ký hàng loạt.', messageEn: 'Internal error while bulk signing.' };

export class BulkRuns {
  private readonly runs = new Map<string, Run>();

  constructor(private readonly options: BulkRunsOptions) {}

  /** Starts the run and answers at once; the PIN is handed to the token login and dropped with this call's scope. */
  start(request: BulkRequest, pin: string): string {
    const runId = randomUUID();
    const run: Run = { request, abort: new AbortController(), running: undefined, last: this.initial(runId, request) };
    this.runs.set(runId, run);
    this.launch(runId, run, pin);
    return runId;
  }

  /** Runs the batch again: documents already signed are reported, not signed again (core finds the open batch by its key). */
  resume(runId: string, pin: string): string {
    const run = this.runs.get(runId);
    // After a restart the run is gone from memory: starting the same documents again continues the stored batch.
    if (!run) throw new VanthuError('BAD_INPUT', { detail: 'không còn lượt ký này; hãy chọn lại các văn bản và ký tiếp / unknown bulk run; pick the same documents and start again to continue' });
    if (run.running) return runId;
    run.abort = new AbortController();
    this.launch(runId, run, pin);
    return runId;
  }

  cancel(runId: string): boolean {
    const run = this.runs.get(runId);
    if (!run?.running) return false;
    run.abort.abort();
    return true;
  }

  private initial(runId: string, request: BulkRequest): BulkProgressView {
    return {
      runId,
      done: 0,
      total: request.documentIds.length,
      current: null,
      finished: false,
      items: request.documentIds.map((documentId) => ({ documentId, status: 'queued', error: null })),
      error: null,
    };
  }

  private publish(run: Run, next: BulkProgressView): void {
    run.last = next;
    this.options.onProgress(next);
  }

  private launch(runId: string, run: Run, pin: string): void {
    const { store } = this.options;
    const { request } = run;
    const image = this.options.image?.(request.appearance, request.token);
    const tsaUrl = this.options.tsaUrl?.() ?? undefined;
    const options: BulkSignOptions = {
      token: request.token,
      appearance: request.appearance,
      level: request.level,
      keys: this.options.keys,
      ...(this.options.trust ? { trust: this.options.trust } : {}),
      ...(tsaUrl ? { tsaUrl } : {}),
      ...(image ? { image } : { invisible: request.appearance !== 'attachment' }),
      signal: run.abort.signal,
    };
    let batchId: number | undefined;
    const itemsNow = (): BulkItem[] => {
      if (batchId === undefined) return run.last.items;
      const jobs = listJobs(store.db, { batchId });
      return run.request.documentIds.map((documentId) => {
        const job = jobs.find((j) => j.documentId === documentId);
        const status: BulkItem['status'] = !job ? 'already_signed' : job.state === 'done' ? 'signed' : job.state === 'needs_attention' ? 'failed' : job.state === 'pending' ? 'queued' : job.state;
        return { documentId, status, error: job?.lastError ?? null };
      });
    };
    this.publish(run, { ...run.last, finished: false, error: null });
    run.running = (async () => {
      try {
        const result: BulkSignResult = await bulkSign(store, request.documentIds, options, pin, (progress) => {
          batchId ??= this.batchOf(request.documentIds[0]!);
          this.publish(run, {
            runId,
            done: progress.done,
            total: progress.total,
            current: progress.current ?? null,
            finished: false,
            items: itemsNow(),
            error: null,
          });
        });
        const items: BulkItem[] = result.results.map((r) => ({ documentId: r.documentId, status: r.status, error: r.error ?? null }));
        this.publish(run, { runId, done: result.signed + result.alreadySigned + result.failed, total: result.total, current: null, finished: true, items, error: null });
      } catch (error) {
        this.publish(run, { ...run.last, current: null, finished: true, error: errorOf(error) });
      } finally {
        run.running = undefined;
      }
    })();
  }

  /** The newest batch holding a job of this document (the one bulkSign just opened or continued). */
  private batchOf(documentId: number): number | undefined {
    return (
      this.options.store.db
        .prepare<[number], number>("SELECT batch_id FROM outbox_jobs WHERE document_id = ? AND kind = 'sign' AND batch_id IS NOT NULL ORDER BY id DESC LIMIT 1")
        .pluck()
        .get(documentId) ?? undefined
    );
  }

  /** Waits for every run (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.runs.values()].map((r) => r.running));
  }
}
