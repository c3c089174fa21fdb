// Pagination: blocks fill pages between the margins, chains stay together, table headers repeat, an impossible block is refused.
import { describe, expect, it } from 'vitest';
import { paginate } from '../../../../src/core/drafting/index.js';
import type { FlowBlock } from '../../../../src/core/drafting/flow.js';
import { isVanthuError } from '../../../../src/shared/errors.js';

const block = (height: number, extra: Partial<FlowBlock> = {}): FlowBlock => ({ height, spaceBefore: 0, marks: [], ...extra });

describe('paginate', () => {
  it('stacks blocks from the top and starts a page when the next does not fit, dropping its space before', () => {
    const pages = paginate([block(40), block(40, { spaceBefore: 10 }), block(40, { spaceBefore: 10 })], 100, 0);
    expect(pages.map((p) => p.map((b) => b.top))).toEqual([[100, 50], [100]]);
  });

  it('moves a whole chain (keepWithNext) to the next page rather than splitting it', () => {
    const blocks = [block(50), block(20, { keepWithNext: true }), block(20, { keepWithNext: true }), block(20, { role: 'closing' })];
    const pages = paginate(blocks, 100, 0);
    expect(pages.map((p) => p.length)).toEqual([1, 3]);
    expect(pages[1]!.at(-1)!.block.role).toBe('closing');
  });

  it('breaks a chain taller than a page block by block, until its rest fits a page together', () => {
    const blocks = Array.from({ length: 8 }, () => block(20, { keepWithNext: true }));
    const pages = paginate(blocks, 100, 0);
    expect(pages.map((p) => p.length)).toEqual([3, 5]);
  });

  it('repeats a table header on the next page', () => {
    const head = block(10, { keepWithNext: true });
    const rows = Array.from({ length: 6 }, () => block(20, { repeatHeader: head }));
    const pages = paginate([head, ...rows], 100, 0);
    expect(pages.map((p) => p.map((b) => (b.block === head ? 'H' : 'r')).join(''))).toEqual(['Hrrrr', 'Hrr']);
  });

  it('refuses a single block taller than a page', () => {
    let error: unknown;
    try {
      paginate([block(120)], 100, 0);
    } catch (e) {
      error = e;
    }
    expect(isVanthuError(error, 'DRAFT_BLOCK_TOO_TALL')).toBe(true);
  });
});
