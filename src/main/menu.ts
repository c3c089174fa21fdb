// The application menu as data: File/Edit/View/Window/Help in Vietnamese (or English), built without Electron so it can be tested.
import type { MenuItemConstructorOptions } from 'electron';

export type MenuLanguage = 'vi' | 'en';

export interface MenuActions {
  openLogFolder(): void;
  showDiagnostics(): void;
  showAbout(): void;
}

export interface MenuOptions {
  language: MenuLanguage;
  platform: NodeJS.Platform;
  appName: string;
  /** Developer tools only in development builds: a packaged app gives the renderer no extra door. */
  devTools: boolean;
}

const LABELS = {
  vi: {
    file: 'Tệp',
    edit: 'Sửa',
    view: 'Xem',
    window: 'Cửa sổ',
    help: 'Trợ giúp',
    openLogFolder: 'Mở thư mục nhật ký lỗi',
    diagnostics: 'Thông tin chẩn đoán',
    about: 'Giới thiệu {app}',
    quit: 'Thoát',
    undo: 'Hoàn tác',
    redo: 'Làm lại',
    cut: 'Cắt',
    copy: 'Sao chép',
    paste: 'Dán',
    selectAll: 'Chọn tất cả',
    resetZoom: 'Cỡ thật',
    zoomIn: 'Phóng to',
    zoomOut: 'Thu nhỏ',
    fullScreen: 'Toàn màn hình',
    devTools: 'Công cụ phát triển',
    minimize: 'Thu nhỏ cửa sổ',
    zoom: 'Phóng to cửa sổ',
    close: 'Đóng cửa sổ',
    front: 'Đưa tất cả lên trước',
    hide: 'Ẩn {app}',
    hideOthers: 'Ẩn các ứng dụng khác',
    unhide: 'Hiện tất cả',
  },
  en: {
    file: 'File',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    openLogFolder: 'Open error log folder',
    diagnostics: 'Diagnostics',
    about: 'About {app}',
    quit: 'Quit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    resetZoom: 'Actual Size',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    fullScreen: 'Toggle Full Screen',
    devTools: 'Developer Tools',
    minimize: 'Minimize',
    zoom: 'Zoom',
    close: 'Close Window',
    front: 'Bring All to Front',
    hide: 'Hide {app}',
    hideOthers: 'Hide Others',
    unhide: 'Show All',
  },
} as const satisfies Record<MenuLanguage, Record<string, string>>;

export type MenuLabelKey = keyof (typeof LABELS)['vi'];

export function menuLabel(language: MenuLanguage, key: MenuLabelKey, appName = 'vanthu'): string {
  return LABELS[language][key].replace('{app}', appName);
}

const separator: MenuItemConstructorOptions = { type: 'separator' };

export function buildMenuTemplate(options: MenuOptions, actions: MenuActions): MenuItemConstructorOptions[] {
  const t = (key: MenuLabelKey): string => menuLabel(options.language, key, options.appName);
  const mac = options.platform === 'darwin';
  const openLogs: MenuItemConstructorOptions = { id: 'open-log-folder', label: t('openLogFolder'), click: () => actions.openLogFolder() };
  const diagnostics: MenuItemConstructorOptions = { id: 'diagnostics', label: t('diagnostics'), click: () => actions.showDiagnostics() };
  const about: MenuItemConstructorOptions = { id: 'about', label: t('about'), click: () => actions.showAbout() };

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    // macOS puts About, Hide and Quit under the application's own menu.
    template.push({
      label: options.appName,
      submenu: [about, separator, { role: 'hide', label: t('hide') }, { role: 'hideOthers', label: t('hideOthers') }, { role: 'unhide', label: t('unhide') }, separator, { role: 'quit', label: t('quit') }],
    });
  }
  template.push(
    { id: 'file', label: t('file'), submenu: [openLogs, diagnostics, separator, mac ? { role: 'close', label: t('close') } : { role: 'quit', label: t('quit') }] },
    {
      id: 'edit',
      label: t('edit'),
      submenu: [
        { role: 'undo', label: t('undo') },
        { role: 'redo', label: t('redo') },
        separator,
        { role: 'cut', label: t('cut') },
        { role: 'copy', label: t('copy') },
        { role: 'paste', label: t('paste') },
        { role: 'selectAll', label: t('selectAll') },
      ],
    },
    {
      id: 'view',
      label: t('view'),
      submenu: [
        { role: 'resetZoom', label: t('resetZoom') },
        { role: 'zoomIn', label: t('zoomIn') },
        { role: 'zoomOut', label: t('zoomOut') },
        separator,
        { role: 'togglefullscreen', label: t('fullScreen') },
        ...(options.devTools ? [separator, { role: 'toggleDevTools', label: t('devTools') } as const] : []),
      ],
    },
    {
      id: 'window',
      label: t('window'),
      submenu: [
        { role: 'minimize', label: t('minimize') },
        ...(mac ? [{ role: 'zoom', label: t('zoom') } as const, separator, { role: 'front', label: t('front') } as const] : [{ role: 'close', label: t('close') } as const]),
      ],
    },
    {
      id: 'help',
      label: t('help'),
      role: 'help',
      // The same two actions again where people look for them; distinct ids keep getMenuItemById unambiguous.
      submenu: [{ ...diagnostics, id: 'help-diagnostics' }, { ...openLogs, id: 'help-open-log-folder' }, ...(mac ? [] : [separator, about])],
    },
  );
  return template;
}
