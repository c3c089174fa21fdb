// Remembered window geometry: what is saved, how a saved value is checked, and where the window reopens (always on a visible display).
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The normal (not maximized) bounds and whether the window was maximized, as saved between runs. */
export interface WindowState extends Rect {
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1200, height: 800 } as const;
export const MIN_SIZE = { width: 800, height: 560 } as const;
/** How much of the window must lie on a display for the saved place to count as visible (enough to grab the title bar). */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

const coordinate = z.number().int().min(-100_000).max(100_000);
const length = z.number().int().min(1).max(100_000);
export const windowStateSchema = z.strictObject({ x: coordinate, y: coordinate, width: length, height: length, maximized: z.boolean() });

/** What to save: the normal bounds (so un-maximizing after a restart returns to them), rounded to whole pixels. */
export function captureWindowState(normalBounds: Rect, maximized: boolean): WindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.round(normalBounds.width),
    height: Math.round(normalBounds.height),
    maximized,
  };
}

/** A saved value, or undefined when it is missing or not a window state (a hand-edited or older file). */
export function parseWindowState(value: unknown): WindowState | undefined {
  const parsed = windowStateSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value, low), Math.max(low, high));

/** The size fitted into a work area (never larger than it, never smaller than the minimum unless the area itself is). */
function fitSize(width: number, height: number, area: Rect): { width: number; height: number } {
  return {
    width: clamp(width, Math.min(MIN_SIZE.width, area.width), area.width),
    height: clamp(height, Math.min(MIN_SIZE.height, area.height), area.height),
  };
}

function centered(width: number, height: number, area: Rect): Rect {
  const size = fitSize(width, height, area);
  return { x: area.x + Math.round((area.width - size.width) / 2), y: area.y + Math.round((area.height - size.height) / 2), ...size };
}

/**
 * Where the window opens, given the saved state and the work areas of the displays attached now.
 * A window whose saved place is on a display that is gone (or mostly off-screen) opens centred on the
 * primary display; one that is visible keeps its place, moved and shrunk just enough to fit its display.
 */
export function restoreWindowState(saved: WindowState | undefined, workAreas: readonly Rect[], primary: Rect): WindowState {
  if (!saved) return { ...centered(DEFAULT_SIZE.width, DEFAULT_SIZE.height, primary), maximized: false };
  let best: Rect | undefined;
  let bestArea = 0;
  for (const area of workAreas) {
    const shared = overlap(saved, area);
    if (shared.width >= Math.min(MIN_VISIBLE.width, saved.width) && shared.height >= Math.min(MIN_VISIBLE.height, saved.height) && shared.width * shared.height > bestArea) {
      best = area;
      bestArea = shared.width * shared.height;
    }
  }
  if (!best) return { ...centered(saved.width, saved.height, primary), maximized: saved.maximized };
  const size = fitSize(saved.width, saved.height, best);
  return {
    x: clamp(saved.x, best.x, best.x + best.width - size.width),
    y: clamp(saved.y, best.y, best.y + best.height - size.height),
    ...size,
    maximized: saved.maximized,
  };
}
