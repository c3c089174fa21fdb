import { execFileSync } from 'node:child_process';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateText, type Box } from '../../../../src/core/pdf/index.js';
import { decree30Widget, signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { parseCertificate } from '../../../../src/core/x509/certificate-info.js';
import { isVanthuError } from '../../../../src/shared/errors.js';
import { decree30Pdf, LAYOUT } from '../../../fixtures/pdf/decree30/make-decree30.js';
import { discPng, pdfsig, qpdfCheck, renderRegion, writeTemp } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../../kit/signing-key.js';

// Decree 30 appearances placed from the page text, signed on SoftHSM, judged by pdftoppm, pdftotext, pdfsig and the validator.
const pki = usePki();
let trust: TrustStore;


let leader: PdfSigningKey;
let agency: PdfSigningKey;
let leaderName: string;

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  leader = await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-rsa');
  agency = await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa');
  leaderName = parseCertificate(leader.certificate).subject.commonName ?? '';
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

/** A wide RGBA PNG like a scanned signature: a thick blue band across the middle, transparent elsewhere. */
function signaturePng(width: number, height: number): Uint8Array {
  const row = width * 4 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set([20, 40, 200, Math.abs(y - height / 2) < height / 4 ? 255 : 0], y * row + 1 + x * 4);
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// 2:1, as signatures are wider than tall.
const blueSignature = signaturePng(240, 120);
const redSeal = discPng(110, [210, 20, 20]);
const PAGE_HEIGHT = 841.89;
const MM = 72 / 25.4;
const signingTime = new Date('2026-01-05T02:00:00Z');

type Rgb = [number, number, number];
/** Colours rendered at 72 dpi inside a box given in PDF points (origin bottom left). */
function pixels(file: string, page: number, box: Box): Rgb[] {
  const x = Math.round(box.x);
  const yTop = Math.round(PAGE_HEIGHT - box.y - box.height);
  const { width, height, rgb } = renderRegion(file, page, x, yTop, Math.max(1, Math.round(box.width)), Math.max(1, Math.round(box.height)));
  const out: Rgb[] = [];
  for (let i = 0; i < width * height; i++) out.push([rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!]);
  return out;
}
const isBlue = ([r, g, b]: Rgb): boolean => b > 150 && r < 90 && g < 110;
const isRed = ([r, g, b]: Rgb): boolean => r > 150 && g < 90 && b < 90;
const share = (all: Rgb[], test: (p: Rgb) => boolean): number => all.filter(test).length / all.length;
const rectBox = ([x, y, width, height]: [number, number, number, number]): Box => ({ x, y, width, height });
const centreBox = (cx: number, cy: number, half: number): Box => ({ x: cx - half, y: cy - half, width: 2 * half, height: 2 * half });

describe('Decree 30 appearances placed from the page text', () => {
  let original: Uint8Array;
  let leaderSigned: Uint8Array;
  let leaderRect: [number, number, number, number];

  beforeAll(async () => {
    original = await decree30Pdf();
  });

  it('puts the leader image above the printed name, centred on it, below the title line', async () => {
    const widget = await decree30Widget(original, { appearance: 'leader', image: blueSignature, signerName: leaderName, signingTime });
    expect(leaderName).toBe('Nguyễn Thị Hồng Nhung');
    expect(widget?.page).toBe(LAYOUT.signerPage);
    const [name] = await locateText(original, 2, leaderName);
    const [title] = await locateText(original, 2, LAYOUT.titleLine.text);
    expect(name && title).toBeTruthy();
    const [x, y, w, h] = widget!.rect;
    expect(x + w / 2).toBeCloseTo(name!.box.x + name!.box.width / 2, 1);
    expect(y).toBeGreaterThanOrEqual(name!.box.y + name!.box.height);
    expect(y + h).toBeLessThanOrEqual(title!.box.y);
    // It uses the gap: most of the space between the two lines.
    expect(h).toBeGreaterThan((title!.box.y - (name!.box.y + name!.box.height)) * 0.8);

    const signed = await signPdf(original, leader, { widget, signingTime, reason: 'Phê duyệt' });
    leaderSigned = signed.bytes;
    leaderRect = widget!.rect;
    const file = writeTemp('leader.pdf', signed.bytes);
    // The disc's middle is blue; the printed name below and the title above stay black on white.
    expect(share(pixels(file, 2, centreBox(x + w / 2, y + h / 2, h / 4)), isBlue)).toBeGreaterThan(0.9);
    expect(share(pixels(file, 2, name!.box), isBlue)).toBe(0);
    expect(share(pixels(file, 2, title!.box), isBlue)).toBe(0);
    expect(share(pixels(writeTemp('unsigned.pdf', original), 2, centreBox(x + w / 2, y + h / 2, h / 4)), isBlue)).toBe(0);
    expect(pdfsig(file, pki.nssDbSpec)[0]).toMatchObject({ signatureValidation: 'Signature is Valid.', certificateValidation: 'Certificate is Trusted.' });
  });

  it('draws the text-only stamp (who signed, when) where the image would go when there is no image', async () => {
    const widget = await decree30Widget(original, { appearance: 'leader', textOnly: true, signerName: leaderName, signingTime });
    expect(widget?.image).toBeUndefined();
    expect(widget?.text?.lines).toEqual([`Ký bởi: ${leaderName}`, 'Thời gian ký: 2026-01-05T09:00:00+07:00']);
    const [name] = await locateText(original, 2, leaderName);
    const [title] = await locateText(original, 2, LAYOUT.titleLine.text);
    const [x, y, w, h] = widget!.rect;
    expect(widget?.page).toBe(LAYOUT.signerPage);
    expect(y).toBeGreaterThanOrEqual(name!.box.y + name!.box.height);
    expect(y + h).toBeLessThanOrEqual(title!.box.y);
    const signed = await signPdf(original, leader, { widget, signingTime, reason: 'Phê duyệt' });
    const file = writeTemp('text-only.pdf', signed.bytes);
    // Text is drawn in the box (dark pixels), where the unsigned page is blank.
    const isDark = ([r, g, b]: Rgb): boolean => r < 110 && g < 110 && b < 110;
    expect(share(pixels(file, 2, rectBox([x, y, w, h])), isDark)).toBeGreaterThan(0.01);
    expect(share(pixels(writeTemp('unsigned-text.pdf', original), 2, rectBox([x, y, w, h])), isDark)).toBe(0);
    expect(pdfsig(file, pki.nssDbSpec)[0]).toMatchObject({ signatureValidation: 'Signature is Valid.' });
    // Without textOnly, a leader signature without an image is still refused (the CLI's --image).
    await expect(decree30Widget(original, { appearance: 'leader', signerName: leaderName, signingTime })).rejects.toThrow(/needs a PNG image/);
  });

  it('seals over the left third of the leader signature and writes the number and date, keeping the leader signature valid', async () => {
    const widget = await decree30Widget(leaderSigned, {
      appearance: 'seal',
      image: redSeal,
      signingTime,
      issuing: { number: '05/UBND-VP', date: '2026-01-05' },
    });
    expect(widget?.page).toBe(2);
    const [sx, sy, sw, sh] = widget!.rect;
    const [lx, ly, lw, lh] = leaderRect;
    // Real size without pHYs: the 36 mm default. Centred on the line a third into the leader's image.
    expect(sw).toBeCloseTo(36 * MM, 3);
    expect(sh).toBeCloseTo(36 * MM, 3);
    expect(sx + sw / 2).toBeCloseTo(lx + lw / 3, 6);
    expect(sy + sh / 2).toBeCloseTo(ly + lh / 2, 6);
    expect(sx).toBeLessThan(lx);
    expect(sx + sw).toBeGreaterThan(lx + lw / 3);
    expect(sx + sw).toBeLessThan(lx + lw);
    expect(widget?.extraWidgets?.map((w) => [w.page, w.text?.lines[0]])).toEqual([
      [1, '05'],
      [1, '05'],
      [1, '01'],
    ]);

    const sealed = await signPdf(leaderSigned, agency, { widget, signingTime });
    const file = writeTemp('sealed.pdf', sealed.bytes);
    expect(qpdfCheck(file).status).toBe(0);

    // Red on top at the left third of the leader's image; the right part of the leader's disc still blue.
    expect(share(pixels(file, 2, centreBox(lx + lw / 3, ly + lh / 2, 4)), isRed)).toBe(1);
    expect(share(pixels(file, 2, centreBox(lx + lw * 0.85, ly + lh / 2, 3)), isBlue)).toBe(1);

    // The number and the date read in order with the printed text around them.
    const before = execFileSync('pdftotext', ['-f', '1', '-l', '1', writeTemp('plain.pdf', original), '-'], { encoding: 'utf8' });
    expect(before).not.toMatch(/05\/UBND-VP/);
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/Số: ?05\/UBND-VP/);
    expect(text).toMatch(/ngày 05 tháng 01 năm 2026/);
    // Drawn black, on the document's baseline, over blank paper.
    const [nx, ny, nw, nh] = widget!.extraWidgets![0]!.rect;
    // Inside the padding: the widget's edges touch the printed "/" on purpose.
    const numberRect: [number, number, number, number] = [nx + 3, ny, nw - 6, nh];
    const isInk = ([r, g, b]: Rgb): boolean => r < 128 && g < 128 && b < 128;
    expect(share(pixels(writeTemp('plain.pdf', original), 1, rectBox(numberRect)), isInk)).toBe(0);
    expect(share(pixels(file, 1, rectBox(numberRect)), isInk)).toBeGreaterThan(0.02);

    expect(pdfsig(file, pki.nssDbSpec).map((s) => [s.signatureValidation, s.certificateValidation])).toEqual([
      ['Signature is Valid.', 'Certificate is Trusted.'],
      ['Signature is Valid.', 'Certificate is Trusted.'],
    ]);
    const report = await validatePdf(sealed.bytes, { trust, online: true });
    expect(report.verdict).toBe('valid');
    const [leaderReport, agencyReport] = report.signatures;
    expect(leaderReport).toMatchObject({ verdict: 'valid', signer: { subject: { commonName: 'Nguyễn Thị Hồng Nhung' } }, coverage: { laterRevisions: 1 } });
    expect(leaderReport?.modifications.disallowed).toEqual([]);
    expect(leaderReport?.modifications.allowed.join('; ')).toContain('signature added');
    expect(agencyReport).toMatchObject({ verdict: 'valid', signer: { subject: { commonName: 'UBND tỉnh Cao Bằng' } }, coverage: { coversWholeFile: true } });
  });

  it('says clearly when the signer name is not on the last page', async () => {
    const other = await decree30Pdf({ nameRuns: ['Trần Văn', 'Bình'] });
    const error = await decree30Widget(other, { appearance: 'leader', image: blueSignature, signerName: leaderName, signingTime }).catch((e: unknown) => e);
    expect(isVanthuError(error, 'APPEARANCE_SIGNER_NAME_NOT_FOUND')).toBe(true);
    if (!isVanthuError(error)) return;
    expect(error.messageVi).toContain('Không tìm thấy tên người ký "Nguyễn Thị Hồng Nhung" trên trang 2');
    expect(error.messageVi).toContain('--page');
    expect(error.messageEn).toContain('--rect');
    // With an explicit position it signs.
    expect((await decree30Widget(other, { appearance: 'leader', image: blueSignature, signerName: leaderName, signingTime, page: 2, rect: [360, 510, 130, 65] }))?.rect).toEqual([360, 510, 130, 65]);
  });

  it('refuses to seal a document no one has signed visibly, and a number that disagrees with the printed ký hiệu', async () => {
    const unsigned = await decree30Widget(original, { appearance: 'seal', image: redSeal, signingTime }).catch((e: unknown) => e);
    expect(isVanthuError(unsigned, 'APPEARANCE_LEADER_SIGNATURE_NOT_FOUND')).toBe(true);
    const mismatch = await decree30Widget(leaderSigned, { appearance: 'seal', image: redSeal, signingTime, issuing: { number: '05/QĐ-UBND' } }).catch((e: unknown) => e);
    expect(isVanthuError(mismatch, 'APPEARANCE_ISSUING_MISMATCH')).toBe(true);
    if (isVanthuError(mismatch)) expect(mismatch.messageVi).toContain('"/UBND-VP"');
  });
});
