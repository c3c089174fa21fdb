// The read-only PDF reader: object syntax, streams, cross-reference tables and streams (predictors, hybrid, object streams), /Prev chains, scan-rebuild, and how entries resolve.
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PdfString} from '../../../../src/core/pdf/reader/index.js';
import { PdfDict, PdfFile, PdfName, PdfRef, PdfStream, decodeStream, textOf } from '../../../../src/core/pdf/reader/index.js';
import { Parser } from '../../../../src/core/pdf/reader/parser.js';

const bytes = (text: string | Buffer): Uint8Array => new Uint8Array(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
const parse = (text: string): unknown => new Parser(bytes(text), 0).parse();

describe('object syntax', () => {
  it('reads strings with escapes, octal codes, nested parentheses and line continuations', () => {
    const value = parse('(a\\(b\\)c \\n\\t\\\\ \\101\\7 (nested) x\\\ny)') as PdfString;
    expect(Buffer.from(value.bytes).toString('latin1')).toBe('a(b)c \n\t\\ A\x07 (nested) xy');
  });

  it('reads hex strings with white space and an odd digit count, and UTF-16 text', () => {
    expect(Buffer.from((parse('<48 65 6c6c 6f7>') as PdfString).bytes).toString('latin1')).toBe('Hellop');
    expect(textOf(parse('<FEFF004E0067007500791EC5006E>') as PdfString)).toBe('Nguyễn');
    // Upper and lower case, every white-space kind, and the object after it read from the right place.
    expect(Array.from((new Parser(bytes('[<aB\x00\t\r\n\x0c Cd> 7]'), 0).parse() as [PdfString, number])[0].bytes)).toEqual([0xab, 0xcd]);
    expect((parse('[<> 7]') as [PdfString, number]).map((v) => (typeof v === 'number' ? v : v.bytes.length))).toEqual([0, 7]);
  });

  it('reads a signature-sized hex string whole, and refuses a bad character or a missing end', () => {
    const contents = Buffer.alloc(32 * 1024, 0);
    Buffer.from('3082 signed data').copy(contents);
    const value = parse(`<${contents.toString('hex').toUpperCase()}>`) as PdfString;
    expect(Buffer.from(value.bytes).equals(contents)).toBe(true);
    expect(() => parse('<48 65 6g>')).toThrow(/bad character in a hex string/);
    expect(() => parse('<48656c6c6f')).toThrow(/unterminated hex string/);
  });

  it('reads a long hex string the same whether it is plain digits (decoded at once) or not (spaces, an odd digit), and refuses a bad byte deep inside', () => {
    const contents = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 37 + 11) & 0xff));
    const hex = contents.toString('hex');
    const read = (text: string): Buffer => Buffer.from((parse(text) as PdfString).bytes);
    expect(read(`<${hex}>`).equals(contents)).toBe(true);
    expect(read(`<${hex.toUpperCase()}>`).equals(contents)).toBe(true);
    // A space every 64 digits, as some writers wrap: the same bytes.
    expect(read(`<${hex.replace(/(.{64})/g, '$1 ')}>`).equals(contents)).toBe(true);
    // An odd digit count: the last digit is the high half of one more byte.
    expect(read(`<${hex}7>`).equals(Buffer.concat([contents, Buffer.from([0x70])]))).toBe(true);
    // A bad byte past the first thousands of digits is still refused, not cut short.
    expect(() => parse(`<${hex.slice(0, 10_000)}zz${hex.slice(10_002)}>`)).toThrow(/bad character in a hex string/);
    // The parser goes on after the string.
    expect((new Parser(bytes(`[<${hex}> 7]`), 0).parse() as [PdfString, number])[1]).toBe(7);
  });

  it('reads names with #xx escapes, nested arrays and dictionaries, references and keywords', () => {
    const dict = parse('<< /A#20B [1 -2.5 [true false null] 12 0 R] /C << /D /E#2fF >> /G 3 /H 4 5 R >>') as PdfDict;
    expect(dict.keys()).toEqual(['A B', 'C', 'G', 'H']);
    const array = dict.get('A B') as unknown[];
    expect(array.slice(0, 2)).toEqual([1, -2.5]);
    expect(array[2]).toEqual([true, false, null]);
    expect(array[3]).toEqual(new PdfRef(12, 0));
    expect(((dict.get('C') as PdfDict).get('D') as PdfName).name).toBe('E/F');
    expect(dict.get('G')).toBe(3);
    expect(dict.get('H')).toEqual(new PdfRef(4, 5));
  });

  it('refuses nesting deeper than its limit instead of overflowing the stack', () => {
    expect(() => parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toThrow(/nested too deeply/);
  });

  it('reads a stream by a direct /Length, and falls back to "endstream" when /Length is wrong', () => {
    const good = new Parser(bytes('1 0 obj\n<< /Length 5 >>\nstream\nhello\nendstream\nendobj'), 0).indirectObject()!;
    expect(Buffer.from((good.value as PdfStream).raw).toString()).toBe('hello');
    const wrong = new Parser(bytes('1 0 obj\n<< /Length 99 >>\nstream\nhello world\r\nendstream\nendobj'), 0).indirectObject()!;
    expect(Buffer.from((wrong.value as PdfStream).raw).toString()).toBe('hello world');
  });

  it('decodes FlateDecode with a PNG predictor', () => {
    // Two rows of 3 bytes, the second with the "up" filter.
    const predicted = Buffer.from([0, 1, 2, 3, 2, 1, 1, 1]);
    const stream = new PdfStream(new PdfDict(new Map<string, never>([['Filter', new PdfName('FlateDecode') as never], ['DecodeParms', new PdfDict(new Map([['Predictor', 12], ['Columns', 3]])) as never]])), deflateSync(predicted));
    expect([...decodeStream(stream)]).toEqual([1, 2, 3, 2, 3, 4]);
  });
});

