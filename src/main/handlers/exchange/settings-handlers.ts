// settings.get / settings.set: the user's settings as the screen shows them, signature and seal images checked for transparency and saved into the data dir.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../../../core/fs/private-dir.js';
import { VanthuError } from '../../../shared/errors.js';
import type { SettingsView } from '../../../shared/ipc/exchange.js';
import { settingsOrDefault, type Settings, type SettingsPatch } from '../../../shared/settings.js';
import type { ServiceContext } from '../context.js';
import { checkTransparency } from './png-alpha.js';

export interface SettingsRequest extends Omit<SettingsPatch, 'signatureImagePath' | 'sealImagePath'> {
  signatureImage?: string | null;
  sealImage?: string | null;
}

function imageView(file: string | null): SettingsView['signatureImage'] {
  if (!file || !existsSync(file)) return null;
  return { path: file, pngBase64: readFileSync(file).toString('base64') };
}

export function settingsView(settings: Settings): SettingsView {
  const s = settingsOrDefault(settings);
  return {
    serverUrl: s.serverUrl,
    tsaUrl: s.tsaUrl,
    tokenModules: s.tokenModules,
    language: s.language,
    exchangeLogin: s.exchangeLogin,
    receiptConfirmation: s.receiptConfirmation,
    defaultLevel: s.defaultLevel,
    signatureImage: imageView(s.signatureImagePath),
    sealImage: imageView(s.sealImagePath),
    ...(s.draftDefaults ? { draftDefaults: s.draftDefaults } : {}),
  };
}

/** Checks the PNG (transparent background) and writes it atomically into <dataDir>/images/. */
function saveImage(dataDir: string, kind: 'signature' | 'seal', base64: string): string {
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  const verdict = checkTransparency(bytes);
  if (!verdict.ok) throw new VanthuError('PDF_IMAGE_INVALID', { detail: verdict.reasonEn, detailVi: verdict.reasonVi, detailEn: verdict.reasonEn });
  const dir = path.join(dataDir, 'images');
  mkdirPrivate(dir);
  const file = path.join(dir, `${kind}.png`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes, { mode: PRIVATE_FILE_MODE });
  renameSync(tmp, file);
  return file;
}

export function settingsHandlers(context: ServiceContext) {
  const { options } = context;
  const store = () => {
    if (!options.settings) throw new VanthuError('BAD_INPUT', { detail: 'cài đặt không có ở chế độ này / settings are not available here' });
    return options.settings;
  };
  return {
    'settings.get': async () => settingsView(store().get()),
    'settings.set': async (request: SettingsRequest) => {
      const { signatureImage, sealImage, ...rest } = request;
      const patch: SettingsPatch = { ...rest };
      if (signatureImage !== undefined || sealImage !== undefined) {
        const dataDir = options.runtime?.store.dataDir;
        if (!dataDir) throw new VanthuError('BAD_INPUT', { detail: 'chưa mở kho dữ liệu / no data folder open' });
        // Both images are checked before anything is saved: one refused image changes nothing.
        if (signatureImage) checkOrThrow(signatureImage);
        if (sealImage) checkOrThrow(sealImage);
        if (signatureImage !== undefined) patch.signatureImagePath = signatureImage === null ? null : saveImage(dataDir, 'signature', signatureImage);
        if (sealImage !== undefined) patch.sealImagePath = sealImage === null ? null : saveImage(dataDir, 'seal', sealImage);
      }
      const next = store().set(patch);
      await options.runtime?.exchange.configure(next);
      return settingsView(next);
    },
  };
}

function checkOrThrow(base64: string): void {
  const verdict = checkTransparency(new Uint8Array(Buffer.from(base64, 'base64')));
  if (!verdict.ok) throw new VanthuError('PDF_IMAGE_INVALID', { detail: verdict.reasonEn, detailVi: verdict.reasonVi, detailEn: verdict.reasonEn });
}
