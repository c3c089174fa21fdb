// Places the leader's signature image by the printed name: centred on it, in the space between the title line and the name.
import { VanthuError } from '../../shared/errors.js';
import { findInText, INK_DESCENT, type Box, type PageText, type TextMatch } from '../pdf/text-locate.js';

export type Rect = [number, number, number, number];

// Keeps the image from touching the lines above and below.
const MARGIN = 2;
// Below this the image would be a smudge (about 8 mm).
const MIN_HEIGHT = 24;
// Signatures are not drawn bigger than about 35 x 75 mm even when the gap is large.
const MAX_HEIGHT = 100;
const MAX_WIDTH = 210;
// Without a title line above the name, the image gets this much height.
const DEFAULT_HEIGHT = 60;

/** The printed name: exact (NFC), else ignoring case and diacritics (a PDF may lose them); the last one on the page. */
export function findSignerName(text: PageText, name: string): TextMatch | undefined {
  const exact = findInText(text, name);
  const found = exact.length > 0 ? exact : findInText(text, name, { ignoreCase: true, ignoreDiacritics: true });
  // The signer block closes the document: the lowest occurrence is the one under the signature.
  return found.at(-1);
}

/** The bottom of the lowest text above `box` that overlaps it horizontally (the title line), if any. */
function lineAbove(text: PageText, box: Box): number | undefined {
  const top = box.y + box.height;
  let bottom: number | undefined;
  for (const line of text.lines) {
    for (const u of line.units) {
      const unitBottom = u.baseline - INK_DESCENT * u.size;
      if (unitBottom < top - 0.5 || u.text.trim() === '' || u.x1 <= box.x || u.x0 >= box.x + box.width) continue;
      if (bottom === undefined || unitBottom < bottom) bottom = unitBottom;
    }
  }
  return bottom;
}

/**
 * The widget rectangle for an image of aspect `aspect` (width / height): centred on the name
 * horizontally, centred between the title line and the name vertically, as large as the gap
 * allows within MAX_HEIGHT x MAX_WIDTH.
 */
export function placeLeaderImage(text: PageText, name: string, aspect: number, pageHeight: number): Rect {
  const match = findSignerName(text, name);
  if (!match) throw new VanthuError('APPEARANCE_SIGNER_NAME_NOT_FOUND', { name, page: text.page });
  const nameTop = match.box.y + match.box.height;
  const above = lineAbove(text, match.box) ?? Math.min(nameTop + DEFAULT_HEIGHT + 2 * MARGIN, pageHeight);
  const room = above - nameTop - 2 * MARGIN;
  if (room < MIN_HEIGHT) throw new VanthuError('APPEARANCE_NO_ROOM', { name, page: text.page, room: Math.max(0, Math.round(room)) });
  let height = Math.min(room, MAX_HEIGHT);
  let width = height * aspect;
  if (width > MAX_WIDTH) {
    width = MAX_WIDTH;
    height = width / aspect;
  }
  const centreX = match.box.x + match.box.width / 2;
  const bottom = nameTop + MARGIN + (room - height) / 2;
  return [centreX - width / 2, bottom, width, height];
}
