import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, type MenuActions, type MenuOptions } from '../../../src/main/menu.js';

// The application menu template: File/Edit/View/Window/Help, Vietnamese by default and English on request, with the log folder and diagnostics items.
const actions = () => ({ openLogFolder: vi.fn<() => void>(), showDiagnostics: vi.fn<() => void>(), showAbout: vi.fn<() => void>() }) satisfies MenuActions;
const options = (over: Partial<MenuOptions> = {}): MenuOptions => ({ language: 'vi', platform: 'win32', appName: 'vanthu', devTools: false, ...over });

function walk(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? walk(item.submenu) : [])]);
}
const byId = (items: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | undefined => walk(items).find((item) => item.id === id);
const click = (item: MenuItemConstructorOptions | undefined): void => (item?.click as (() => void) | undefined)?.();

describe('application menu', () => {
  it('has File, Edit, View, Window, Help in Vietnamese by default', () => {
    expect(buildMenuTemplate(options(), actions()).map((m) => m.label)).toEqual(['Tệp', 'Sửa', 'Xem', 'Cửa sổ', 'Trợ giúp']);
  });

  it('switches every label to English when the language setting is en', () => {
    const en = buildMenuTemplate(options({ language: 'en' }), actions());
    expect(en.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    const vi = buildMenuTemplate(options(), actions());
    const labels = (items: MenuItemConstructorOptions[]) => walk(items).filter((i) => i.type !== 'separator').map((i) => i.label);
    // Same shape, and no Vietnamese label left over in English (each item translated).
    expect(labels(en)).toHaveLength(labels(vi).length);
    labels(en).forEach((label, index) => expect(label).not.toBe(labels(vi)[index]));
  });

  it('labels every item (roles would otherwise fall back to Electron English)', () => {
    for (const language of ['vi', 'en'] as const) {
      for (const platform of ['win32', 'darwin', 'linux'] as const) {
        for (const item of walk(buildMenuTemplate(options({ language, platform, devTools: true }), actions()))) {
          if (item.type !== 'separator') expect(item.label, JSON.stringify(item.role ?? item.id)).toMatch(/\S/);
        }
      }
    }
  });

  it('opens the error log folder and the diagnostics from File and from Help', () => {
    const a = actions();
    const template = buildMenuTemplate(options(), a);
    expect(byId(template, 'open-log-folder')?.label).toBe('Mở thư mục nhật ký lỗi');
    expect(byId(template, 'diagnostics')?.label).toBe('Thông tin chẩn đoán');
    click(byId(template, 'open-log-folder'));
    click(byId(template, 'help-open-log-folder'));
    click(byId(template, 'help-diagnostics'));
    expect(a.openLogFolder).toHaveBeenCalledTimes(2);
    expect(a.showDiagnostics).toHaveBeenCalledTimes(1);
    const ids = walk(template).map((i) => i.id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('follows macOS conventions there: an application menu with About and Quit, Close in File', () => {
    const a = actions();
    const mac = buildMenuTemplate(options({ platform: 'darwin', language: 'en' }), a);
    expect(mac[0]!.label).toBe('vanthu');
    const appItems = mac[0]!.submenu as MenuItemConstructorOptions[];
    expect(appItems.map((i) => i.role ?? i.id).filter(Boolean)).toEqual(['about', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect((mac[1]!.submenu as MenuItemConstructorOptions[]).some((i) => i.role === 'close')).toBe(true);
    click(byId(mac, 'about'));
    expect(a.showAbout).toHaveBeenCalledOnce();
    const win = buildMenuTemplate(options(), actions());
    expect(walk(win).filter((i) => i.role === 'quit').map((i) => i.label)).toEqual(['Thoát']);
  });

  it('offers developer tools only in development builds', () => {
    const hasDevTools = (devTools: boolean) => walk(buildMenuTemplate(options({ devTools }), actions())).some((i) => i.role === 'toggleDevTools');
    expect(hasDevTools(false)).toBe(false);
    expect(hasDevTools(true)).toBe(true);
  });
});
