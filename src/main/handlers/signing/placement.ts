// Where a signature would go without the user placing it: the leader's image above the printed name, the seal over the leader's signature, stamps top right of page 1.
import { PDFDocument } from '@cantoo/pdf-lib';
import { VanthuError } from '../../../shared/errors.js';
import type { SigningAppearance } from '../../../shared/ipc/signing.js';
import { readPageText } from '../../../core/pdf/index.js';
import { placeLeaderImage } from '../../../core/signing/placement-leader.js';
import { pngInfo, sealSizePoints } from '../../../core/signing/placement-png.js';
import { leaderWidget, placeSeal } from '../../../core/signing/placement-seal.js';

type Rect = [number, number, number, number];

export interface Placement {
  page: number;
  rect: Rect;
  pageSize: { width: number; height: number };
}

// The same defaults core's decree30Widget uses, so a suggested box is where the signature lands.
const DEFAULT_SEAL_MM = 36;
const STAMP_WIDTH = 200;
const STAMP_MARGIN = 20;
const STAMP_LINE = 10 * 1.3;
/** A handwritten signature is about twice as wide as tall when no image is chosen yet. */
const DEFAULT_ASPECT = 2;

export async function suggestPlacement(bytes: Uint8Array, appearance: SigningAppearance, options: { signerName?: string; image?: Uint8Array }): Promise<Placement> {
  // pdf.js (page text) refuses Node Buffers: give it a plain Uint8Array.
  const pdf = Buffer.isBuffer(bytes) ? new Uint8Array(bytes) : bytes;
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
  } catch (error) {
    throw new VanthuError('PDF_INVALID', { detail: error instanceof Error ? error.message : String(error) });
  }
  const size = (page: number) => {
    const { width, height } = doc.getPage(page - 1).getSize();
    return { width, height };
  };
  if (appearance === 'leader') {
    const page = doc.getPageCount();
    if (!options.signerName) throw new VanthuError('APPEARANCE_SIGNER_NAME_NOT_FOUND', { name: '—', page });
    const aspect = options.image ? ((info) => info.width / info.height)(pngInfo(options.image)) : DEFAULT_ASPECT;
    const rect = placeLeaderImage(await readPageText(pdf, page), options.signerName, aspect, size(page).height);
    return { page, rect, pageSize: size(page) };
  }
  if (appearance === 'seal') {
    const leader = leaderWidget(doc);
    const mm = (DEFAULT_SEAL_MM / 25.4) * 72;
    const seal = options.image ? sealSizePoints(options.image, DEFAULT_SEAL_MM) : { width: mm, height: mm };
    return { page: leader.page, rect: placeSeal(leader.rect, seal), pageSize: size(leader.page) };
  }
  const lines = appearance === 'attachment' ? 2 : 3;
  const { width, height } = size(1);
  const stampHeight = lines * STAMP_LINE + 4;
  return { page: 1, rect: [width - STAMP_MARGIN - STAMP_WIDTH, height - STAMP_MARGIN - stampHeight, STAMP_WIDTH, stampHeight], pageSize: { width, height } };
}