/** A PDF whose objects are written in order with a classic xref table; returns the text and each object's offset. */
function classic(objects: string[], trailerExtra = '', header = '%PDF-1.7\n'): { text: string; offsets: number[]; xref: number } {
  let text = header;
  const offsets = objects.map((body, i) => {
    const at = text.length;
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${trailerExtra} >>\nstartxref\n${xref}\n%%EOF\n`;
  return { text, offsets, xref };
}

const BASE = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>', '<< /Length 5 0 R >>\nstream\nBT ET\nendstream', '5'];

describe('cross-reference reading', () => {
  it('resolves objects through a classic table, with an indirect stream /Length', () => {
    const file = new PdfFile(bytes(classic(BASE).text));
    const revision = file.revision();
    expect(revision.broken).toBe(false);
    expect(revision.catalog()?.get('Pages')).toEqual(new PdfRef(2, 0));
    expect(Buffer.from((revision.resolve(4).value as PdfStream).raw).toString()).toBe('BT ET');
  });

  it('says when an entry points at another object, at garbage, or past the end of the file', () => {
    const { text, offsets } = classic(BASE);
    const update = (entries: string): string => {
      const xref = text.length;
      return `${text}xref\n${entries}trailer\n<< /Size 6 /Root 1 0 R /Prev ${classic(BASE).xref} >>\nstartxref\n${xref}\n%%EOF\n`;
    };
    const other = new PdfFile(bytes(update(`4 1\n${String(offsets[2]).padStart(10, '0')} 00000 n \n`))).revision();
    expect(other.resolve(4).status).toBe('not-that-object');
    const garbage = new PdfFile(bytes(update('4 1\n0000000003 00000 n \n'))).revision();
    expect(garbage.resolve(4).status).toBe('unreadable');
    const past = new PdfFile(bytes(update('4 1\n0000999999 00000 n \n'))).revision();
    expect(past.resolve(4).status).toBe('unreadable');
    const free = new PdfFile(bytes(update('4 1\n0000000000 00001 f \n'))).revision();
    expect(free.resolve(4).status).toBe('free');
  });

  it('keeps what a section read when its /Prev loops or points nowhere, and scans for the entries it lacks', () => {
    const { text } = classic(BASE);
    const at = text.length;
    const addition = '6 0 obj\n<< /Title (sua) >>\nendobj\n';
    const xref = at + addition.length;
    const withPrev = (prev: number): string => `${text}${addition}xref\n6 1\n${String(at).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R /Prev ${prev} >>\nstartxref\n${xref}\n%%EOF\n`;
    for (const prev of [xref, 3]) {
      const revision = new PdfFile(bytes(withPrev(prev))).revision();
      expect(revision.broken).toBe(true);
      expect(textOf(revision.dict(revision.trailer.get('Info'))?.get('Title'))).toBe('sua');
      // Objects 1–5 are only found by scanning.
      expect(revision.entries.has(3)).toBe(false);
      expect(revision.dict(new PdfRef(3, 0))?.get('Type')).toEqual(new PdfName('Page'));
    }
  });

  it('rebuilds a file whose startxref points nowhere from the objects and the trailer it finds', () => {
    const broken = classic(BASE).text.replace(/startxref\n\d+/, 'startxref\n12345678');
    const revision = new PdfFile(bytes(broken)).revision();
    expect(revision.rebuilt).toBe(true);
    expect(revision.catalog()?.get('Type')).toEqual(new PdfName('Catalog'));
  });

  it('reads an xref stream with a PNG predictor, objects in an object stream, and a hybrid table with /XRefStm', () => {
    // Objects 1–3 direct, 6 an object stream holding 4 (the page's /Contents is a direct stream 5 written after it).
    const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Resources 4 0 R >>'];
    let text = '%PDF-1.7\n';
    const offsets: number[] = [0];
    objects.forEach((body, i) => {
      offsets.push(text.length);
      text += `${i + 1} 0 obj\n${body}\nendobj\n`;
    });
    const packed = '<< /Font << >> /Packed true >>';
    const objStm = deflateSync(Buffer.from(`4 0 ${packed}`, 'latin1'));
    const objStmAt = text.length;
    const objStmHead = `6 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${objStm.length} >>\nstream\n`;
    let buffer = Buffer.concat([Buffer.from(text + objStmHead, 'latin1'), objStm, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    const streamAt = buffer.length;
    buffer = Buffer.concat([buffer, Buffer.from('5 0 obj\n<< /Length 5 >>\nstream\nBT ET\nendstream\nendobj\n', 'latin1')]);
    // Rows: type (1 byte), field 2 (4 bytes), field 3 (1 byte), with the PNG "up" predictor.
    const rows: number[][] = [
      [0, 0, 0, 0, 0, 255],
      ...[1, 2, 3].map((n) => [1, ...[24, 16, 8, 0].map((s) => (offsets[n]! >>> s) & 255), 0]),
      [2, 0, 0, 0, 6, 0],
      [1, ...[24, 16, 8, 0].map((s) => (streamAt >>> s) & 255), 0],
      [1, ...[24, 16, 8, 0].map((s) => (objStmAt >>> s) & 255), 0],
    ];
    const predicted: number[] = [];
    rows.forEach((row, r) => predicted.push(2, ...row.map((v, i) => (v - (r > 0 ? rows[r - 1]![i]! : 0)) & 255)));
    const data = deflateSync(Buffer.from(predicted));
    const xrefAt = buffer.length;
    const xrefStream = Buffer.concat([
      Buffer.from(`7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 1] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 6 >> /Length ${data.length} >>\nstream\n`, 'latin1'),
      data,
      Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'),
    ]);
    const streamFile = Buffer.concat([buffer, xrefStream]);
    const viaStream = new PdfFile(bytes(streamFile)).revision();
    expect(viaStream.broken).toBe(false);
    expect(viaStream.dict(new PdfRef(4, 0))?.get('Packed')).toBe(true);
    expect(viaStream.resolve(4).entry).toEqual({ type: 'compressed', stream: 6, index: 0 });

    // Hybrid: a classic table for 1–3, 5 and 6 that calls 4 free, and /XRefStm for the packed object 4 (readers that skip it miss 4).
    const hybridTableAt = streamFile.length;
    const table = `xref\n0 5\n0000000000 65535 f \n${[1, 2, 3].map((n) => `${String(offsets[n]).padStart(10, '0')} 00000 n \n`).join('')}0000000000 00000 f \n5 2\n${String(streamAt).padStart(10, '0')} 00000 n \n${String(objStmAt).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 8 /Root 1 0 R /XRefStm ${xrefAt} >>\nstartxref\n${hybridTableAt}\n%%EOF\n`;
    const hybrid = new PdfFile(bytes(Buffer.concat([streamFile, Buffer.from(table, 'latin1')]))).revision();
    expect(hybrid.broken).toBe(false);
    expect(hybrid.entries.get(4)).toEqual({ type: 'compressed', stream: 6, index: 0 });
    expect(hybrid.dict(new PdfRef(4, 0))?.get('Packed')).toBe(true);
  });

  it('shares parsed objects between revisions whose entries are the same', () => {
    const { text } = classic(BASE);
    const addition = '6 0 obj\n<< >>\nendobj\n';
    const longer = `${text}${addition}xref\n6 1\n${String(text.length).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 7 /Root 1 0 R /Prev ${classic(BASE).xref} >>\nstartxref\n${text.length + addition.length}\n%%EOF\n`;
    const file = new PdfFile(bytes(longer));
    const [first, last] = [file.revision(text.length), file.revision()];
    expect(last.broken).toBe(false);
    expect(first.resolve(3).value).toBe(last.resolve(3).value);
    expect(last.sameEntryAs(first, 3)).toBe(true);
    expect(first.resolve(6).status).toBe('missing');
  });
});

describe('hostile input', () => {
  it('caps what an xref stream may claim: a tiny stream of ten million rows is read only up to the limit', () => {
    const rows = Buffer.alloc(10_000_000, 0); // W [1 0 0]: ten million free entries from ~10 KB of zlib data
    const data = deflateSync(rows);
    const text = Buffer.concat([
      Buffer.from(`%PDF-1.5\n1 0 obj\n<< /Type /XRef /Size 10000000 /W [1 0 0] /Root 2 0 R /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1'),
      data,
      Buffer.from('\nendstream\nendobj\nstartxref\n9\n%%EOF\n', 'latin1'),
    ]);
    const start = performance.now();
    const revision = new PdfFile(bytes(text)).revision();
    expect(revision.entries.size).toBe(1_000_000);
    expect(revision.catalog()).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(30_000); // a guard against runaway work, not a speed aim
  });

  it('calls values nested deeper than its limit different, so a change is reported rather than hidden', async () => {
    const { ContentEquality } = await import('../../../../src/core/validation/content-equality.js');
    // Two chains of 1500 references each (objects 2… and 1502…), equal in content: too deep to prove equal.
    const chain = (first: number): string[] => Array.from({ length: 1500 }, (_, i) => (i === 1499 ? '[]' : `[${first + i + 1} 0 R]`));
    const file = new PdfFile(bytes(classic(['<< /Type /Catalog >>', ...chain(2), ...chain(1502)]).text)).revision();
    const equality = new ContentEquality(file, file);
    expect(equality.same(new PdfRef(1500, 0), new PdfRef(3000, 0))).toBe(true);
    expect(equality.same(new PdfRef(2, 0), new PdfRef(1502, 0))).toBe(false);
  });
});
