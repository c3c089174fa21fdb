// The unread badge for new incoming documents (and outgoing ones needing attention): its texts (vi/en), its icon pixels, and updateUnreadBadge for the rest of main to call.
export type BadgeLanguage = 'vi' | 'en';

export interface UnreadBadge {
  count: number;
  /** The dock/launcher number (macOS, Linux Unity); 0 clears it. */
  badgeCount: number;
  /** The tray icon's tooltip. */
  tooltip: string;
  /** Short text for the taskbar overlay (Windows) and the macOS tray title; null when nothing is unread. */
  overlayText: string | null;
  /** The overlay icon's accessible description (Windows reads it to screen-reader users). */
  overlayDescription: string;
}

/** A negative, fractional or non-number count is treated as the nearest sensible one, so a caller's slip never shows "-1". */
export function normalizeCount(count: number): number {
  return Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
}

/** The badge's words for outgoing documents that need attention (a refused or stuck send), added after the unread ones. */
const attentionText = (n: number, language: BadgeLanguage): string =>
  language === 'vi' ? `${n > 99 ? '99+' : n} văn bản cần xử lý` : `${n > 99 ? '99+' : n} document${n === 1 ? '' : 's'} needing attention`;

export function unreadBadge(count: number, language: BadgeLanguage, appName = 'vanthu', attention = 0): UnreadBadge {
  const base = incomingBadge(count, language, appName);
  const a = normalizeCount(attention);
  if (a === 0) return base;
  const total = base.count + a;
  const text = base.count === 0 ? attentionText(a, language) : `${base.overlayDescription}; ${attentionText(a, language)}`;
  return { count: base.count, badgeCount: total, tooltip: `${appName} — ${text}`, overlayText: total > 99 ? '99+' : String(total), overlayDescription: text };
}

function incomingBadge(count: number, language: BadgeLanguage, appName: string): UnreadBadge {
  const n = normalizeCount(count);
  const shown = n > 99 ? '99+' : String(n);
  const text =
    language === 'vi'
      ? n === 0
        ? 'Không có văn bản đến mới'
        : `${shown} văn bản đến mới`
      : n === 0
        ? 'No new incoming documents'
        : `${shown} new incoming document${n === 1 ? '' : 's'}`;
  return { count: n, badgeCount: n, tooltip: `${appName} — ${text}`, overlayText: n === 0 ? null : shown, overlayDescription: text };
}

/** Shows a badge on the platform (Electron's tray, dock and taskbar); installed by the shell at start. */
export type BadgePresenter = (badge: UnreadBadge) => void;

let presenter: BadgePresenter | undefined;
let language: () => BadgeLanguage = () => 'vi';
let lastCount = 0;
let lastAttention = 0;

/** Installs (or with undefined removes) where badges are shown and which language they use; shows the current count at once. */
export function setBadgePresenter(next: BadgePresenter | undefined, currentLanguage?: () => BadgeLanguage): void {
  presenter = next;
  if (currentLanguage) language = currentLanguage;
  presenter?.(unreadBadge(lastCount, language(), undefined, lastAttention));
}

/**
 * Call with the number of new (unopened) incoming documents whenever it changes; 0 clears the badge.
 * Safe before the tray exists: the last count is shown once it does.
 */
export function updateUnreadBadge(count: number, attention = lastAttention): UnreadBadge {
  lastCount = normalizeCount(count);
  lastAttention = normalizeCount(attention);
  const badge = unreadBadge(lastCount, language(), undefined, lastAttention);
  presenter?.(badge);
  return badge;
}

/** Shows the last count again, e.g. after the language changed. */
export function refreshUnreadBadge(): UnreadBadge {
  return updateUnreadBadge(lastCount);
}

/**
 * A square icon as BGRA pixels (what nativeImage.createFromBitmap takes): a document sheet with a
 * folded corner, and a red dot at the top right when `dot` is set. Drawn in code so the app needs no
 * image files and the overlay can be made at any scale.
 */
export function iconBitmap(size: number, options: { sheet: boolean; dot: boolean }): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const put = (x: number, y: number, [r, g, b]: readonly [number, number, number]): void => {
    const at = (y * size + x) * 4;
    pixels[at] = b;
    pixels[at + 1] = g;
    pixels[at + 2] = r;
    pixels[at + 3] = 255;
  };
  const ink = [31, 78, 140] as const;
  const paper = [255, 255, 255] as const;
  const red = [214, 40, 40] as const;
  const s = size / 16;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = x / s;
      const v = y / s;
      if (options.sheet && u >= 3 && u < 13 && v >= 1 && v < 15) {
        const fold = u - 9 > v - 1; // the cut-off top right corner
        if (fold) continue;
        const border = u < 4 || u >= 12 || v < 2 || v >= 14 || Math.abs(u - 9 - (v - 1)) < 1;
        const line = u >= 5 && u < 11 && (Math.floor(v) === 6 || Math.floor(v) === 9 || Math.floor(v) === 12);
        put(x, y, border || line ? ink : paper);
      }
      if (options.dot && (u - 12) ** 2 + (v - 4) ** 2 <= 12.25) put(x, y, red);
    }
  }
  return pixels;
}

/** The tray icon's own menu. */
export function trayMenuLabels(language: BadgeLanguage): { open: string; quit: string } {
  return language === 'vi' ? { open: 'Mở vanthu', quit: 'Thoát' } : { open: 'Open vanthu', quit: 'Quit' };
}
