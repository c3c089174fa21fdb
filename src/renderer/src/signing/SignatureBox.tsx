// The signature's place on the page: a box the user drags and resizes with the pointer or the keyboard, kept in PDF points.
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PageGeometry } from './PdfViewer.js';

/** [x, y, width, height] in PDF points, y from the bottom of the page (as the signing engine takes it). */
export type PdfRect = [number, number, number, number];

const MIN_SIZE = 20;
const STEP = 5;
const BIG_STEP = 20;

/** Keeps the box on the page and at least MIN_SIZE points big. */
export function clampRect([x, y, w, h]: PdfRect, page: { width: number; height: number }): PdfRect {
  const width = Math.min(Math.max(w, MIN_SIZE), page.width);
  const height = Math.min(Math.max(h, MIN_SIZE), page.height);
  return [Math.min(Math.max(x, 0), page.width - width), Math.min(Math.max(y, 0), page.height - height), width, height];
}

/** Moves (or, with `resize`, grows) the box by a step for an arrow key; undefined for other keys. */
export function rectForKey(rect: PdfRect, key: string, resize: boolean, big: boolean): PdfRect | undefined {
  const step = big ? BIG_STEP : STEP;
  const [x, y, w, h] = rect;
  const deltas: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
  const delta = deltas[key];
  if (!delta) return undefined;
  const [dx, dy] = delta;
  // Resizing keeps the top left corner where it is and moves the bottom right one: down makes the box
  // taller, which lowers y (PDF y goes up).
  return resize ? [x, y + dy, w + dx, h - dy] : [x + dx, y + dy, w, h];
}

interface Props {
  rect: PdfRect;
  geometry: PageGeometry;
  onChange(rect: PdfRect): void;
}

export function SignatureBox({ rect, geometry, onChange }: Props) {
  const { t } = useTranslation();
  const drag = useRef<{ mode: 'move' | 'resize'; startX: number; startY: number; start: PdfRect }>(undefined);
  const { scale, height: pageHeight } = geometry;
  const [x, y, w, h] = rect;
  const style = { left: `${x * scale}px`, top: `${(pageHeight - y - h) * scale}px`, width: `${w * scale}px`, height: `${h * scale}px` };

  const begin = (mode: 'move' | 'resize') => (event: PointerEvent<HTMLElement>) => {
    event.preventDefault();
    event.stopPropagation();
    event.currentTarget.setPointerCapture?.(event.pointerId);
    drag.current = { mode, startX: event.clientX, startY: event.clientY, start: rect };
  };
  const move = (event: PointerEvent<HTMLElement>) => {
    const current = drag.current;
    if (!current) return;
    const dx = (event.clientX - current.startX) / scale;
    const dy = (event.clientY - current.startY) / scale;
    const [sx, sy, sw, sh] = current.start;
    const next: PdfRect = current.mode === 'move' ? [sx + dx, sy - dy, sw, sh] : [sx, sy - dy, sw + dx, sh + dy];
    onChange(clampRect(next, geometry));
  };
  const end = () => {
    drag.current = undefined;
  };
  const key = (resize: boolean) => (event: KeyboardEvent<HTMLElement>) => {
    const next = rectForKey(rect, event.key, resize || event.shiftKey, event.ctrlKey || event.altKey);
    if (!next) return;
    // The viewer pages with the arrows: inside the box they move the box instead.
    event.preventDefault();
    event.stopPropagation();
    onChange(clampRect(next, geometry));
  };
  const where = `${Math.round(x)}, ${Math.round(y)} — ${Math.round(w)} × ${Math.round(h)} pt`;

  return (
    <div className="signature-box" style={style} data-rect={rect.map((v) => v.toFixed(1)).join(',')}>
      <button
        type="button"
        className="signature-box-move"
        aria-label={`${t('signing.signatureBox', { page: geometry.page })}: ${where}`}
        title={t('signing.signatureBoxHint')}
        onPointerDown={begin('move')}
        onPointerMove={move}
        onPointerUp={end}
        onPointerCancel={end}
        onKeyDown={key(false)}
      />
      <button
        type="button"
        className="signature-box-resize"
        aria-label={t('signing.resizeBox')}
        onPointerDown={begin('resize')}
        onPointerMove={move}
        onPointerUp={end}
        onPointerCancel={end}
        onKeyDown={key(true)}
      />
    </div>
  );
}
