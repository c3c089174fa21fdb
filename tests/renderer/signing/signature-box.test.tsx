// @vitest-environment happy-dom
// The signature box: PDF points mapped to the page on screen, moved and resized by keyboard and pointer, kept on the page.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { initI18n } from '../../../src/renderer/src/i18n/index.js';
import { fittingZoom } from '../../../src/renderer/src/signing/PdfViewer.js';
import { clampRect, rectForKey, SignatureBox, type PdfRect } from '../../../src/renderer/src/signing/SignatureBox.js';

initI18n('vi');
afterEach(cleanup);

const A4 = { page: 1, scale: 2, width: 595, height: 842 };

function Harness({ start, seen }: { start: PdfRect; seen: PdfRect[] }) {
  const [rect, setRect] = useState(start);
  return (
    <SignatureBox
      rect={rect}
      geometry={A4}
      onChange={(next) => {
        seen.push(next);
        setRect(next);
      }}
    />
  );
}

describe('signature box', () => {
  it('keeps boxes on the page and at least 20 points big', () => {
    expect(clampRect([-10, 900, 150, 75], A4)).toEqual([0, 767, 150, 75]);
    expect(clampRect([10, 10, 5, 5], A4)).toEqual([10, 10, 20, 20]);
    expect(rectForKey([100, 100, 150, 75], 'ArrowUp', false, false)).toEqual([100, 105, 150, 75]);
    // Growing down keeps the top edge: the height grows and y (from the bottom) goes down.
    expect(rectForKey([100, 100, 150, 75], 'ArrowDown', true, false)).toEqual([100, 95, 150, 80]);
    expect(rectForKey([100, 100, 150, 75], 'ArrowRight', true, true)).toEqual([100, 100, 170, 75]);
    expect(rectForKey([100, 100, 150, 75], 'Enter', false, false)).toBeUndefined();
  });

  it('draws the PDF rectangle at the page scale, from the top left', () => {
    render(<Harness start={[100, 642, 150, 100]} seen={[]} />);
    const box = document.querySelector<HTMLElement>('.signature-box')!;
    // top = (842 - 642 - 100) * 2 = 200
    expect([box.style.left, box.style.top, box.style.width, box.style.height]).toEqual(['200px', '200px', '300px', '200px']);
  });

  it('moves with the arrow keys, resizes with Shift or the resize handle, and drags with the pointer', () => {
    const seen: PdfRect[] = [];
    render(<Harness start={[100, 100, 150, 75]} seen={seen} />);
    const move = screen.getByRole('button', { name: /^Vị trí chữ ký trên trang 1: 100, 100 — 150 × 75 pt/ });
    fireEvent.keyDown(move, { key: 'ArrowRight' });
    fireEvent.keyDown(move, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(screen.getByRole('button', { name: 'Đổi kích thước vị trí chữ ký' }), { key: 'ArrowDown' });
    expect(seen).toEqual([
      [105, 100, 150, 75],
      [105, 100, 155, 75],
      [105, 95, 155, 80],
    ]);
    // 20 CSS pixels right and 10 down at scale 2: 10 points right, 5 points lower.
    fireEvent.pointerDown(move, { clientX: 0, clientY: 0, pointerId: 1 });
    fireEvent.pointerMove(move, { clientX: 20, clientY: 10, pointerId: 1 });
    fireEvent.pointerUp(move, { pointerId: 1 });
    expect(seen.at(-1)).toEqual([115, 90, 155, 80]);
  });

  it('starts the viewer at the zoom that fits an A4 page', () => {
    expect(fittingZoom(595, 520)).toBe(2); // 75 %
    expect(fittingZoom(595, 2000)).toBe(6); // at most 150 %
    expect(fittingZoom(595, 100)).toBe(0);
  });
});
