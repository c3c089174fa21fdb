// The app's trust store from the user's settings: bundled roots minus the disabled ones, plus extra root files; refreshed in place when settings change.
import path from 'node:path';
import { trustStoreFrom, type TrustStore } from '../core/trust/index.js';
import type { Settings } from '../shared/settings.js';

export interface TrustSettingsOptions {
  /** The bundled resources/trust directory (a packaged app's lies outside the asar archive). */
  bundledDir?: string;
  /** Told about an extra root file that cannot be read; the others are still trusted. */
  onBadFile?: (file: string, error: unknown) => void;
}

/** Where a packaged app keeps resources/trust: unpacked beside app.asar (electron-builder asarUnpack). */
export const packagedTrustDir = (resourcesPath: string): string => path.join(resourcesPath, 'app.asar.unpacked', 'resources', 'trust');

/** The trust store the settings ask for; a broken extra file is reported and skipped, never fatal. */
export async function trustFromSettings(settings: Pick<Settings, 'extraTrustRoots' | 'disabledBundledRoots'>, options: TrustSettingsOptions = {}): Promise<TrustStore> {
  const extra: Uint8Array[] = [];
  for (const file of settings.extraTrustRoots ?? []) {
    try {
      extra.push(...(await trustStoreFrom({ pemOrDerFiles: [file] })).roots);
    } catch (error) {
      options.onBadFile?.(file, error);
    }
  }
  return trustStoreFrom({ includeBundled: true, bundledDir: options.bundledDir, disabledBundled: settings.disabledBundledRoots ?? [], roots: extra });
}

/** Rebuilds `target` in place, so the runtime, outbox and handlers holding it see the new roots at once. */
export async function refreshTrust(target: TrustStore, settings: Pick<Settings, 'extraTrustRoots' | 'disabledBundledRoots'>, options: TrustSettingsOptions = {}): Promise<void> {
  const next = await trustFromSettings(settings, options);
  target.roots = next.roots;
  target.provisional = next.provisional;
  target.intermediates = next.intermediates;
}
