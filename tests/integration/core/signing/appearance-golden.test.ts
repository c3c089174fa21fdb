import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decree30Widget, signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { decree30Pdf } from '../../../fixtures/pdf/decree30/make-decree30.js';
import { discPng } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { differingShare, readPng } from '../../../kit/png.js';
import { logoutAll, tokenSigningKey } from '../../../kit/signing-key.js';

// The signed pages as a reader sees them, compared with expected images (UPDATE_GOLDEN=1 rewrites them after a deliberate change).
const pki = usePki();
const expectedDir = path.resolve('tests/fixtures/pdf/decree30');
const signingTime = new Date('2026-01-05T02:00:00Z');
let leader: PdfSigningKey;
let agency: PdfSigningKey;

beforeAll(async () => {
  leader = await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-rsa');
  agency = await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa');
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

function renderPage(pdf: Uint8Array, page: number): Uint8Array {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-golden-'));
  const input = path.join(dir, 'in.pdf');
  writeFileSync(input, pdf);
  execFileSync('pdftoppm', ['-r', '36', '-f', String(page), '-l', String(page), '-png', '-singlefile', input, path.join(dir, 'page')]);
  return readFileSync(path.join(dir, 'page.png'));
}

function expectLooksLike(rendered: Uint8Array, name: string): void {
  const file = path.join(expectedDir, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, rendered);
  const share = differingShare(readPng(rendered), readPng(readFileSync(file)));
  expect(share, `${name}: ${(share * 100).toFixed(2)}% of pixels differ`).toBeLessThan(0.002);
}

describe('rendered Decree 30 appearances', () => {
  it('leader signature, seal over its left third, number and date, and an attachment stamp look as expected', async () => {
    const original = await decree30Pdf();
    const blue = discPng(120, [20, 40, 200]);
    const red = discPng(110, [210, 20, 20]);
    const signedByLeader = await signPdf(original, leader, {
      signingTime,
      widget: await decree30Widget(original, { appearance: 'leader', image: blue, signerName: 'Nguyễn Thị Hồng Nhung', signingTime }),
    });
    const sealed = await signPdf(signedByLeader.bytes, agency, {
      signingTime,
      widget: await decree30Widget(signedByLeader.bytes, { appearance: 'seal', image: red, signingTime, issuing: { number: '05/UBND-VP', date: '2026-01-05' } }),
    });
    expectLooksLike(renderPage(sealed.bytes, 1), 'expected-issued-page1.png');
    expectLooksLike(renderPage(sealed.bytes, 2), 'expected-issued-page2.png');

    const attachment = await signPdf(original, agency, {
      signingTime,
      widget: await decree30Widget(original, { appearance: 'attachment', documentNotation: '05/UBND-VP', signingTime }),
    });
    expectLooksLike(renderPage(attachment.bytes, 1), 'expected-attachment-page1.png');
    // The test can fail: the unsigned page must not look like the signed one.
    expect(differingShare(readPng(renderPage(original, 2)), readPng(renderPage(sealed.bytes, 2)))).toBeGreaterThan(0.002);
  });
});
