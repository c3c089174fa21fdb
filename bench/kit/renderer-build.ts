// Renderer benches: build the renderer, and let functions this tsx process sends to Chromium pages run there.
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

/**
 * tsx compiles with esbuild's keepNames, which wraps functions in __name(...); functions sent to a page (the e2e
 * harness's init script, evaluate callbacks) would call an undefined __name there. Every new page defines it first.
 */
export const NAME_SHIM = 'globalThis.__name = (f) => f;';

export function buildRendererForBench(): void {
  execFileSync('electron-vite', ['build'], { stdio: 'ignore' });
  const launch = chromium.launch.bind(chromium);
  chromium.launch = async (options) => {
    const browser = await launch(options);
    const newPage = browser.newPage.bind(browser);
    browser.newPage = async (pageOptions) => {
      const created = await newPage(pageOptions);
      await created.context().addInitScript({ content: NAME_SHIM });
      return created;
    };
    return browser;
  };
}
