// Stacks flow blocks down A4 pages between the margins, keeping chained blocks together and repeating table headers.
import { VanthuError } from '../../shared/errors.js';
import type { FlowBlock } from './flow.js';
import { TEXT_BOTTOM, TEXT_TOP } from './geometry.js';

export interface PlacedBlock {
  block: FlowBlock;
  /** PDF y (points from the page's bottom) of the block's top edge. */
  top: number;
}

export type PageLayout = PlacedBlock[];

// Rounding slack: a block that fits exactly must not move to the next page.
const EPSILON = 0.01;

/** The blocks from `i` that must share a page: each with keepWithNext pulls in the next. */
function chainEnd(blocks: FlowBlock[], i: number): number {
  let j = i;
  while (j < blocks.length - 1 && blocks[j]!.keepWithNext) j++;
  return j;
}

/**
 * Greedy pagination: the chain starting at the next block goes on the current page if all of it
 * fits, else everything moves to a new page. A chain taller than a page is broken block by block;
 * a single block taller than a page cannot be laid out.
 */
export function paginate(blocks: FlowBlock[], top = TEXT_TOP, bottom = TEXT_BOTTOM): PageLayout[] {
  const pages: PageLayout[] = [[]];
  let y = top;
  let placedOnPage = 0;
  // A page holding nothing yet but a repeated table header: moving on would not give more room.
  let fresh = true;
  const place = (block: FlowBlock): void => {
    const gap = placedOnPage === 0 ? 0 : block.spaceBefore;
    pages.at(-1)!.push({ block, top: y - gap });
    y -= gap + block.height;
    placedOnPage++;
  };
  const newPage = (next: FlowBlock): void => {
    pages.push([]);
    y = top;
    placedOnPage = 0;
    if (next.repeatHeader && next.repeatHeader !== next) place(next.repeatHeader);
    fresh = true;
  };
  let i = 0;
  while (i < blocks.length) {
    const block = blocks[i]!;
    if (block.height > top - bottom + EPSILON) throw new VanthuError('DRAFT_BLOCK_TOO_TALL', { height: Math.round(block.height), room: Math.round(top - bottom) });
    const end = chainEnd(blocks, i);
    const chain = blocks.slice(i, end + 1);
    const needed = chain.reduce((sum, b, k) => sum + (k === 0 && placedOnPage === 0 ? 0 : b.spaceBefore) + b.height, 0);
    if (y - needed >= bottom - EPSILON) {
      chain.forEach(place);
      fresh = false;
      i = end + 1;
    } else if (fresh || (chain.length > 1 && needed > top - bottom)) {
      // Even a fresh page cannot hold the chain: give up keeping it together.
      if (!fresh && y - block.spaceBefore - block.height < bottom - EPSILON) newPage(block);
      place(block);
      fresh = false;
      i++;
    } else newPage(block);
  }
  return pages;
}
