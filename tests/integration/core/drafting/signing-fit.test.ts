// A rendered draft is ready for the signing steps: the clerk's number and date fit the blanks, the leader's image fits above the name.
import { describe, expect, it } from 'vitest';
import { geometry, renderDraftDetailed } from '../../../../src/core/drafting/index.js';
import { readPageText } from '../../../../src/core/pdf/text-locate.js';
import { issuingWidgets } from '../../../../src/core/signing/placement-issuing.js';
import { placeLeaderImage } from '../../../../src/core/signing/placement-leader.js';
import { longDraft, samples } from '../../../fixtures/drafting/samples.js';

describe('drafts and the signing placement', () => {
  it('the number goes into the blank before "/UBND-VP", the date into "ngày … tháng …" (year printed; March without a leading 0)', async () => {
    const { pdf } = await renderDraftDetailed(samples['cong-van']);
    const page = await readPageText(pdf, 1);
    const widgets = issuingWidgets(page, { number: '5/UBND-VP', date: '2026-03-05' });
    expect(widgets.map((w) => w.text?.lines[0])).toEqual(['05', '05', '3']);
    const numberLine = page.lines.find((l) => l.text.startsWith('Số:'))!;
    const slash = numberLine.units.find((u) => u.text === '/')!;
    const colon = numberLine.units.find((u) => u.text === ':')!;
    const [x, , w] = widgets[0]!.rect;
    // Written between "Số:" and "/", not over them.
    expect(x).toBeGreaterThan(colon.x1 - 2);
    expect(x + w).toBeLessThanOrEqual(slash.x0 + 2.5);
  });

  it('a draft without the year gets it written into the blank after "năm"', async () => {
    const { pdf } = await renderDraftDetailed({ ...samples['quyet-dinh'], issueYear: undefined });
    const page = await readPageText(pdf, 1);
    const widgets = issuingWidgets(page, { date: '2026-03-05' });
    expect(widgets.map((w) => w.text?.lines[0])).toEqual(['05', '3', '2026']);
    const nam = page.lines.find((l) => l.text.includes('năm'))!;
    const namEnd = nam.units.filter((u) => u.text === 'm').at(-1)!.x1;
    // The widget's text starts 2 pt inside its rectangle: a space's width after "năm".
    expect(widgets[2]!.rect[0] + 2).toBeGreaterThan(namEnd + 2);
  });

  it('the leader signature image gets the room between the position and the name, on the signer page', async () => {
    for (const draft of [samples['cong-van'], samples['quyet-dinh'], longDraft(198)]) {
      const { pdf, closingPage } = await renderDraftDetailed(draft);
      const page = await readPageText(pdf, closingPage);
      const [x, y, w, h] = placeLeaderImage(page, draft.signer.fullName, 2, geometry.PAGE.height);
      expect(h).toBeGreaterThanOrEqual(60);
      expect(x + w / 2).toBeCloseTo(geometry.SIGNER_COLUMN.x + geometry.SIGNER_COLUMN.width / 2, 0);
      expect(y).toBeGreaterThan(geometry.TEXT_BOTTOM);
    }
  });
});
