// Electron composition root: one instance, a hardened window, IPC bound to the contract, clean shutdown.
import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listModuleCandidates } from '../core/token/index.js';
import { trustStoreFrom } from '../core/trust/index.js';
import { IPC_PREFIX, ipcChannels, ipcEvents, type IpcEventName, type IpcEventPayload } from '../shared/ipc-contract.js';
import { createDispatcher } from './ipc/dispatcher.js';
import { hardenSession, hardenWindow, isAppUrl } from './security.js';
import { ElectronSettingsStore } from './electron-settings.js';
import { startRuntime, type AppRuntime } from './runtime.js';
import { createHandlers } from './services.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : 'file://';

let mainWindow: BrowserWindow | undefined;
let runtime: AppRuntime | undefined;
let settings: ElectronSettingsStore | undefined;

function send<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): void {
  const checked = ipcEvents[event].parse(payload);
  mainWindow?.webContents.send(`${IPC_PREFIX}${event}`, checked);
}

function registerIpc(): void {
  const handlers = createHandlers({ version: app.getVersion(), userModulePaths: () => settings?.get().tokenModules ?? [], onLoggedIn: () => runtime?.resumeAfterLogin() });
  const dispatch = createDispatcher(handlers, (error) =>
    console.error('vanthu: IPC handler failed', error instanceof Error ? error.stack : error),
  );
  for (const channel of Object.keys(ipcChannels)) {
    ipcMain.handle(`${IPC_PREFIX}${channel}`, (event: IpcMainInvokeEvent, request: unknown) => {
      // Only our own page may call: a frame that navigated elsewhere gets nothing.
      const url = event.senderFrame?.url ?? '';
      if (!isAppUrl(url, appOrigin)) {
        return { ok: false, error: { code: 'FORBIDDEN', messageVi: 'Không được phép.', messageEn: 'Not allowed.' } };
      }
      return dispatch(channel, request);
    });
  }
}

async function createWindow(): Promise<void> {
  mainWindow = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'vanthu',
    show: false,
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  hardenWindow(mainWindow, appOrigin);
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = undefined));
  if (devServerUrl) await mainWindow.loadURL(devServerUrl);
  else await mainWindow.loadFile(path.join(here, '../renderer/index.html'));
}

/** Store (migrations run on open), outbox worker and token watcher, all closed together on quit. */
async function startServices(): Promise<void> {
  settings = new ElectronSettingsStore();
  const trust = await trustStoreFrom({ includeBundled: true });
  const known = (await listModuleCandidates({ userPaths: settings.get().tokenModules })).filter((c) => c.present).map((c) => c.path);
  runtime = await startRuntime({ dataDir: app.getPath('userData'), trust, modulePaths: known, onTokenEvent: (event) => send('tokens.changed', event) });
  runtime.watcher.on('error', (error) => console.warn('vanthu: token watcher', error instanceof Error ? error.message : error));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('web-contents-created', (_event, contents) => contents.on('will-attach-webview', (e) => e.preventDefault()));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!runtime) return;
    event.preventDefault();
    const closing = runtime;
    runtime = undefined;
    // C_Finalize and the database close happen before the process exits.
    void closing.close().finally(() => app.quit());
  });
  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    registerIpc();
    await startServices();
    await createWindow();
  });
}
