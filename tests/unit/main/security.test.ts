import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, hardenContents, hardenSession, isAppUrl } from '../../../src/main/security.js';

// The renderer lock-down, driven through stand-ins for Electron's WebContents and Session: what is refused and what is let through.
const rendererDir = pathToFileURL('/opt/vanthu/resources/app.asar/out/renderer/').href;

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  /** Emits like Electron: returns whether a listener called preventDefault. */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    const e = { preventDefault: () => (prevented = true), url: args[0] };
    this.emit(event, e, ...args);
    return prevented;
  }
}

describe('renderer lock-down', () => {
  it('counts only the renderer folder (or the dev server) as the app', () => {
    expect(isAppUrl(`${rendererDir}index.html#/documents`, rendererDir)).toBe(true);
    expect(isAppUrl('file:///opt/vanthu/resources/app.asar/out/renderer/assets/x.js', rendererDir.slice(0, -1))).toBe(true);
    // A local HTML file elsewhere (dropped on the window, downloaded) is not the app.
    expect(isAppUrl('file:///home/clerk/Downloads/evil.html', rendererDir)).toBe(false);
    expect(isAppUrl('file:///opt/vanthu/resources/app.asar/out/renderer-evil/index.html', rendererDir)).toBe(false);
    expect(isAppUrl('file:///opt/vanthu/resources/app.asar/out/renderer/../../../../home/evil.html', rendererDir)).toBe(false);
    expect(isAppUrl('file://otherhost/opt/vanthu/resources/app.asar/out/renderer/index.html', rendererDir)).toBe(false);
    expect(isAppUrl('https://evil.example/opt/vanthu/resources/app.asar/out/renderer/index.html', rendererDir)).toBe(false);
    // Windows spellings of the same folder: drive letter case and %20.
    const win = 'file:///C:/Program%20Files/vanthu/resources/app.asar/out/renderer/';
    expect(isAppUrl('file:///c:/Program Files/vanthu/resources/app.asar/out/renderer/index.html', win)).toBe(true);
    expect(isAppUrl('http://localhost:5173/#/x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5173.evil.example/', 'http://localhost:5173')).toBe(false);
  });

  it('refuses navigation and redirects away from the app, new windows and webviews', () => {
    const contents = new FakeContents();
    hardenContents(contents as unknown as WebContents, rendererDir);
    expect(contents.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.fire('will-navigate', `${rendererDir}index.html`)).toBe(false);
    expect(contents.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-frame-navigate', 'https://evil.example/frame')).toBe(true);
    expect(contents.fire('will-frame-navigate', `${rendererDir}index.html`)).toBe(false);
    expect(contents.fire('will-attach-webview')).toBe(true);
    expect(contents.openHandler?.({ url: `${rendererDir}index.html` })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('denies every permission and sends the CSP with every response', () => {
    let request: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    let headers: ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined;
    const session = {
      setPermissionRequestHandler: (handler: typeof request) => (request = handler),
      setPermissionCheckHandler: (handler: typeof check) => (check = handler),
      webRequest: { onHeadersReceived: (handler: typeof headers) => (headers = handler) },
    };
    hardenSession(session as unknown as Session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      request?.({}, permission, (answer) => (granted = answer));
      expect(granted, permission).toBe(false);
    }
    expect(check?.()).toBe(false);
    let sent: Record<string, string[]> | undefined;
    headers?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => (sent = response.responseHeaders));
    expect(sent).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });
});
