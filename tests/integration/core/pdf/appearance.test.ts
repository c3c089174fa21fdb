import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { embedSignature, preparePdfSignature, signedContent } from '../../../../src/core/pdf/index.js';
import type { SignatureWidget } from '../../../../src/core/pdf/index.js';
import { usePki } from '../../../kit/pki.js';
import { discPng, fixture, issueSoftSigner, opensslCms, pdfsig, renderRegion, writeTemp } from '../../../kit/pdf-tools.js';
import type { SoftSigner } from '../../../kit/pdf-tools.js';

const pki = usePki();
let signer: SoftSigner;
beforeAll(() => {
  signer = issueSoftSigner(pki, 'Nguyễn Văn Ký');
});

const PAGE_HEIGHT = 841.89; // A4, as in the fixtures
const lines = ['Người ký: Nguyễn Văn Ký', 'Cơ quan: Ủy ban nhân dân tỉnh Cao Bằng', 'Thời gian ký: 2026-03-05T10:15:30+07:00'];

async function signWith(widget: SignatureWidget): Promise<string> {
  const prepared = await preparePdfSignature(fixture('classic-xref.pdf'), { reservedSize: 8192, widget });
  return writeTemp('visible.pdf', embedSignature(prepared, opensslCms(signer, signedContent(prepared))));
}

interface Counts {
  total: number;
  nonWhite: number;
  blue: number;
  red: number;
  dark: number;
}

function countPixels(file: string, [x, y, w, h]: [number, number, number, number], page = 1): Counts {
  const region = renderRegion(file, page, x, Math.round(PAGE_HEIGHT - y - h), w, h);
  const counts: Counts = { total: region.width * region.height, nonWhite: 0, blue: 0, red: 0, dark: 0 };
  for (let i = 0; i + 2 < region.rgb.length; i += 3) {
    const [r, g, b] = [region.rgb[i]!, region.rgb[i + 1]!, region.rgb[i + 2]!];
    if (r < 245 || g < 245 || b < 245) counts.nonWhite++;
    if (b > 150 && r < 80 && g < 100) counts.blue++;
    if (r > 150 && g < 80 && b < 80) counts.red++;
    if (r < 90 && g < 90 && b < 90) counts.dark++;
  }
  return counts;
}

describe('visible signature appearance', () => {
  it('draws a transparent PNG and Vietnamese text inside the widget rectangle, nowhere else', async () => {
    const rect: [number, number, number, number] = [300, 80, 240, 120];
    const file = await signWith({ page: 2, rect, image: discPng(100, [20, 40, 200]), text: { lines, fontSize: 10 } });

    const inside = countPixels(file, rect, 2);
    expect(inside.blue).toBeGreaterThan(2000); // the disc: ~pi * 60^2 points, minus the text over it
    expect(inside.dark).toBeGreaterThan(200); // the text
    // Transparency kept: the corners of the image box (outside the disc) stay white.
    const corner = countPixels(file, [rect[0] + 60, rect[1] + 2, 10, 10], 2);
    expect(corner.nonWhite).toBe(0);
    // Nothing drawn around the box, and the same box of the unsigned file is blank.
    expect(countPixels(file, [rect[0], rect[1] - 40, rect[2], 35], 2).nonWhite).toBe(0);
    expect(countPixels(writeTemp('plain.pdf', fixture('classic-xref.pdf')), rect, 2).nonWhite).toBe(0);
    // Page 1 does not get the appearance.
    expect(countPixels(file, rect, 1).nonWhite).toBe(0);

    // Poppler extracts the widget's appearance text, so the font's ToUnicode map round-trips the diacritics.
    const text = execFileSync('pdftotext', ['-f', '2', '-l', '2', file, '-'], { encoding: 'utf8' });
    for (const line of lines) expect(text).toContain(line);

    // The font is embedded as a subset (tagged name, small file) and the image has a soft mask.
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/^[A-Z]{6}\+LiberationSerif\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\b/m);
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' });
    expect(images).toMatch(/^\s*2\s+\d+\s+image\s+100\s+100\s+rgb\b/m);
    expect(images).toMatch(/^\s*2\s+\d+\s+smask\s+100\s+100\s+gray\b/m);

    expect(pdfsig(file, pki.nssDbSpec)[0]).toMatchObject({ signatureValidation: 'Signature is Valid.', certificateValidation: 'Certificate is Trusted.' });
  });

  it('keeps the subset small: the whole update is far below the 390 KB font', async () => {
    const original = fixture('classic-xref.pdf');
    const prepared = await preparePdfSignature(original, { reservedSize: 8192, widget: { page: 1, rect: [300, 80, 240, 60], text: { lines, fontSize: 10 } } });
    const update = prepared.update.length - 2 * 8192;
    expect(update).toBeLessThan(60_000);
  });

  it('draws a red seal without text and embeds no font', async () => {
    const rect: [number, number, number, number] = [100, 100, 120, 120];
    const file = await signWith({ page: 1, rect, image: discPng(120, [220, 20, 20]) });
    expect(countPixels(file, rect).red).toBeGreaterThan(8000);
    expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).not.toContain('LiberationSerif');
  });

  it('an invisible signature changes no pixel of the page', async () => {
    const prepared = await preparePdfSignature(fixture('classic-xref.pdf'), { reservedSize: 8192 });
    const file = writeTemp('invisible.pdf', embedSignature(prepared, opensslCms(signer, signedContent(prepared))));
    const plain = writeTemp('plain.pdf', fixture('classic-xref.pdf'));
    const render = (f: string): Buffer => execFileSync('pdftoppm', ['-r', '36', '-f', '1', '-l', '1', f]);
    expect(Buffer.compare(render(file), render(plain))).toBe(0);
  });
});
