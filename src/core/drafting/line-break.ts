// Breaks styled Vietnamese text into lines: only at spaces (every syllable is a word), NFC, NBSP kept, over-long words split between graphemes.
import type { RichText, Run } from '../../shared/draft.js';
import { faceOf, measure, type Face } from './faces.js';

/** A stretch of one face inside a word. */
export interface Piece {
  text: string;
  face: Face;
}

interface Word {
  pieces: Piece[];
  width: number;
  /** The breakable space after the word (its face decides its width), or none at the end / before a forced break. */
  space: Face | null;
  /** A "\n" in the text ends the line after this word. */
  forcedBreak: boolean;
}

/**
 * Text of one face at its natural offset in the line; `spacesBefore` counts the stretchable spaces
 * before it, which move it right by that many times the justifying extra.
 */
export interface Segment {
  text: string;
  face: Face;
  x: number;
  spacesBefore: number;
}

export interface Line {
  segments: Segment[];
  /** Natural width, without trailing space. */
  width: number;
  /** Stretchable (breakable) spaces inside the line, for justifying. */
  spaces: number;
  /** Ends a paragraph or a forced break: never justified. */
  last: boolean;
}

export const toRuns = (text: RichText, base: { bold?: boolean; italic?: boolean } = {}): Run[] =>
  typeof text === 'string' ? [{ text, ...base }] : text.map((r) => ({ ...r, bold: r.bold ?? base.bold, italic: r.italic ?? base.italic }));

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/**
 * Words of the runs. Breakable: U+0020 and tabs (runs of them count once); "\n" forces a break;
 * U+00A0 (no-break space) joins words, e.g. "Điều 1" or "30/2020/NĐ-CP" that must not be split.
 */
function wordsOf(runs: Run[], size: number): Word[] {
  const words: Word[] = [];
  let current: Piece[] = [];
  const push = (space: Face | null, forcedBreak: boolean): void => {
    if (current.length === 0) {
      // A space right after a space, or leading: nothing to add, but a forced break still counts.
      const last = words.at(-1);
      if (last && forcedBreak) {
        last.forcedBreak = true;
        last.space = null;
      }
      return;
    }
    words.push({ pieces: current, width: current.reduce((w, p) => w + measure(p.text, p.face, size), 0), space, forcedBreak });
    current = [];
  };
  for (const run of runs) {
    const face = faceOf(run.bold, run.italic);
    const text = run.text.normalize('NFC').replace(/\r\n?/g, '\n');
    for (const token of text.split(/([ \t]+|\n)/u)) {
      if (token === '') continue;
      if (token === '\n') push(null, true);
      else if (/^[ \t]+$/u.test(token)) push(face, false);
      else {
        const last = current.at(-1);
        if (last && last.face === face) last.text += token;
        else current.push({ text: token, face });
      }
    }
  }
  push(null, false);
  const last = words.at(-1);
  if (last) last.space = null;
  return words;
}

/** A word wider than the line: cut between graphemes (a letter keeps its tone marks), each piece as wide as fits. */
function splitWord(word: Word, width: number, size: number): Word[] {
  const out: Word[] = [];
  let pieces: Piece[] = [];
  let used = 0;
  const flush = (): void => {
    if (pieces.length > 0) out.push({ pieces, width: used, space: null, forcedBreak: false });
    pieces = [];
    used = 0;
  };
  for (const piece of word.pieces) {
    for (const { segment } of graphemes.segment(piece.text)) {
      const w = measure(segment, piece.face, size);
      if (used + w > width && used > 0) flush();
      const last = pieces.at(-1);
      if (last && last.face === piece.face) last.text += segment;
      else pieces.push({ text: segment, face: piece.face });
      used += w;
    }
  }
  flush();
  const tail = out.at(-1);
  if (tail) {
    tail.space = word.space;
    tail.forcedBreak = word.forcedBreak;
  }
  return out;
}

function buildLine(words: Word[], size: number, last: boolean): Line {
  const segments: Segment[] = [];
  let x = 0;
  let spaces = 0;
  words.forEach((word, i) => {
    for (const piece of word.pieces) {
      // One segment per run of a face: the spaces inside it stretch through its TJ numbers.
      const previous = segments.at(-1);
      if (previous && previous.face === piece.face) previous.text += piece.text;
      else segments.push({ text: piece.text, face: piece.face, x, spacesBefore: spaces });
      x += measure(piece.text, piece.face, size);
    }
    if (i < words.length - 1 && word.space) {
      const previous = segments.at(-1);
      if (previous && previous.face === word.space) previous.text += ' ';
      else segments.push({ text: ' ', face: word.space, x, spacesBefore: spaces });
      x += measure(' ', word.space, size);
      spaces += 1;
    }
  });
  return { segments, width: x, spaces, last };
}

/**
 * Greedy line filling (what Word does for Vietnamese): a word goes on the line if it fits after a
 * space. `firstWidth` is the room of the first line (after an indent or a list marker).
 */
export function breakLines(runs: Run[], size: number, firstWidth: number, width = firstWidth): Line[] {
  const words = wordsOf(runs, size).flatMap((w) => (w.width > Math.min(firstWidth, width) ? splitWord(w, Math.min(firstWidth, width), size) : [w]));
  const lines: Line[] = [];
  let current: Word[] = [];
  let used = 0;
  const room = (): number => (lines.length === 0 ? firstWidth : width);
  for (const word of words) {
    const previous = current.at(-1);
    const gap = previous?.space ? measure(' ', previous.space, size) : 0;
    // 0.01 pt of slack: a word that fits exactly must not wrap from rounding.
    if (previous && used + gap + word.width > room() + 0.01) {
      lines.push(buildLine(current, size, false));
      current = [];
      used = 0;
    }
    used += (current.length > 0 ? gap : 0) + word.width;
    current.push(word);
    if (word.forcedBreak) {
      lines.push(buildLine(current, size, true));
      current = [];
      used = 0;
    }
  }
  if (current.length > 0 || lines.length === 0) lines.push(buildLine(current, size, true));
  return lines;
}

/**
 * Centred header text: the fewest lines that fit `width`, as even as possible ("ỦY BAN NHÂN DÂN /
 * TỈNH CAO BẰNG" rather than "ỦY BAN NHÂN DÂN TỈNH / CAO BẰNG").
 */
export function balancedLines(runs: Run[], size: number, width: number): Line[] {
  const fewest = breakLines(runs, size, width);
  if (fewest.length < 2) return fewest;
  // Never narrower than the longest word: that would cut a word instead of balancing.
  const longest = Math.max(...wordsOf(runs, size).map((w) => w.width));
  if (longest >= width) return fewest;
  let low = Math.max(longest, Math.max(...fewest.map((l) => l.width)) / fewest.length);
  let high = width;
  let best = fewest;
  for (let i = 0; i < 24 && high - low > 0.25; i++) {
    const mid = (low + high) / 2;
    const trial = breakLines(runs, size, mid);
    if (trial.length <= fewest.length && trial.every((l) => l.width <= mid + 0.01)) {
      best = trial;
      high = mid;
    } else low = mid;
  }
  return best;
}

/** One unbreakable line of one face (header lines with blanks): its spaces never stretch. */
export function fixedLine(text: string, face: Face, size: number): Line {
  const normal = text.normalize('NFC');
  return { segments: [{ text: normal, face, x: 0, spacesBefore: 0 }], width: measure(normal, face, size), spaces: 0, last: true };
}
