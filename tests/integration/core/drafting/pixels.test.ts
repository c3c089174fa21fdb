// Each template's rendered pages against the expected PNGs committed in tests/fixtures/drafting (VANTHU_UPDATE_EXPECTED=1 rewrites them).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDraft } from '../../../../src/core/drafting/index.js';
import { draftTypes, type DraftInput } from '../../../../src/shared/draft.js';
import { longDraft, samples } from '../../../fixtures/drafting/samples.js';
import { comparePixels, decodeGreyPng, encodeGreyPng, renderPage, tempPdf, type GreyImage } from './kit.js';

const DPI = 50;
// Anti-aliasing may shift grey levels a little between poppler builds; one changed letter changes a hundred pixels.
const TOLERANCE = 32;
const MAX_FRACTION = 0.00005;
const update = process.env.VANTHU_UPDATE_EXPECTED === '1';
const expectedFile = (name: string): string => path.resolve('tests/fixtures/drafting', `${name}.png`);

function checkAgainst(name: string, actual: GreyImage): void {
  const file = expectedFile(name);
  if (update || !existsSync(file)) {
    if (!update) throw new Error(`${file} is missing: run with VANTHU_UPDATE_EXPECTED=1 and look at it before committing`);
    writeFileSync(file, encodeGreyPng(actual));
  }
  const diff = comparePixels(actual, decodeGreyPng(readFileSync(file)), TOLERANCE);
  expect(diff.sameSize, `${name}: page size`).toBe(true);
  expect(diff.fraction, `${name}: ${diff.differing} pixels differ`).toBeLessThanOrEqual(MAX_FRACTION);
}

async function pages(draft: DraftInput, which: number[]): Promise<GreyImage[]> {
  const file = tempPdf(await renderDraft(draft));
  return which.map((page) => renderPage(file, page, DPI));
}

describe('rendered pages match the expected images', () => {
  for (const type of draftTypes) {
    it(`${type}: page 1`, async () => {
      const [page] = await pages(samples[type], [1]);
      expect(page!.width).toBe(Math.ceil((210 / 25.4) * DPI));
      expect(page!.height).toBe(Math.ceil((297 / 25.4) * DPI));
      checkAgainst(`${type}-1`, page!);
    });
  }

  it('a long body: page 2 (numbered) and the last page (signer kept with the last lines)', async () => {
    const [second, last] = await pages(longDraft(198), [2, 21]);
    checkAgainst('long-2', second!);
    checkAgainst('long-21', last!);
  });

  it('fails on a changed draft: one letter of the ký hiệu, a different trích yếu, another signer title', async () => {
    const [letter] = await pages({ ...samples['to-trinh'], codeNotation: 'TTR-SNV' }, [1]);
    expect(comparePixels(letter!, decodeGreyPng(readFileSync(expectedFile('to-trinh-1'))), TOLERANCE).fraction).toBeGreaterThan(MAX_FRACTION);
    const [changed] = await pages({ ...samples['cong-van'], subject: 'triển khai lưu trữ hồ sơ điện tử' }, [1]);
    const expected = decodeGreyPng(readFileSync(expectedFile('cong-van-1')));
    expect(comparePixels(changed!, expected, TOLERANCE).fraction).toBeGreaterThan(MAX_FRACTION);
    const [otherSigner] = await pages({ ...samples['cong-van'], signer: { ...samples['cong-van'].signer, authority: 'KT.', onBehalfOf: 'Chủ tịch', position: 'Phó Chủ tịch' } }, [1]);
    expect(comparePixels(otherSigner!, expected, TOLERANCE).fraction).toBeGreaterThan(MAX_FRACTION);
  });
});
