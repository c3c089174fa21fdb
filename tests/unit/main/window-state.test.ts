import { describe, expect, it } from 'vitest';
import { captureWindowState, DEFAULT_SIZE, MIN_SIZE, parseWindowState, restoreWindowState, type Rect } from '../../../src/main/window-state.js';

// Where the window reopens: the saved place when it is still visible, fitted to its display; centred on the primary display otherwise.
const primary: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const right: Rect = { x: 1920, y: 0, width: 1280, height: 984 };

describe('window state', () => {
  it('saves rounded normal bounds and the maximized flag, and reads them back', () => {
    const saved = captureWindowState({ x: 10.4, y: 20.6, width: 1000.2, height: 700.5 }, true);
    expect(saved).toEqual({ x: 10, y: 21, width: 1000, height: 701, maximized: true });
    expect(parseWindowState(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
  });

  it('refuses a saved value that is not a window state', () => {
    for (const bad of [undefined, null, 'x', {}, { x: 0, y: 0, width: 0, height: 10, maximized: false }, { x: 0, y: 0, width: 10, height: 10, maximized: 'yes' }, { x: 1.5, y: 0, width: 10, height: 10, maximized: false }, { x: 0, y: 0, width: 10, height: 10, maximized: false, extra: 1 }, { x: Number.NaN, y: 0, width: 10, height: 10, maximized: false }]) {
      expect(parseWindowState(bad)).toBeUndefined();
    }
  });

  it('opens at the default size centred on the primary display the first time', () => {
    expect(restoreWindowState(undefined, [primary, right], primary)).toEqual({ x: (1920 - DEFAULT_SIZE.width) / 2, y: (1040 - DEFAULT_SIZE.height) / 2, ...DEFAULT_SIZE, maximized: false });
  });

  it('keeps a saved place that is fully visible, on whichever display it is', () => {
    const onRight = { x: 2000, y: 100, width: 1000, height: 700, maximized: true };
    expect(restoreWindowState(onRight, [primary, right], primary)).toEqual(onRight);
  });

  it('moves a window hanging off the edge back inside its display, and shrinks one larger than it', () => {
    expect(restoreWindowState({ x: 1500, y: 600, width: 1000, height: 700, maximized: false }, [primary], primary)).toEqual({ x: 920, y: 340, width: 1000, height: 700, maximized: false });
    expect(restoreWindowState({ x: -50, y: -30, width: 3000, height: 2000, maximized: false }, [primary], primary)).toEqual({ x: 0, y: 0, width: 1920, height: 1040, maximized: false });
  });

  it('picks the display holding most of a window that straddles two', () => {
    const restored = restoreWindowState({ x: 1700, y: 100, width: 1000, height: 700, maximized: false }, [primary, right], primary);
    expect(restored).toEqual({ x: 1920, y: 100, width: 1000, height: 700, maximized: false });
  });

  it('reopens on the primary display when the saved display is gone (or only a sliver shows)', () => {
    const wasOnRight = { x: 2000, y: 100, width: 1000, height: 700, maximized: true };
    expect(restoreWindowState(wasOnRight, [primary], primary)).toEqual({ x: 460, y: 170, width: 1000, height: 700, maximized: true });
    const sliver = { x: 1900, y: 100, width: 1000, height: 700, maximized: false };
    expect(restoreWindowState(sliver, [primary], primary)).toMatchObject({ x: 460, y: 170 });
  });

  it('never makes the window smaller than the minimum unless the display itself is smaller', () => {
    expect(restoreWindowState({ x: 10, y: 10, width: 200, height: 100, maximized: false }, [primary], primary)).toMatchObject({ width: MIN_SIZE.width, height: MIN_SIZE.height });
    const tiny: Rect = { x: 0, y: 0, width: 640, height: 480 };
    expect(restoreWindowState({ x: 10, y: 10, width: 1000, height: 700, maximized: false }, [tiny], tiny)).toEqual({ x: 0, y: 0, width: 640, height: 480, maximized: false });
  });

  it('handles displays at negative coordinates (a monitor left of or above the primary)', () => {
    const left: Rect = { x: -1280, y: -200, width: 1280, height: 1024 };
    expect(restoreWindowState({ x: -1200, y: -150, width: 800, height: 600, maximized: false }, [left, primary], primary)).toEqual({ x: -1200, y: -150, width: 800, height: 600, maximized: false });
    expect(restoreWindowState({ x: -1400, y: -300, width: 800, height: 600, maximized: false }, [left, primary], primary)).toEqual({ x: -1280, y: -200, width: 800, height: 600, maximized: false });
  });
});
