// diagnostics.report: token modules found or not loadable and why, exchange server and TSA reachable, store integrity.
import { listModuleCandidates, listTokens } from '../../../core/token/index.js';
import type { Diagnostics } from '../../../shared/ipc/exchange.js';
import type { ServiceContext } from '../context.js';

/** Any HTTP answer means the host is there; only a connection failure or a timeout is "unreachable". */
async function reachable(url: string | null, path = ''): Promise<Diagnostics['server']> {
  if (!url) return { configured: false, reachable: false, detail: null };
  try {
    const response = await fetch(new URL(path, url), { method: 'GET', signal: AbortSignal.timeout(5_000), redirect: 'manual' });
    await response.body?.cancel();
    return { configured: true, reachable: true, detail: `HTTP ${response.status}` };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { configured: true, reachable: false, detail: `${error instanceof Error ? error.message : String(error)}${cause}`.slice(0, 300) };
  }
}

export async function diagnostics(context: ServiceContext): Promise<Diagnostics> {
  const { options } = context;
  const userPaths = options.userModulePaths();
  const candidates = await listModuleCandidates({ userPaths });
  const present = candidates.filter((c) => c.present).map((c) => c.path);
  // Each module loaded once per process; a module that cannot load says why (wrong architecture, not a library…).
  const reports = present.length ? await listTokens(present, userPaths) : [];
  const modules = candidates.map((c) => {
    const report = reports.find((r) => r.path === c.path);
    return {
      vendor: c.vendor,
      path: c.path,
      present: c.present,
      userAdded: c.userAdded,
      loaded: report?.loaded ?? false,
      tokens: report?.tokens.length ?? 0,
      error: report?.error ? { code: report.error.code, messageVi: report.error.messageVi, messageEn: report.error.messageEn } : null,
    };
  });
  const settings = options.settings?.get();
  const [server, tsa] = await Promise.all([reachable(settings?.serverUrl ?? null, '/v1/server-key'), reachable(settings?.tsaUrl ?? null)]);
  const store = options.runtime?.store;
  let storeView: Diagnostics['store'] = { ok: false, documents: 0, blobsChecked: 0, problems: ['no data folder open / chưa mở kho dữ liệu'] };
  if (store) {
    const integrity = store.checkIntegrity();
    const documents = store.db.prepare<[], number>('SELECT count(*) FROM documents').pluck().get() ?? 0;
    const problems = integrity.needsAttention.map((p) => JSON.stringify(p).slice(0, 300));
    storeView = { ok: problems.length === 0, documents, blobsChecked: integrity.checkedBlobs, problems };
  }
  return { modules, server, tsa, store: storeView };
}
