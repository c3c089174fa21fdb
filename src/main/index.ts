// Electron composition root: one instance, a hardened window that remembers its place, menu, tray badge, error log, IPC bound to the contract, clean shutdown.
import { app, BrowserWindow, ipcMain, Menu, nativeImage, screen, session, shell, Tray, type IpcMainInvokeEvent, type NativeImage } from 'electron';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensurePrivateDir, setPrivacyNotice } from '../core/fs/private-dir.js';
import { AWAITING_ANSWER, countInStates } from '../core/store/index.js';
import { listModuleCandidates } from '../core/token/index.js';
import type { TrustStore } from '../core/trust/index.js';
import { IPC_PREFIX, ipcChannels, ipcEvents, type IpcEventName, type IpcEventPayload } from '../shared/ipc-contract.js';
import { diagnosticsReport } from './diagnostics.js';
import { ElectronSettingsStore } from './electron-settings.js';
import { DemoController, useSofthsmConf, type DemoEnvironment } from './demo/controller.js';
import { createDispatcher, type Dispatch } from './ipc/dispatcher.js';
import { createLogger, recordProcessFailures } from './logger.js';
import { buildMenuTemplate } from './menu.js';
import { startRuntime, type AppRuntime } from './runtime.js';
import { hardenContents, hardenSession, hardenWindow, isAppUrl } from './security.js';
import { createHandlers } from './services.js';
import { LocalServiceController } from './handlers/local-service/controller.js';
import { createQuitGuard } from './shutdown.js';
import { packagedTrustDir, refreshTrust, trustFromSettings, type TrustSettingsOptions } from './trust-settings.js';
import { iconBitmap, refreshUnreadBadge, setBadgePresenter, trayMenuLabels, updateUnreadBadge, type UnreadBadge } from './tray.js';
import { captureWindowState, MIN_SIZE, restoreWindowState } from './window-state.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererDir = path.join(here, '../renderer');
// Only the renderer folder's pages are the app: another local HTML file (dropped, downloaded) is not.
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : pathToFileURL(`${rendererDir}${path.sep}`).href;

// First of all, so a failure while starting is on record too.
const logger = createLogger({ dir: path.join(app.getPath('userData'), 'logs') });
recordProcessFailures(logger);
// Received documents, registers and settings: only this user may read the data folder (older loose ones are tightened, on record).
setPrivacyNotice((vi, en) => {
  logger.warn('data-folder-tightened', { vi, en });
  process.stderr.write(`vanthu: ${vi}\n${en}\n`);
});
ensurePrivateDir(app.getPath('userData'));

let mainWindow: BrowserWindow | undefined;
let runtime: AppRuntime | undefined;
let settings: ElectronSettingsStore | undefined;
let tray: Tray | undefined;
let localService: LocalServiceController | undefined;
let trust: TrustStore | undefined;
/** "Dùng thử": while it is on, the runtime and handlers run on the demo's environment instead of the user's. */
let demo: DemoController | undefined;
let demoEnvironment: DemoEnvironment | undefined;
let dispatch: Dispatch | undefined;
const originalSofthsmConf = process.env.SOFTHSM2_CONF;
/** Set once the services run and the first window was asked for: before that, 'activate' and a second instance have nothing to show. */
let started = false;

const language = (): 'vi' | 'en' => settings?.get().language ?? 'vi';

function send<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): void {
  const checked = ipcEvents[event].parse(payload);
  mainWindow?.webContents.send(`${IPC_PREFIX}${event}`, checked);
}

/** The handlers on the runtime that runs now (the user's, or the demo's while it is on). */
function buildDispatch(): Dispatch {
  const environment = demoEnvironment;
  const handlers = createHandlers({
    version: app.getVersion(),
    userModulePaths: environment ? () => environment.modulePaths : () => settings?.get().tokenModules ?? [],
    onLoggedIn: () => runtime?.resumeAfterLogin(),
    runtime,
    settings: environment?.settings ?? settings,
    trust: environment?.trust ?? trust,
    ...(environment ? {} : { trustSources: trustOptions() }),
    emit: send,
    localService,
    demo,
  });
  // Only the error is logged, never the request: a login request carries the PIN.
  return createDispatcher(handlers, (error) => logger.error('ipc.handler_failed', { error }));
}

function registerIpc(): void {
  dispatch = buildDispatch();
  for (const channel of Object.keys(ipcChannels)) {
    ipcMain.handle(`${IPC_PREFIX}${channel}`, (event: IpcMainInvokeEvent, request: unknown) => {
      // Only our own page may call: a frame that navigated elsewhere gets nothing.
      const url = event.senderFrame?.url ?? '';
      if (!isAppUrl(url, appOrigin)) {
        logger.warn('ipc.foreign_sender', { channel });
        return { ok: false, error: { code: 'FORBIDDEN', messageVi: 'Không được phép.', messageEn: 'Not allowed.' } };
      }
      const answer = dispatch!(channel, request);
      // Registering, accepting or returning an incoming document changes what is still unread.
      if (channel.startsWith('inbox.')) void answer.finally(showUnreadCount);
      // Retrying, cancelling or resending a document needing attention changes the badge too.
      if (channel.startsWith('attention.')) void answer.finally(showUnreadCount);
      return answer;
    });
  }
}

