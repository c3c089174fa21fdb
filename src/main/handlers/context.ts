// What every feature's IPC handlers are built from: the service options, the app runtime when one runs, and an event sender.
import type { SettingsStore } from '../../core/store/index.js';
import type { TrustStore } from '../../core/trust/index.js';
import type { IpcChannel, IpcEventName, IpcEventPayload } from '../../shared/ipc-contract.js';
import type { IpcHandlers } from '../ipc/dispatcher.js';
import type { AppRuntime } from '../runtime.js';
import type { TrustSettingsOptions } from '../trust-settings.js';
import type { LocalServiceController } from './local-service/controller.js';
import type { DemoController } from '../demo/controller.js';

export interface ServiceOptions {
  version: string;
  /** Module paths the user added in settings. */
  userModulePaths: () => readonly string[];
  /** Called after a successful login, so outbox jobs waiting for it run again. */
  onLoggedIn?: () => void;
  /** The store, outbox worker and token watcher; absent where only token pages run (the bare preview). */
  runtime?: AppRuntime;
  /** The user's settings (electron-store in the app, a JSON file in tests and the preview). */
  settings?: SettingsStore;
  /** Trust roots for checking certificates and signatures (bundled + the user's). */
  trust?: TrustStore;
  /** Where the bundled roots are and who hears of an unreadable extra root, for rebuilding `trust` after a change. */
  trustSources?: TrustSettingsOptions;
  /** Pushes an event to the renderer (Electron's webContents.send, or the browser harness). */
  emit?: <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => void;
  /** The signing service for web pages (absent in the bare preview). */
  localService?: LocalServiceController;
  /** "Dùng thử": the demo on a fresh machine (absent where the app cannot switch runtimes, e.g. the test harness). */
  demo?: DemoController;
}

export interface ServiceContext {
  options: ServiceOptions;
}

/** The handlers of one feature's channels. */
export type FeatureHandlers<C extends IpcChannel> = Pick<IpcHandlers, C>;
