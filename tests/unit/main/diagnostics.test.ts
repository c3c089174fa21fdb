import { describe, expect, it } from 'vitest';
import { diagnosticsReport, withoutCredentials, type DiagnosticsInfo } from '../../../src/main/diagnostics.js';
import { defaultSettings } from '../../../src/shared/settings.js';

// The diagnostics report from the Help menu: what support needs, in the user's language, with no credentials.
const info = (over: Partial<DiagnosticsInfo> = {}): DiagnosticsInfo => ({
  appVersion: '0.1.0',
  versions: { electron: '45.4.1', chrome: '140.0', node: '22.0.0' },
  platform: 'win32',
  arch: 'x64',
  osRelease: '10.0.22631',
  userData: 'C:\\Users\\a\\AppData\\Roaming\\vanthu',
  logFile: 'C:\\Users\\a\\AppData\\Roaming\\vanthu\\logs\\vanthu.log',
  settings: { ...defaultSettings, serverUrl: 'https://clerk:secret@exchange.example.vn/api', tsaUrl: null },
  modules: [
    { vendor: 'Viettel-CA', path: 'C:\\Windows\\System32\\viettel-ca_v5.dll', present: true, userAdded: false },
    { vendor: 'custom', path: 'D:\\drivers\\token.dll', present: false, userAdded: true },
  ],
  generatedAt: new Date('2026-03-04T05:06:07.000Z'),
  ...over,
});

describe('diagnostics report', () => {
  it('lists versions, folders and token modules in Vietnamese', () => {
    const text = diagnosticsReport(info(), 'vi');
    expect(text).toContain('Thông tin chẩn đoán vanthu — 2026-03-04T05:06:07.000Z');
    expect(text).toContain('Phiên bản: 0.1.0 (Electron 45.4.1, Chromium 140.0, Node 22.0.0)');
    expect(text).toContain('Nhật ký lỗi: C:\\Users\\a\\AppData\\Roaming\\vanthu\\logs\\vanthu.log');
    expect(text).toContain('Viettel-CA: C:\\Windows\\System32\\viettel-ca_v5.dll — có trên máy: có');
    expect(text).toContain('custom: D:\\drivers\\token.dll — có trên máy: không (người dùng thêm)');
  });

  it('speaks English when asked, and says when no module was found', () => {
    const text = diagnosticsReport(info({ modules: [] }), 'en');
    expect(text).toContain('vanthu diagnostics');
    expect(text).toContain('PKCS#11 token modules:\n  (none found)');
    expect(text).toContain('Timestamp server (TSA): -');
  });

  it('never shows a user name or password typed into a server address', () => {
    const text = diagnosticsReport(info(), 'en');
    expect(text).not.toContain('secret');
    expect(text).not.toContain('clerk');
    expect(text).toContain('Exchange server: https://exchange.example.vn/api');
    expect(withoutCredentials('not a url')).toBe('(invalid URL)');
  });
});
