// The English-string walk: every string a screen shows must come from the Vietnamese tables, the seeded data, or be numbers and punctuation.
import type { Page } from 'playwright-core';
import { messages } from '../../../src/renderer/src/i18n/index.js';
import { documentStateWords, recipientStatusWords } from '../../../src/renderer/src/common/status-words.js';
import { causes } from '../../../src/core/exchange/attention-words.js';
import { isTechnicalName } from '../../../src/shared/english-words.js';
import { errorCatalogue } from '../../../src/shared/errors.js';

/** One screen or state of the app: how to get there from wherever the walk stands. */
export interface WalkScreen {
  name: string;
  reach(page: Page): Promise<void>;
}

/** What a screen showed that is not Vietnamese from our tables. */
export interface Offence {
  screen: string;
  strings: string[];
}

/**
 * Names shown as they are on every screen: the language switch names each language in itself (a user stuck in
 * the wrong language must find their own), and the app's own name.
 */
export const ENDONYMS = ['Tiếng Việt', 'English', 'vanthu'];

const SENTINEL = '\uE000';
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every leaf string of a message tree. */
function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}

/** The error catalogue's Vietnamese messages as templates: each parameter becomes a placeholder. */
function errorTemplates(): string[] {
  const params = new Proxy({}, { get: (_, key) => (typeof key === 'string' ? `${SENTINEL}${key}${SENTINEL}` : undefined) });
  return Object.values(errorCatalogue).flatMap((entry) => {
    try {
      return [(entry.vi as (p: object) => string)(params)];
    } catch {
      return [];
    }
  });
}

/**
 * Why a document needs attention, in the words core gives it (attention-words.ts), as templates: the recipient and the file
 * become placeholders; the next automatic try is left out (the walk's attention screens have none).
 */
function causeTemplates(): string[] {
  const facts = { organId: `${SENTINEL}organId${SENTINEL}`, fileName: `${SENTINEL}fileName${SENTINEL}` };
  return Object.values(causes).flatMap((cause) => [cause.vi(facts), cause.vi({})]);
}

/** Every Vietnamese string the app may show: the i18n tables, the status words, the error catalogue and the attention words. */
export function vietnameseMessages(): string[] {
  return [...leaves(messages.vi), ...leaves(documentStateWords.vi), ...leaves(recipientStatusWords.vi), ...errorTemplates(), ...causeTemplates()];
}

const WORD = /[\p{L}]+/gu;
/** A file path the app shows as it is (a token module, a trusted root's file). */
/** A certificate's fingerprint as the screens write it (AB:CD:…). */
const FINGERPRINT = /^[0-9A-F]{2}(:[0-9A-F]{2}){15,}$/;
/** (A second file of the same name is numbered "name (2).pdf".) */
const PATH = /^(\/[\w.+-]+( \(\d+\)[\w.+-]*)?)+\/?$|^[A-Za-z]:\\[^\s]*$/;
/** A file's name the app wrote and shows (a printed register, a report): its stem is data, like a path. */
const FILE_NAME = /^[\w.+-]+( \(\d+\))?\.(pdf|xlsx|docx|png)$/;
/** The last six hex digits of a certificate's serial, as the pickers show them. */
const SERIAL_TAIL = /^[0-9A-F]{6}$/;
const SERIAL_TAIL_IN_TEXT = /…[0-9A-F]{6}\b/g;
/** Dates and times the way a Vietnamese screen must not show them: unpadded d/M/yyyy, ISO, UTC, AM/PM. */
const FOREIGN_TIME = /\b\d\/\d{1,2}\/\d{4}\b|\b\d{1,2}\/\d\/\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\d{2}:\d{2}(:\d{2})?(\.\d+)?Z\b|\bUTC\b|\bGMT\b|\b\d{1,2}:\d{2}(:\d{2})?\s?[AP]M\b/;

export interface Judge {
  /** True when the string may stand on a Vietnamese screen. */
  allowed(text: string): boolean;
}

/**
 * A judge for strings: a Vietnamese message (its {{placeholders}} filled with allowed fragments), a seeded datum
 * (subject, name, file name, number), a file path, or numbers and punctuation. A filled placeholder may hold data or
 * words from the Vietnamese tables, never a foreign word; ISO/UTC/AM-PM times are refused wherever they stand.
 * Vietnamese composed by the core and shared code (validation summaries, held reasons) is not in the renderer's
 * tables: it passes when each word is written in Vietnamese letters (a word with Vietnamese marks) or is a word of
 * the tables, the seeded data or a technical name (PDF, PAdES…) — an English word is none of these.
 */
