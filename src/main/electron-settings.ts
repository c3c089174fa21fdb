// The settings store the desktop app uses: electron-store's file in the user data folder, behind core's SettingsStore interface.
import ElectronStore from 'electron-store';
import { PRIVATE_FILE_MODE } from '../core/fs/private-dir.js';
import type { SettingsStore } from '../core/store/settings.js';
import { VanthuError } from '../shared/errors.js';
import { defaultSettings, settingsPatchSchema, settingsSchema, type Settings, type SettingsPatch } from '../shared/settings.js';
import { parseWindowState, type WindowState } from './window-state.js';

export class ElectronSettingsStore implements SettingsStore {
  // windowState sits beside the settings, not in them: it is the shell's, and the renderer has no business setting it.
  private readonly file = new ElectronStore<{ settings: Settings; windowState?: unknown }>({ name: 'settings', defaults: { settings: defaultSettings }, configFileMode: PRIVATE_FILE_MODE });

  get(): Settings {
    // A file edited by hand into something invalid falls back to the defaults rather than breaking start-up.
    const parsed = settingsSchema.safeParse(this.file.get('settings'));
    return parsed.success ? parsed.data : defaultSettings;
  }

  set(patch: SettingsPatch): Settings {
    const checkedPatch = settingsPatchSchema.safeParse(patch);
    const next = checkedPatch.success ? settingsSchema.safeParse({ ...this.get(), ...checkedPatch.data }) : checkedPatch;
    if (!next.success) {
      // Field paths only: a value (whatever was typed) is not echoed.
      throw new VanthuError('BAD_INPUT', { detail: next.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ') });
    }
    this.file.set('settings', next.data as Settings);
    return next.data as Settings;
  }

  /** Calls back after every change of the settings (the menu and the tray follow the language). */
  onChange(listener: (settings: Settings) => void): () => void {
    return this.file.onDidChange('settings', () => listener(this.get()));
  }

  /** The window geometry saved at the last close, or undefined when none was or it is unreadable. */
  windowState(): WindowState | undefined {
    return parseWindowState(this.file.get('windowState'));
  }

  saveWindowState(state: WindowState): void {
    this.file.set('windowState', state);
  }
}
