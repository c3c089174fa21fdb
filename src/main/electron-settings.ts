// The settings store the desktop app uses: electron-store's file in the user data folder, behind core's SettingsStore interface.
import ElectronStore from 'electron-store';
import type { SettingsStore } from '../core/store/settings.js';
import { VanthuError } from '../shared/errors.js';
import { defaultSettings, settingsPatchSchema, settingsSchema, type Settings, type SettingsPatch } from '../shared/settings.js';

export class ElectronSettingsStore implements SettingsStore {
  private readonly file = new ElectronStore<{ settings: Settings }>({ name: 'settings', defaults: { settings: defaultSettings } });

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
}