function showMainWindow(): void {
  if (!started) return;
  if (!mainWindow) return void createWindow().catch((error: unknown) => logger.error('window.create_failed', { error }));
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** Saves the window's normal bounds and maximized flag, debounced while it moves and at once when it closes. */
function rememberWindowState(window: BrowserWindow): void {
  let timer: NodeJS.Timeout | undefined;
  const save = (): void => {
    clearTimeout(timer);
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return;
    settings?.saveWindowState(captureWindowState(window.getNormalBounds(), window.isMaximized()));
  };
  const later = (): void => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('maximize', later);
  window.on('unmaximize', later);
  window.on('close', save);
}

async function createWindow(): Promise<void> {
  const placed = restoreWindowState(
    settings?.windowState(),
    screen.getAllDisplays().map((display) => display.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  mainWindow = new BrowserWindow({
    x: placed.x,
    y: placed.y,
    width: placed.width,
    height: placed.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'vanthu',
    show: false,
    webPreferences: {
      // Reviewed (Electronegativity asks a person to look at every preload): it only exposes window.vanthu
      // through contextBridge, built from the IPC contract, in a sandbox with context isolation.
      preload: path.join(here, '../preload/index.cjs'), // eng-disable PRELOAD_JS_CHECK
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
      // A middle click must not open a link in a new window (new windows are denied anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const window = mainWindow;
  hardenWindow(window, appOrigin);
  rememberWindowState(window);
  window.once('ready-to-show', () => {
    // Maximized once there is something to show (maximize() would show the window early, blank).
    if (placed.maximized) window.maximize();
    window.show();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  refreshUnreadBadge();
  if (devServerUrl) await window.loadURL(devServerUrl);
  else await window.loadFile(path.join(rendererDir, 'index.html'));
}

async function showDiagnostics(): Promise<void> {
  const current = settings?.get();
  if (!current) return;
  const report = diagnosticsReport(
    {
      appVersion: app.getVersion(),
      versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
      platform: process.platform,
      arch: process.arch,
      osRelease: os.release(),
      userData: app.getPath('userData'),
      logFile: logger.file,
      settings: current,
      modules: await listModuleCandidates({ userPaths: current.tokenModules }),
      generatedAt: new Date(),
    },
    current.language,
  );
  const file = path.join(logger.dir, 'diagnostics.txt');
  writeFileSync(file, report);
  await openPath(file);
}

async function openPath(target: string): Promise<void> {
  const problem = await shell.openPath(target);
  if (problem) logger.warn('shell.open_failed', { target, problem });
}

function installMenu(): void {
  const template = buildMenuTemplate(
    { language: language(), platform: process.platform, appName: app.getName(), devTools: !app.isPackaged },
    {
      openLogFolder: () => void openPath(logger.dir),
      showDiagnostics: () => void showDiagnostics().catch((error: unknown) => logger.error('diagnostics.failed', { error })),
      showAbout: () => app.showAboutPanel(),
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

const bitmapImage = (size: number, dot: boolean): NativeImage => nativeImage.createFromBitmap(iconBitmap(size, { sheet: !dot, dot }), { width: size, height: size });

function installTray(): void {
  if (!tray) {
    tray = new Tray(bitmapImage(16, false));
    tray.on('click', showMainWindow);
  }
  const labels = trayMenuLabels(language());
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: labels.open, click: showMainWindow },
      { type: 'separator' },
      { label: labels.quit, click: () => app.quit() },
    ]),
  );
  const overlay = bitmapImage(16, true);
  setBadgePresenter((badge: UnreadBadge) => {
    tray?.setToolTip(badge.tooltip);
    if (process.platform === 'darwin') tray?.setTitle(badge.overlayText ?? '');
    // The dock (macOS) and Unity launchers (Linux) show a number; Windows shows an overlay on the taskbar button.
    if (process.platform === 'win32') mainWindow?.setOverlayIcon(badge.overlayText ? overlay : null, badge.overlayDescription);
    else app.setBadgeCount(badge.badgeCount);
  }, language);
}

/** Bundled roots from the packaged resources (or the repository in development); a broken extra root file is logged, not fatal. */
const trustOptions = (): TrustSettingsOptions => ({
  ...(app.isPackaged ? { bundledDir: packagedTrustDir(process.resourcesPath) } : {}),
  onBadFile: (file, error) => logger.warn('trust.extra_root_unreadable', { file, error }),
});

/** Store (migrations run on open), outbox worker and token watcher, all closed together on quit. */
async function startServices(): Promise<void> {
  settings = new ElectronSettingsStore();
  trust = await trustFromSettings(settings.get(), trustOptions());
  const known = (await listModuleCandidates({ userPaths: settings.get().tokenModules })).filter((c) => c.present).map((c) => c.path);
  runtime = await startRuntime({
    dataDir: app.getPath('userData'),
    trust,
    modulePaths: known,
    settings: settings.get(),
    onTokenEvent: (event) => send('tokens.changed', event),
  });
  watchRuntime(runtime);
  showUnreadCount();
  // A refused send raises no event of its own: the badge looks again now and then (one indexed count).
  setInterval(showUnreadCount, 15_000).unref();
  demo = new DemoController({
    dataDir: app.getPath('userData'),
    onError: (error) => logger.warn('demo.robot_failed', { error }),
    switchTo: switchRuntime,
  });
  // The signing service for web e-office pages: off until the user turns it on in Settings.
  localService = new LocalServiceController({
    settings,
    trust,
    emit: send,
    log: (entry) => logger.info('local_service.request', { ...entry }),
    tlsDir: path.join(app.getPath('userData'), 'local-service', 'tls'),
    keptDir: path.join(app.getPath('documents'), 'vanthu', 'da-ky-tu-trang-web'),
    version: `vanthu ${app.getVersion()}`,
    openSettings: async () => showMainWindow(),
    store: () => runtime?.store,
    ownOrganId: () => runtime?.exchange.state().agency?.organId,
    onRecordError: (error) => logger.error('local_service.record_failed', { error }),
    onRecordWarning: (warning) => logger.warn('local_service.record_warning', { ...warning }),
  });
  await localService.apply();
}

function watchRuntime(running: AppRuntime): void {
  running.watcher.on('error', (error) => logger.warn('token.watcher_error', { error }));
  running.exchange.on('event', (event: { name: string }) => {
    if (event.name === 'inbox.arrived') showUnreadCount();
  });
}

/** Closes the running runtime (SoftHSM finalized) and starts one on the demo's environment, or back on the user's; the handlers follow. */
async function switchRuntime(environment: DemoEnvironment | undefined): Promise<void> {
  const closing = runtime;
  runtime = undefined;
  await closing?.close();
  demoEnvironment = environment;
  useSofthsmConf(environment?.softhsmConf, originalSofthsmConf);
  const real = settings!;
  runtime = environment
    ? await startRuntime({ dataDir: environment.dataDir, trust: environment.trust, modulePaths: environment.modulePaths, settings: environment.settings.get(), onTokenEvent: (event) => send('tokens.changed', event) })
    : await startRuntime({
        dataDir: app.getPath('userData'),
        trust,
        modulePaths: (await listModuleCandidates({ userPaths: real.get().tokenModules })).filter((c) => c.present).map((c) => c.path),
        settings: real.get(),
        onTokenEvent: (event) => send('tokens.changed', event),
      });
  watchRuntime(runtime);
  dispatch = buildDispatch();
  showUnreadCount();
}

/** The tray badge counts incoming documents nobody has answered yet (arrived or registered), and outgoing ones needing attention. */
function showUnreadCount(): void {
  if (!runtime) return;
  updateUnreadBadge(countInStates(runtime.store.db, 'incoming', AWAITING_ANSWER), countInStates(runtime.store.db, 'outgoing', ['needs_attention']));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showMainWindow);
  app.on('activate', showMainWindow);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, appOrigin));
  app.on('render-process-gone', (_event, contents, details) => logger.error('renderer.gone', { reason: details.reason, exitCode: details.exitCode, url: contents.getURL() }));
  app.on('child-process-gone', (_event, details) =>
    logger.error('child_process.gone', { type: details.type, reason: details.reason, exitCode: details.exitCode, name: details.name, serviceName: details.serviceName }),
  );
  app.on('window-all-closed', () => app.quit());
  // C_Finalize and the database close are awaited before the process exits.
  app.on(
    'will-quit',
    createQuitGuard({
      close: async () => {
        const closing = runtime;
        runtime = undefined;
        await localService?.stop();
        await demo?.close();
        setBadgePresenter(undefined);
        tray?.destroy();
        tray = undefined;
        await closing?.close();
        logger.info('app.quit');
      },
      quit: () => app.quit(),
      onError: (error) => logger.error('app.close_failed', { error }),
    }),
  );
  void app
    .whenReady()
    .then(async () => {
      logger.info('app.start', { version: app.getVersion(), electron: process.versions.electron, platform: process.platform });
      app.setAboutPanelOptions({ applicationName: 'vanthu', applicationVersion: app.getVersion() });
      hardenSession(session.defaultSession);
      await startServices();
      // After the services: the handlers get the runtime, settings and trust roots they work with.
      registerIpc();
      // The demo was on when the app last closed: it comes back on.
      if (demo?.wasActive()) await demo.start().catch((error: unknown) => logger.error('demo.start_failed', { error }));
      installMenu();
      installTray();
      settings?.onChange((next) => {
        // The trust store is shared by reference with the runtime and handlers: refresh it in place.
        if (trust) void refreshTrust(trust, next, trustOptions()).catch((error: unknown) => logger.warn('trust.refresh_failed', { error }));
        installMenu();
        installTray();
        refreshUnreadBadge();
      });
      started = true;
      await createWindow();
    })
    .catch((error: unknown) => {
      logger.error('app.start_failed', { error });
      app.quit();
    });
}
