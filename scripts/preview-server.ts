// Browser preview of the app for machines where Electron's runtime cannot be had: the built renderer on loopback, window.vanthu bridged over HTTP to the full runtime (store, outbox, tokens, exchange).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import path from 'node:path';
import { JsonFileSettingsStore } from '../src/core/store/index.js';
import { listModuleCandidates } from '../src/core/token/index.js';
import { DemoController, useSofthsmConf, type DemoEnvironment } from '../src/main/demo/controller.js';
import { createDispatcher, type Dispatch } from '../src/main/ipc/dispatcher.js';
import { startRuntime, type AppRuntime } from '../src/main/runtime.js';
import { CONTENT_SECURITY_POLICY } from '../src/main/security.js';
import { createHandlers } from '../src/main/services.js';
import { trustFromSettings } from '../src/main/trust-settings.js';
import { IPC_CHANNEL_NAMES, IPC_EVENT_NAMES } from '../src/shared/ipc-names.js';

const port = Number(process.env.VANTHU_PREVIEW_PORT ?? 5174);
const root = path.resolve('out/renderer');
const secret = randomBytes(24).toString('hex');
const userModules = (process.env.VANTHU_MODULES ?? '').split(path.delimiter).filter(Boolean);
// The preview keeps its documents, outbox and settings like the app does, in a folder of its own.
const dataDir = path.resolve(process.env.VANTHU_DATA_DIR ?? '.tmp/preview-data');
const extraRoots = (process.env.VANTHU_TRUST ?? '').split(path.delimiter).filter(Boolean);
const streams = new Set<ServerResponse>();

const broadcast = (event: string, payload: unknown): void => {
  for (const stream of streams) stream.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
};

const settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
// Like the app: bundled roots minus the disabled ones, the settings' extra roots, plus VANTHU_TRUST.
const trust = await trustFromSettings(
  { ...settings.get(), extraTrustRoots: [...(settings.get().extraTrustRoots ?? []), ...extraRoots] },
  { onBadFile: (file, error) => console.error(`trust root ${file}: ${error instanceof Error ? error.message : String(error)}`) },
);
const modulePaths = () => [...userModules, ...settings.get().tokenModules];
const realModules = async (): Promise<string[]> => [...modulePaths(), ...(await listModuleCandidates()).filter((c) => c.present).map((c) => c.path)];
const originalSofthsmConf = process.env.SOFTHSM2_CONF;
const onTokenEvent = (event: Parameters<typeof broadcast>[1]) => broadcast('tokens.changed', event);
let runtime: AppRuntime = await startRuntime({ dataDir, modulePaths: await realModules(), trust, settings: settings.get(), onTokenEvent });
let dispatch: Dispatch;
// "Dùng thử": the demo lives in dataDir/demo; choosing it swaps the runtime and handlers here, without a restart.
const demo: DemoController = new DemoController({
  dataDir,
  onError: (error) => console.error('demo:', error instanceof Error ? error.message : error),
  switchTo: async (environment?: DemoEnvironment) => {
    await runtime.close();
    useSofthsmConf(environment?.softhsmConf, originalSofthsmConf);
    runtime = environment
      ? await startRuntime({ dataDir: environment.dataDir, modulePaths: environment.modulePaths, trust: environment.trust, settings: environment.settings.get(), onTokenEvent })
      : await startRuntime({ dataDir, modulePaths: await realModules(), trust, settings: settings.get(), onTokenEvent });
    dispatch = handlersFor(environment);
  },
});
const handlersFor = (environment?: DemoEnvironment): Dispatch =>
  createDispatcher(
    createHandlers({
      version: 'preview',
      userModulePaths: environment ? () => environment.modulePaths : modulePaths,
      onLoggedIn: () => runtime.resumeAfterLogin(),
      runtime,
      settings: environment?.settings ?? settings,
      trust: environment?.trust ?? trust,
      emit: broadcast,
      demo,
    }),
    (error) => console.error(error),
  );
dispatch = handlersFor();
// The demo was on when the preview last stopped: it comes back on.
if (demo.wasActive()) await demo.start().catch((error: unknown) => console.error('demo:', error instanceof Error ? error.message : error));

const bridge = `(() => {
  const channels = ${JSON.stringify(IPC_CHANNEL_NAMES)}, events = ${JSON.stringify(IPC_EVENT_NAMES)};
  const listeners = new Map();
  const source = new EventSource('/__vanthu/events');
  for (const name of events) source.addEventListener(name, (e) => listeners.get(name)?.forEach((l) => l(JSON.parse(e.data))));
  Object.defineProperty(window, 'vanthu', { value: Object.freeze({
    invoke: (channel, request) => channels.includes(channel)
      ? fetch('/__vanthu/ipc', { method: 'POST', headers: { 'content-type': 'application/json', 'x-vanthu-secret': '${secret}' }, body: JSON.stringify({ channel, request }) }).then((r) => r.json())
      : Promise.reject(new Error('unknown channel ' + channel)),
    on: (event, listener) => {
      if (!events.includes(event)) throw new Error('unknown event ' + event);
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return () => listeners.get(event).delete(listener);
    },
  }) });
})();`;

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

const server = createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  if (url.pathname === '/__vanthu/bridge.js') return void response.writeHead(200, { 'Content-Type': TYPES['.js'] }).end(bridge);
  if (url.pathname === '/__vanthu/events') {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    streams.add(response);
    request.on('close', () => streams.delete(response));
    return;
  }
  if (url.pathname === '/__vanthu/ipc' && request.method === 'POST') {
    // Only the page we served knows the secret: other sites' pages cannot drive the token.
    if (request.headers['x-vanthu-secret'] !== secret) return void response.writeHead(403).end();
    let body = '';
    for await (const chunk of request) body += chunk;
    const { channel, request: payload } = JSON.parse(body) as { channel: unknown; request: unknown };
    return void response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(await dispatch(channel, payload)));
  }
  const file = path.join(root, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
  if (!file.startsWith(root)) return void response.writeHead(403).end();
  try {
    let body: Buffer | string = await readFile(file);
    if (file.endsWith('index.html')) body = body.toString('utf8').replace('<head>', '<head><script src="/__vanthu/bridge.js"></script>');
    response.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`vanthu: bản xem trước trên trình duyệt / browser preview: http://127.0.0.1:${port}/ (dữ liệu / data: ${dataDir})`);
});
const stop = () => {
  server.close();
  void demo
    .close()
    .then(() => runtime.close())
    .finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
