// Makes signed PDFs in the shapes real files have (pyHanko style, one defect each), for the validator's real-file tests and the verify bench.
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { addDocumentTimestamp } from '../../../../src/core/signing/long-term.js';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { discPng } from '../../../kit/pdf-tools.js';
import { appendUpdate, changedDict, lastDefinition, nextObjectNumber, raw, text, valueOf } from './attack-kit.js';

/** The leader's visible signature on page 1, as the attack tests sign. */
export const signVisible = async (pdf: Uint8Array, key: PdfSigningKey): Promise<Uint8Array> =>
  (await signPdf(pdf, key, { widget: { page: 1, rect: [350, 100, 150, 75], image: discPng(80, [20, 40, 200]) } })).bytes;

/** A later revision rewrites page `page` with its /Resources moved into a new object of the same content (keys in another order). */
export async function resourcesMovedSameContent(signed: Uint8Array, page: number): Promise<Uint8Array> {
  const n = await nextObjectNumber(signed);
  const resources = await valueOf(signed, page, 'Resources');
  return appendUpdate(signed, [
    { number: n, body: resources },
    { number: page, body: await changedDict(signed, page, { Resources: `${n} 0 R` }) },
  ]);
}

/** iText's habit: /ITXT written into the page tree root on save, /Kids unchanged but moved after it. */
export async function pagesPrivateKeyItxt(signed: Uint8Array, pages: number): Promise<Uint8Array> {
  return appendUpdate(signed, [{ number: pages, body: await changedDict(signed, pages, { Kids: await valueOf(signed, pages, 'Kids'), ITXT: '(5.5.13.3)' }) }]);
}

/** A later update (new document information) whose trailer /Prev points nowhere: its section is all a reader finds by the chain. */
export async function xrefPrevBroken(signed: Uint8Array, info: number): Promise<Uint8Array> {
  const updated = text(await appendUpdate(signed, [{ number: info, body: '<< /Title (Van ban - ban cuoi) /Producer (vanthu) >>' }]));
  const at = updated.lastIndexOf('/Prev ');
  return raw(updated.slice(0, at) + updated.slice(at).replace(/\/Prev \d+/, '/Prev 3'));
}

/** The hide shadow attack: the xref entry of `object` now points at another object's bytes. */
export const shadowHideXrefToOtherObject = (signed: Uint8Array, object: number, other: number): Promise<Uint8Array> =>
  appendUpdate(signed, [], { xref: { [object]: lastDefinition(signed, other) } });

/** The hide shadow attack: the xref entry of `object` now points past the end of the file. */
export const shadowHideXrefPastEof = (signed: Uint8Array, object: number): Promise<Uint8Array> =>
  appendUpdate(signed, [], { xref: { [object]: signed.length + 100_000 } });

/** A later update writes a catalog a reader cannot parse (`body` replaces it). */
export const catalogDamaged = (signed: Uint8Array, catalog: number, body: string): Promise<Uint8Array> => appendUpdate(signed, [{ number: catalog, body }]);

/**
 * Long-term validation data as some tools write it: a DSS dictionary without the optional /Type, a document
 * timestamp over it, then the same DSS object rewritten with a /VRI entry, and a second document timestamp.
 */
export async function docTimestampAfterDssWithoutType(signed: Uint8Array, catalog: number, certificateDer: string, tsaUrl: string): Promise<Uint8Array> {
  const n = await nextObjectNumber(signed);
  const certificate = readFileSync(certificateDer);
  const certStream = new Uint8Array(Buffer.concat([Buffer.from(`<< /Length ${certificate.length} >>\nstream\n`, 'latin1'), certificate, Buffer.from('\nendstream', 'latin1')]));
  const withDss = await appendUpdate(signed, [
    { number: n, body: `<< /Certs [${n + 1} 0 R] >>` },
    { number: n + 1, body: certStream },
    { number: catalog, body: await changedDict(signed, catalog, { DSS: `${n} 0 R` }) },
  ]);
  const stamped = await addDocumentTimestamp(withDss, { tsaUrl });
  const vri = await appendUpdate(stamped, [{ number: n, body: `<< /Certs [${n + 1} 0 R] /VRI << /0123456789ABCDEF0123456789ABCDEF01234567 << /Cert [${n + 1} 0 R] >> >> >>` }]);
  return addDocumentTimestamp(vri, { tsaUrl });
}

