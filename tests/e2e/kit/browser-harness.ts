// Runs the built renderer in Debian's Chromium with window.vanthu bound, through the IPC contract, to the real services.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { createDispatcher } from '../../../src/main/ipc/dispatcher.js';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/security.js';
import { createHandlers, type ServiceOptions } from '../../../src/main/services.js';
import { IPC_CHANNEL_NAMES, IPC_EVENT_NAMES } from '../../../src/shared/ipc-names.js';
import { ipcEvents, type IpcEventName, type IpcEventPayload } from '../../../src/shared/ipc-contract.js';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };

/** Serves out/renderer with the app's CSP, as Electron would load it. */
async function serveRenderer(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = path.join(root, pathname === '/' ? 'index.html' : path.normalize(pathname));
    if (!file.startsWith(root)) return void response.writeHead(403).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

export interface Harness {
  page: Page;
  /** Pushes an event to the renderer as main would. */
  emit<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): Promise<void>;
  /** Every channel the renderer called, in order (requests are not kept: they may hold a PIN). */
  calls: string[];
  close(): Promise<void>;
}

/** pageOptions: the browser page's own (viewport, timezoneId, locale), e.g. a machine set to New York time. */
export async function openRenderer(options: ServiceOptions, rendererDir = path.resolve('out/renderer'), pageOptions: BrowserContextOptions = {}): Promise<Harness> {
  const { server, url } = await serveRenderer(rendererDir);
  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  const page = await browser.newPage(pageOptions);
  // Events the services push (progress, status) reach the page as main's webContents.send would.
  const push = (event: IpcEventName, payload: unknown) =>
    void page
      .evaluate(({ event, payload }) => (window as unknown as { __vanthuEmit: (e: string, p: unknown) => void }).__vanthuEmit(event, payload), { event, payload: ipcEvents[event].parse(payload) as unknown })
      .catch(() => undefined);
  const dispatch = createDispatcher(createHandlers({ ...options, emit: (event, payload) => push(event, payload) }), (error) => console.error(error));
  const calls: string[] = [];
  await page.exposeFunction('__vanthuInvoke', (channel: unknown, request: unknown) => {
    calls.push(String(channel));
    return dispatch(channel, request);
  });
  // The same surface the preload exposes: invoke for contract channels, on for contract events.
  await page.addInitScript(
    ({ channels, events }) => {
      const listeners = new Map<string, Set<(payload: unknown) => void>>();
      const bridge = window as unknown as { __vanthuInvoke: (c: string, r: unknown) => Promise<unknown>; __vanthuEmit: (e: string, p: unknown) => void };
      bridge.__vanthuEmit = (event, payload) => listeners.get(event)?.forEach((listener) => listener(payload));
      Object.defineProperty(window, 'vanthu', {
        value: Object.freeze({
          invoke: (channel: string, request: unknown) =>
            channels.includes(channel) ? bridge.__vanthuInvoke(channel, request) : Promise.reject(new Error(`unknown channel ${channel}`)),
          on: (event: string, listener: (payload: unknown) => void) => {
            if (!events.includes(event)) throw new Error(`unknown event ${event}`);
            if (!listeners.has(event)) listeners.set(event, new Set());
            listeners.get(event)!.add(listener);
            return () => listeners.get(event)?.delete(listener);
          },
        }),
      });
    },
    { channels: [...IPC_CHANNEL_NAMES] as string[], events: [...IPC_EVENT_NAMES] as string[] },
  );
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  return {
    page,
    calls,
    emit: async (event, payload) => {
      const checked = ipcEvents[event].parse(payload);
      await page.evaluate(({ event, checked }) => (window as unknown as { __vanthuEmit: (e: string, p: unknown) => void }).__vanthuEmit(event, checked), { event, checked });
    },
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      if (errors.length) throw new Error(`renderer errors: ${errors.join('\n')}`);
    },
  };
}
