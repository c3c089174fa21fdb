// Handlers of incoming work and the rest: inbox, bulk signing, verify, settings, diagnostics, sync status; the exchange's events forwarded to the renderer.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { vietnamToday } from '../../shared/vietnam-date.js';
import type { TokenChoice } from '../../core/outbox/index.js';
import { listFiles } from '../../core/store/index.js';
import { VanthuError } from '../../shared/errors.js';
import type { IpcEventName, IpcEventPayload } from '../../shared/ipc-contract.js';
import type { EXCHANGE_CHANNEL_NAMES } from '../../shared/ipc/names.js';
import type { AppRuntime } from '../runtime.js';
import type { FeatureHandlers, ServiceContext } from './context.js';
import { BulkRuns } from './exchange/bulk-runs.js';
import { diagnostics } from './exchange/diagnostics.js';
import { inboxHandlers } from './exchange/inbox-handlers.js';
import { settingsHandlers } from './exchange/settings-handlers.js';
import { certificateImage } from './signing/certificate-images.js';
import { verifyBytes } from './exchange/verify-view.js';

/** Runtimes whose events already go to a renderer: creating the handlers twice must not send each event twice. */
const forwarded = new WeakMap<AppRuntime, (name: IpcEventName, payload: unknown) => void>();

export function exchangeHandlers(context: ServiceContext): FeatureHandlers<(typeof EXCHANGE_CHANNEL_NAMES)[number]> {
  const { options } = context;
  const runtime = (): AppRuntime => {
    if (!options.runtime) throw new VanthuError('BAD_INPUT', { detail: 'chưa mở kho dữ liệu / no data folder open' });
    return options.runtime;
  };
  // A shell that started the runtime without its settings: the exchange connects with the settings the handlers get.
  if (options.runtime && options.settings && !options.runtime.exchange.configuredOnce) void options.runtime.exchange.configure(options.settings.get()).catch(() => undefined);
  const emit = options.emit;
  if (options.runtime && emit) {
    const first = !forwarded.has(options.runtime);
    // The latest handlers' emitter wins (a reloaded harness, a new window).
    forwarded.set(options.runtime, (name, payload) => emit(name, payload as IpcEventPayload<typeof name>));
    if (first) {
      const target = options.runtime;
      target.exchange.on('event', (event) => forwarded.get(target)?.(event.name, event.payload));
    }
  }

  // The leader's certificate fingerprint per token choice, read at bulk.start (before the PIN) so its own image is used.
  const certificateShas = new Map<string, string>();
  const choiceKey = (token: TokenChoice): string => JSON.stringify([token.module, token.serial ?? '', token.label ?? '', token.cert ?? '']);
  const image = (appearance: 'leader' | 'seal' | 'attachment', token: TokenChoice): Uint8Array | undefined => {
    const sha = appearance === 'leader' ? certificateShas.get(choiceKey(token)) : undefined;
    if (sha !== undefined) {
      try {
        const own = certificateImage(options.settings, sha);
        if (own) return own.bytes;
      } catch {
        // A vanished or refused image: the machine-wide one below, as before.
      }
    }
    const settings = options.settings?.get();
    const file = appearance === 'leader' ? settings?.signatureImagePath : appearance === 'seal' ? settings?.sealImagePath : null;
    return file && existsSync(file) ? new Uint8Array(readFileSync(file)) : undefined;
  };
  let bulk: BulkRuns | undefined;
  const runs = (): BulkRuns => {
    const { store, keys } = runtime();
    bulk ??= new BulkRuns({
      store,
      keys,
      ...(options.trust ? { trust: options.trust } : {}),
      tsaUrl: () => options.settings?.get().tsaUrl ?? null,
      image,
      onProgress: (progress) => emit?.('bulk.progress', progress),
    });
    return bulk;
  };

  return {
    'sync.status': async () => runtime().exchange.state(),
    'sync.now': async () => runtime().exchange.syncNow(),
    'sync.login': async ({ pin }) => runtime().exchange.unlock(pin),
    ...inboxHandlers(context),
    'bulk.candidates': async () => {
      const db = runtime().store.db;
      const rows = db
        .prepare<[], { id: number; subject: string; state: 'draft' | 'signed_by_leader' | 'issued'; code_notation: string | null; code_number: string | null; issued_date: string | null; created_at: number; priority: number }>(
          "SELECT id, subject, state, code_notation, code_number, issued_date, created_at, priority FROM documents WHERE direction = 'outgoing' AND state IN ('draft', 'signed_by_leader', 'issued') ORDER BY id DESC LIMIT 1000",
        )
        .all();
      return rows
        .map((r) => ({ row: r, main: listFiles(db, r.id).find((f) => f.role === 'main') }))
        .filter((r) => r.main !== undefined)
        .map(({ row, main }) => ({
          documentId: row.id,
          subject: row.subject,
          state: row.state,
          codeNotation: row.code_notation,
          signed: main!.revisions.at(-1)?.signatureKind ?? 'none',
          codeNumber: row.code_number,
          date: row.issued_date ?? vietnamToday(new Date(row.created_at)),
          priority: row.priority,
        }));
    },
    'bulk.start': async ({ pin, ...request }) => {
      if (request.appearance === 'leader') {
        const { der } = await runtime().keys.certificate(request.token);
        certificateShas.set(choiceKey(request.token), createHash('sha256').update(der).digest('hex'));
      }
      return { runId: runs().start(request, pin) };
    },
    'bulk.cancel': async ({ runId }) => ({ cancelled: runs().cancel(runId) }),
    'bulk.resume': async ({ runId, pin }) => ({ runId: runs().resume(runId, pin) }),
    'verify.file': async ({ name, contentBase64 }) => verifyBytes(name, new Uint8Array(Buffer.from(contentBase64, 'base64')), options.trust, options.runtime?.aiaCacheDir),
    ...settingsHandlers(context),
    'diagnostics.report': async () => diagnostics(context),
  };
}