/** One document signed `count` times in turn (each signature a new visible field on page 1). */
export async function manySignatures(pdf: Uint8Array, key: PdfSigningKey, count: number): Promise<Uint8Array> {
  let out = pdf;
  for (let i = 0; i < count; i++) {
    const x = 40 + (i % 5) * 105;
    const y = 60 + Math.floor(i / 5) * 80;
    out = (await signPdf(out, key, { fieldName: `ChuKy${i + 1}`, widget: { page: 1, rect: [x, y, 100, 70], image: discPng(40, [20, 40, 200]) } })).bytes;
  }
  return out;
}


/**
 * A hybrid-reference file (ISO 32000 7.5.8.4): a classic table for the direct objects and, through the trailer's
 * /XRefStm, an xref stream for the page's resources and font, kept in an object stream that only the stream lists.
 * Objects: 1 catalog, 2 pages, 3 page, 4 resources and 5 font (packed in 6), 7 content, 8 the xref stream.
 */
export function hybridXrefPdf(): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets = new Map<number, number>();
  const size = (): number => parts.reduce((sum, part) => sum + part.length, 0);
  const put = (num: number, head: string, data?: Buffer): void => {
    offsets.set(num, size());
    parts.push(Buffer.from(`${num} 0 obj\n${head}${data ? '\nstream\n' : ''}`, 'latin1'));
    if (data) parts.push(data, Buffer.from('\nendstream', 'latin1'));
    parts.push(Buffer.from('\nendobj\n', 'latin1'));
  };
  put(1, '<< /Type /Catalog /Pages 2 0 R >>');
  put(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  put(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources 4 0 R /Contents 7 0 R >>');
  const packed = ['<< /Font << /F1 5 0 R >> >>', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'];
  const header = `4 0 5 ${packed[0]!.length + 1} `;
  const objStm = deflateSync(Buffer.from(header + packed.join('\n'), 'latin1'));
  put(6, `<< /Type /ObjStm /N 2 /First ${header.length} /Filter /FlateDecode /Length ${objStm.length} >>`, objStm);
  const content = Buffer.from('BT /F1 14 Tf 72 770 Td (HOP DONG - tham chieu lai) Tj 0 -22 Td (So: 07/UBND-VP) Tj ET', 'latin1');
  put(7, `<< /Length ${content.length} >>`, content);
  // The xref stream: rows of type (1 byte), offset or stream number (4 bytes), generation or index (1 byte), no predictor.
  const xrefStreamAt = size();
  offsets.set(8, xrefStreamAt);
  const row = (type: number, field: number, last: number): number[] => [type, (field >>> 24) & 255, (field >>> 16) & 255, (field >>> 8) & 255, field & 255, last];
  const rows = [...row(2, 6, 0), ...row(2, 6, 1)];
  const rowData = Buffer.from(rows);
  put(8, `<< /Type /XRef /Size 9 /W [1 4 1] /Index [4 2] /Length ${rowData.length} >>`, rowData);
  const tableAt = size();
  const entry = (num: number): string => `${String(offsets.get(num)).padStart(10, '0')} 00000 n \n`;
  // Readers that ignore /XRefStm see objects 4 and 5 as free in the table.
  parts.push(
    Buffer.from(
      `xref\n0 9\n0000000000 65535 f \n${entry(1)}${entry(2)}${entry(3)}0000000000 00000 f \n0000000000 00000 f \n${entry(6)}${entry(7)}${entry(8)}` +
        `trailer\n<< /Size 9 /Root 1 0 R /XRefStm ${xrefStreamAt} >>\nstartxref\n${tableAt}\n%%EOF\n`,
      'latin1',
    ),
  );
  return new Uint8Array(Buffer.concat(parts));
}
