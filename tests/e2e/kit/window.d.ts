// window.vanthu as the preload (or the browser harness) exposes it, for page.evaluate callbacks.
import type { VanthuApi } from '../../../src/shared/ipc-contract.js';

declare global {
  interface Window {
    vanthu: VanthuApi;
  }
}
