// Locks the renderer down: no navigation, no new windows, no webviews, no permissions, a strict CSP.
import type { BrowserWindow, Session, WebContents } from 'electron';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** A file URL's path, decoded and lower-cased: Chromium and Node may spell the same file differently (%20, a drive letter's case). */
const filePath = (url: URL): string => decodeURIComponent(url.pathname).toLowerCase();

/**
 * Whether a URL is the app's own page. `appOrigin` is the dev server's origin in development; in
 * production the file URL of the renderer folder, so that only its pages count (a dropped or
 * downloaded HTML file elsewhere on disk is not the app and may not call IPC). Bare 'file://'
 * accepts any file URL (kept for callers that do not know the folder).
 */
export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    const parsed = new URL(url);
    if (appOrigin === 'file://') return parsed.protocol === 'file:';
    if (appOrigin.startsWith('file:')) {
      const folder = new URL(appOrigin.endsWith('/') ? appOrigin : `${appOrigin}/`);
      return parsed.protocol === 'file:' && parsed.host === folder.host && filePath(parsed).startsWith(filePath(folder));
    }
    return parsed.origin === appOrigin;
  } catch {
    return false;
  }
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

export function hardenWindow(window: BrowserWindow, appOrigin: string): void {
  hardenContents(window.webContents, appOrigin);
}

/** Applied to every web contents the app creates (app 'web-contents-created'), not only the main window's. */
export function hardenContents(contents: WebContents, appOrigin: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, appOrigin)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
