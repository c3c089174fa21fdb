import { afterEach, describe, expect, it, vi } from 'vitest';
import { iconBitmap, normalizeCount, refreshUnreadBadge, setBadgePresenter, trayMenuLabels, unreadBadge, updateUnreadBadge, type UnreadBadge } from '../../../src/main/tray.js';

// The unread badge for new incoming documents: its texts in both languages, and updateUnreadBadge reaching whatever presents it.
afterEach(() => {
  setBadgePresenter(undefined, () => 'vi');
  updateUnreadBadge(0);
});

describe('unread badge', () => {
  it('says how many new incoming documents, in Vietnamese and English', () => {
    expect(unreadBadge(3, 'vi')).toEqual({ count: 3, badgeCount: 3, tooltip: 'vanthu — 3 văn bản đến mới', overlayText: '3', overlayDescription: '3 văn bản đến mới' });
    expect(unreadBadge(1, 'en').tooltip).toBe('vanthu — 1 new incoming document');
    expect(unreadBadge(2, 'en').tooltip).toBe('vanthu — 2 new incoming documents');
  });

  it('clears the badge at zero and caps the overlay text at 99+', () => {
    expect(unreadBadge(0, 'vi')).toEqual({ count: 0, badgeCount: 0, tooltip: 'vanthu — Không có văn bản đến mới', overlayText: null, overlayDescription: 'Không có văn bản đến mới' });
    expect(unreadBadge(0, 'en').tooltip).toBe('vanthu — No new incoming documents');
    expect(unreadBadge(250, 'en')).toMatchObject({ badgeCount: 250, overlayText: '99+', tooltip: 'vanthu — 99+ new incoming documents' });
  });

  it('treats a nonsense count as the nearest sensible one', () => {
    expect([-4, Number.NaN, Number.POSITIVE_INFINITY, 2.7, 0].map(normalizeCount)).toEqual([0, 0, 0, 2, 0]);
  });

  it('updateUnreadBadge shows the count on the installed presenter, in the current language, remembered across installs', () => {
    expect(updateUnreadBadge(5).tooltip).toBe('vanthu — 5 văn bản đến mới');
    const shown: UnreadBadge[] = [];
    let language: 'vi' | 'en' = 'en';
    setBadgePresenter((badge) => shown.push(badge), () => language);
    // The count given before the tray existed is shown once it does.
    expect(shown.map((b) => b.badgeCount)).toEqual([5]);
    updateUnreadBadge(7);
    language = 'vi';
    refreshUnreadBadge();
    updateUnreadBadge(0);
    expect(shown.map((b) => b.tooltip)).toEqual(['vanthu — 5 new incoming documents', 'vanthu — 7 new incoming documents', 'vanthu — 7 văn bản đến mới', 'vanthu — Không có văn bản đến mới']);
    const presenter = vi.fn();
    setBadgePresenter(presenter);
    setBadgePresenter(undefined);
    updateUnreadBadge(9);
    expect(presenter).toHaveBeenCalledTimes(1);
  });

  it('draws its icons as BGRA pixels: opaque sheet pixels, a red dot only when asked', () => {
    const size = 16;
    const sheet = iconBitmap(size, { sheet: true, dot: false });
    const dot = iconBitmap(size, { sheet: false, dot: true });
    expect(sheet).toHaveLength(size * size * 4);
    const pixel = (bitmap: Buffer, x: number, y: number) => [...bitmap.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)];
    expect(pixel(sheet, 0, 0)[3]).toBe(0); // transparent outside the sheet
    expect(pixel(sheet, 6, 8)).toEqual([255, 255, 255, 255]); // paper
    expect(pixel(dot, 12, 4)).toEqual([40, 40, 214, 255]); // red, in B,G,R,A order
    expect(pixel(dot, 2, 14)[3]).toBe(0);
    expect(iconBitmap(32, { sheet: true, dot: true })).toHaveLength(32 * 32 * 4);
  });

  it('labels the tray menu in both languages', () => {
    expect(trayMenuLabels('vi')).toEqual({ open: 'Mở vanthu', quit: 'Thoát' });
    expect(trayMenuLabels('en')).toEqual({ open: 'Open vanthu', quit: 'Quit' });
  });
});

describe('the badge with documents needing attention', () => {
  it('adds them to the number and says so after the unread ones; none changes nothing', () => {
    expect(unreadBadge(3, 'vi', 'vanthu', 0)).toEqual(unreadBadge(3, 'vi'));
    expect(unreadBadge(3, 'vi', 'vanthu', 2)).toEqual({
      count: 3,
      badgeCount: 5,
      tooltip: 'vanthu — 3 văn bản đến mới; 2 văn bản cần xử lý',
      overlayText: '5',
      overlayDescription: '3 văn bản đến mới; 2 văn bản cần xử lý',
    });
    expect(unreadBadge(0, 'en', 'vanthu', 1)).toMatchObject({ badgeCount: 1, tooltip: 'vanthu — 1 document needing attention', overlayText: '1' });
    expect(updateUnreadBadge(0, 4).tooltip).toBe('vanthu — 4 văn bản cần xử lý');
    // The incoming count alone keeps the attention count it had.
    expect(updateUnreadBadge(1).badgeCount).toBe(5);
    expect(updateUnreadBadge(0, 0).badgeCount).toBe(0);
  });
});