export function vietnameseJudge(seeded: readonly string[], extraMessages: readonly string[] = []): Judge {
  const texts = [...vietnameseMessages(), ...extraMessages];
  const exact = new Set([...texts.filter((t) => !/\{\{|\uE000/.test(t)).map((t) => t.trim()), ...seeded.map((s) => s.trim()), ...ENDONYMS]);
  const templates = texts
    .filter((t) => /\{\{|\uE000/.test(t))
    .map((t) => {
      const parts = t.trim().split(/\{\{[^}]+\}\}|\uE000[^\uE000]*\uE000/);
      return new RegExp(`^${parts.map(escape).join('([\\s\\S]*?)')}$`, 'u');
    });
  const vocabulary = new Set<string>();
  for (const text of [...texts, ...seeded, ...ENDONYMS]) for (const word of text.replace(/\{\{[^}]+\}\}|\uE000[^\uE000]*\uE000/g, ' ').match(WORD) ?? []) vocabulary.add(word.toLowerCase());
  const onlyNumbersAndMarks = (text: string): boolean => !/\p{L}/u.test(text);
  const fragment = (text: string): boolean => (text.match(WORD) ?? []).every((word) => vocabulary.has(word.toLowerCase()));
  const allowed = (raw: string): boolean => {
    // A certificate's serial tail ("…ABE8C4", or the six digits alone in their own span) is data: the PKI is made anew each run.
    const text = raw.replace(/\s+/g, ' ').replace(SERIAL_TAIL_IN_TEXT, '…').trim();
    if (text === '' || SERIAL_TAIL.test(text)) return true;
    if (FOREIGN_TIME.test(text)) return false;
    if (exact.has(text) || onlyNumbersAndMarks(text)) return true;
    if (seeded.some((datum) => datum.length > 0 && text.split(datum).join(' ').replace(/[\s\p{P}\p{S}\d]/gu, '') === '')) return true;
    if (PATH.test(text) || FINGERPRINT.test(text)) return true;
    const fromTable = templates.some((template) => {
      const match = template.exec(text);
      return match !== null && match.slice(1).every((capture) => capture.trim() === '' || exact.has(capture.trim()) || PATH.test(capture.trim()) || FILE_NAME.test(capture.trim()) || onlyNumbersAndMarks(capture) || fragment(capture));
    });
    return fromTable || composedInVietnamese(text);
  };
  /** Every plain-ASCII word is one the tables or the data use, or a technical name; words with Vietnamese marks are Vietnamese. */
  const composedInVietnamese = (text: string): boolean =>
    (text.match(WORD) ?? []).every((word) => !/^[A-Za-z]+$/.test(word) || vocabulary.has(word.toLowerCase()) || isTechnicalName(word));
  return { allowed };
}

/**
 * Everything the page shows a person right now: visible text nodes, the title, aria-label, placeholder and alt of
 * visible elements, the options of visible lists, the value of visible buttons; a visible native file or date input
 * is reported by name (the browser writes "Choose File" and mm/dd/yyyy there in its own language).
 */
export async function visibleStrings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen = new Set<string>();
    const add = (text: string | null | undefined) => {
      const t = (text ?? '').replace(/\s+/g, ' ').trim();
      if (t) seen.add(t);
    };
    const visible = (element: Element) => element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, template, option') || !visible(parent)) continue;
      add(node.textContent);
    }
    for (const element of document.body.querySelectorAll('*')) {
      if (!visible(element)) continue;
      for (const attribute of ['title', 'aria-label', 'placeholder', 'alt', 'aria-valuetext', 'aria-roledescription']) add(element.getAttribute(attribute));
      if (element instanceof HTMLSelectElement) for (const option of element.options) add(option.textContent);
      if (element instanceof HTMLInputElement) {
        if (['button', 'submit', 'reset'].includes(element.type)) add(element.value);
        if (['file', 'date', 'datetime-local', 'month', 'week', 'time'].includes(element.type)) seen.add(`<input type="${element.type}"> (${element.type === 'file' ? 'Choose File / No file chosen' : 'mm/dd/yyyy'})`);
      }
    }
    return [...seen];
  });
}

/** The strings on the page now that the judge refuses. */
export async function offendingStrings(page: Page, judge: Judge): Promise<string[]> {
  return (await visibleStrings(page)).filter((text) => !judge.allowed(text));
}

/** Walks the screens in order: reaches each, collects what is refused, screenshots it; all screens are walked before the caller fails. */
export async function walkScreens(page: Page, screens: readonly WalkScreen[], judge: Judge, screenshot?: (screen: string) => Promise<void>): Promise<Offence[]> {
  const offences: Offence[] = [];
  // A screen that cannot be reached fails in seconds and the walk goes on (playwright-core waits forever by default).
  page.setDefaultTimeout(30_000);
  for (const screen of screens) {
    try {
      await screen.reach(page);
    } catch (error) {
      offences.push({ screen: screen.name, strings: [`(could not reach the screen: ${(error as Error).message.split('\n')[0]})`] });
      continue;
    }
    const strings = await offendingStrings(page, judge);
    await screenshot?.(screen.name);
    if (strings.length) offences.push({ screen: screen.name, strings });
  }
  return offences;
}

/** The failure message: each screen and the strings it showed that are not Vietnamese from our tables. */
export const describeOffences = (offences: readonly Offence[]): string =>
  offences.map((o) => `${o.screen}:\n${o.strings.map((s) => `    ${JSON.stringify(s)}`).join('\n')}`).join('\n');

/** A screen reached by the side navigation button of that name, waiting for its heading. */
export const navScreen = (name: string, button: string, heading: string | RegExp = button, more?: (page: Page) => Promise<void>): WalkScreen => ({
  name,
  reach: async (page) => {
    await page.getByRole('navigation').getByRole('button', { name: button, exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 2 }).first().waitFor();
    await more?.(page);
  },
});
