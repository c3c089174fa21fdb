// Settings behind a small interface: a JSON file implementation for the CLI and tests (electron-store can implement it in main).
import { closeSync, existsSync, fsyncSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { VanthuError } from '../../shared/errors.js';
import { mkdirPrivate, openPrivate } from '../fs/private-dir.js';
import { defaultSettings, settingsPatchSchema, settingsSchema, type Settings, type SettingsPatch } from '../../shared/settings.js';

export interface SettingsStore {
  get(): Settings;
  /** Validates and saves the changed keys; returns the whole settings after the change. */
  set(patch: SettingsPatch): Settings;
}

export interface SettingsLoadProblem {
  /** Where the unreadable file was moved so the user can look at it. */
  keptAs: string;
  detail: string;
}

export class JsonFileSettingsStore implements SettingsStore {
  private current: Settings;
  /** Set when the file could not be read and defaults are in use. */
  readonly loadProblem: SettingsLoadProblem | undefined;

  constructor(readonly file: string) {
    const loaded = load(file);
    this.current = loaded.settings;
    this.loadProblem = loaded.problem;
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  set(patch: SettingsPatch): Settings {
    const parsed = settingsPatchSchema.safeParse(patch);
    if (!parsed.success) {
      throw new VanthuError('STORE_SETTINGS_INVALID', { detail: parsed.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`).join('; ') });
    }
    const next = settingsSchema.parse({ ...this.current, ...stripUndefined(parsed.data) });
    writeAtomically(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.current = next;
    return this.get();
  }
}

const stripUndefined = (patch: SettingsPatch): SettingsPatch => Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));

function load(file: string): { settings: Settings; problem?: SettingsLoadProblem } {
  if (!existsSync(file)) return { settings: { ...defaultSettings } };
  let detail: string;
  try {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
    // Keys added by a later version are dropped field by field rather than losing the whole file; the optional
    // ones of this version (the exchange login, the signing level…) are kept, not only those with a default.
    const known = typeof raw === 'object' && raw !== null ? Object.fromEntries(Object.entries(raw).filter(([k]) => k in settingsSchema.shape)) : raw;
    const parsed = settingsSchema.safeParse({ ...defaultSettings, ...(typeof known === 'object' ? known : {}) });
    if (parsed.success && typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return { settings: parsed.data };
    detail = parsed.success ? 'not a JSON object' : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  } catch (error) {
    detail = error instanceof Error ? error.message : String(error);
  }
  // The app must start even with a damaged file; keep it aside rather than overwrite it.
  const keptAs = `${file}.unreadable-${Date.now()}`;
  renameSync(file, keptAs);
  return { settings: { ...defaultSettings }, problem: { keptAs, detail } };
}

function writeAtomically(file: string, text: string): void {
  mkdirPrivate(path.dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openPrivate(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
