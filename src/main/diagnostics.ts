// The diagnostics report the Help menu writes for support: versions, system, folders, token modules, settings without secrets.
import type { ModuleCandidate } from '../core/token/index.js';
import type { Settings } from '../shared/settings.js';

export interface DiagnosticsInfo {
  appVersion: string;
  versions: { electron?: string; chrome?: string; node?: string };
  platform: string;
  arch: string;
  osRelease: string;
  userData: string;
  logFile: string;
  settings: Settings;
  modules: readonly ModuleCandidate[];
  generatedAt: Date;
}

/** A URL without any user:password part (someone may have typed one into the server field). */
export function withoutCredentials(url: string | null): string {
  if (!url) return '-';
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

export function diagnosticsReport(info: DiagnosticsInfo, language: 'vi' | 'en'): string {
  const vi = language === 'vi';
  const yes = vi ? 'có' : 'yes';
  const no = vi ? 'không' : 'no';
  const lines = [
    vi ? `Thông tin chẩn đoán vanthu — ${info.generatedAt.toISOString()}` : `vanthu diagnostics — ${info.generatedAt.toISOString()}`,
    '',
    `${vi ? 'Phiên bản' : 'Version'}: ${info.appVersion} (Electron ${info.versions.electron ?? '?'}, Chromium ${info.versions.chrome ?? '?'}, Node ${info.versions.node ?? '?'})`,
    `${vi ? 'Hệ điều hành' : 'System'}: ${info.platform} ${info.arch} ${info.osRelease}`,
    `${vi ? 'Thư mục dữ liệu' : 'Data folder'}: ${info.userData}`,
    `${vi ? 'Nhật ký lỗi' : 'Error log'}: ${info.logFile}`,
    '',
    `${vi ? 'Máy chủ trao đổi' : 'Exchange server'}: ${withoutCredentials(info.settings.serverUrl)}`,
    `${vi ? 'Máy chủ dấu thời gian (TSA)' : 'Timestamp server (TSA)'}: ${withoutCredentials(info.settings.tsaUrl)}`,
    `${vi ? 'Ngôn ngữ' : 'Language'}: ${info.settings.language}`,
    '',
    vi ? 'Thư viện PKCS#11 (token):' : 'PKCS#11 token modules:',
    ...(info.modules.length === 0
      ? [vi ? '  (không tìm thấy)' : '  (none found)']
      : info.modules.map((m) => `  ${m.vendor}: ${m.path} — ${vi ? 'có trên máy' : 'installed'}: ${m.present ? yes : no}${m.userAdded ? (vi ? ' (người dùng thêm)' : ' (added by the user)') : ''}`)),
    '',
  ];
  return lines.join('\n');
}
