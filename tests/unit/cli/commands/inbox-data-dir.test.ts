// `vanthu inbox` without --data stores where the desktop app opens its store (Electron's userData for "vanthu"), per platform.
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../../../src/cli/commands/inbox-data-dir.js';

describe('default inbox data folder', () => {
  it("is the app's userData folder on each platform", () => {
    expect(defaultDataDir({}, 'linux', '/home/vanthu')).toBe('/home/vanthu/.config/vanthu');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/srv/cfg' }, 'linux', '/home/vanthu')).toBe('/srv/cfg/vanthu');
    expect(defaultDataDir({}, 'darwin', '/Users/vanthu')).toBe('/Users/vanthu/Library/Application Support/vanthu');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\vt\\AppData\\Roaming' }, 'win32', 'C:\\Users\\vt')).toBe('C:\\Users\\vt\\AppData\\Roaming\\vanthu');
  });

  it('honours VANTHU_DATA_DIR over the platform default', () => {
    expect(defaultDataDir({ VANTHU_DATA_DIR: '/data/profile-2', XDG_CONFIG_HOME: '/srv/cfg' }, 'linux', '/home/vanthu')).toBe('/data/profile-2');
  });
});
