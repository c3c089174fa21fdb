// Builds PDF signature attack files for tests: hand-written incremental updates, byte surgery on signed files, and small PDFs an attacker prepares before the victim signs.
import { readFileSync } from 'node:fs';
import { PDFDict, PDFDocument, PDFName, PDFRef, type PDFObject } from '@cantoo/pdf-lib';
import type { PdfSigningKey } from '../../../../src/core/signing/index.js';
import { TokenSession, TokenSigner } from '../../../../src/core/token/index.js';
import type { PdfValidationReport } from '../../../../src/shared/validation.js';
import type { PkiManifest } from '../../../kit/pki-manifest.js';

export const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
export const raw = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'latin1'));
export const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** A key on one of the test PKI's SoftHSM tokens, with the sub-CA embedded so pdfsig and openssl can build the chain. */
export async function tokenKey(pki: PkiManifest, label: string, certificate: string, sessions: TokenSession[]): Promise<PdfSigningKey> {
  const session = await TokenSession.open(pki.module, { label });
  sessions.push(session);
  if (!(await session.isLoggedIn())) await session.login(pki.userPin);
  const chosen = await session.certificate(certificate);
  return {
    signer: new TokenSigner(session, chosen),
    certificate: new Uint8Array(Buffer.from(chosen.certificate.der, 'base64')),
    chain: [new Uint8Array(readFileSync(pki.subCaDer))],
    keyType: chosen.certificate.publicKey.type === 'ec' ? 'ec' : 'rsa',
  };
}

/** Everything a report says against a file, one string (findings of every signature and their disallowed changes). */
export function reasons(report: PdfValidationReport): string {
  return [
    ...report.findings.map((f) => `${f.code}: ${f.messageEn}`),
    ...report.signatures.flatMap((s) => [...s.findings.map((f) => `${f.code}: ${f.messageEn}`), ...s.modifications.disallowed]),
  ].join('\n');
}

/** The offset the file's last startxref points at. */
export function lastStartxref(file: Uint8Array): number {
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text(file.subarray(file.length - 1024)));
  if (!match) throw new Error('no startxref at the end');
  return Number(match[1]);
}

/** Where each "N G obj" of an object starts, in file order. */
export const definitions = (file: Uint8Array, objectNumber: number, generation = 0): number[] =>
  [...text(file).matchAll(new RegExp(`(?<![0-9])${objectNumber} ${generation} obj\\b`, 'g'))].map((m) => m.index);

/** Where "N G obj" of the last definition of an object starts. */
export function lastDefinition(file: Uint8Array, objectNumber: number, generation = 0): number {
  const last = definitions(file, objectNumber, generation).at(-1);
  if (last === undefined) throw new Error(`object ${objectNumber} is not defined directly`);
  return last;
}

/** The body of an object's last direct definition, between "N G obj" and "endobj". */
export function bodyOf(file: Uint8Array, objectNumber: number): string {
  const rest = text(file.subarray(lastDefinition(file, objectNumber)));
  return rest.slice(rest.indexOf('obj') + 3, rest.indexOf('endobj')).trim();
}

export interface NewObject {
  number: number;
  generation?: number;
  /** The object's body, between "N G obj" and "endobj". */
  body: string | Uint8Array;
}

export interface UpdateOptions {
  /** Trailer /Root instead of the current one. */
  root?: string;
  /** Trailer /Info instead of the current one. */
  info?: string;
  /** Cross-reference entries set by hand: an absolute offset, or 'free'. */
  xref?: Record<number, number | 'free'>;
  /** Bytes written before the objects (e.g. a stream that hides an object's bytes). */
  prefix?: Uint8Array;
}

/**
 * Appends an incremental update with a classic cross-reference table, as any PDF writer would:
 * the new objects, their xref entries (plus hand-set ones), and a trailer chained by /Prev.
 */
export async function appendUpdate(file: Uint8Array, objects: NewObject[], options: UpdateOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.load(file, { updateMetadata: false });
  const info = doc.context.trailerInfo;
  const refText = (value: PDFObject | undefined): string | undefined => (value instanceof PDFRef ? `${value.objectNumber} ${value.generationNumber} R` : undefined);
  const parts: Uint8Array[] = [file, raw('\n')];
  let at = file.length + 1;
  if (options.prefix) {
    parts.push(options.prefix);
    at += options.prefix.length;
  }
  const entries = new Map<number, string>();
  for (const object of objects) {
    const generation = object.generation ?? 0;
    entries.set(object.number, `${String(at).padStart(10, '0')} ${String(generation).padStart(5, '0')} n \n`);
    const body = typeof object.body === 'string' ? raw(object.body) : object.body;
    const piece = concat(raw(`${object.number} ${generation} obj\n`), body, raw('\nendobj\n'));
    parts.push(piece);
    at += piece.length;
  }
  for (const [number, where] of Object.entries(options.xref ?? {})) {
    entries.set(Number(number), where === 'free' ? '0000000000 00001 f \n' : `${String(where).padStart(10, '0')} 00000 n \n`);
  }
  const size = Math.max(info.Size?.asNumber() ?? 0, ...[...entries.keys()].map((n) => n + 1));
  let xref = 'xref\n';
  for (const number of [...entries.keys()].sort((a, b) => a - b)) xref += `${number} 1\n${entries.get(number)}`;
  const root = options.root ?? refText(info.Root);
  const infoRef = options.info ?? refText(info.Info);
  xref += `trailer\n<< /Size ${size} /Root ${root}${infoRef ? ` /Info ${infoRef}` : ''} /Prev ${lastStartxref(file)} >>\nstartxref\n${at}\n%%EOF\n`;
  parts.push(raw(xref));
  return concat(...parts);
}

/** A stream object body with its /Length. */
export const stream = (content: string, dict = ''): string => `<< ${dict} /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;

/** The serialized dictionary of an object with some keys set (values as PDF syntax) or removed (undefined). */
export async function changedDict(file: Uint8Array, objectNumber: number, changes: Record<string, string | undefined>): Promise<string> {
  const doc = await PDFDocument.load(file, { updateMetadata: false });
  const dict = doc.context.lookup(PDFRef.of(objectNumber), PDFDict).clone(doc.context);
  for (const key of Object.keys(changes)) dict.delete(PDFName.of(key));
  let out = dict.toString().replace(/>>\s*$/, '');
  for (const [key, value] of Object.entries(changes)) if (value !== undefined) out += `/${key} ${value}\n`;
  return `${out}>>`;
}

/** Object number of a reference-valued key, e.g. the page's /Contents. */
export async function refOf(file: Uint8Array, objectNumber: number, key: string): Promise<number> {
  const doc = await PDFDocument.load(file, { updateMetadata: false });
  const value = doc.context.lookup(PDFRef.of(objectNumber), PDFDict).get(PDFName.of(key));
  if (!(value instanceof PDFRef)) throw new Error(`/${key} of object ${objectNumber} is not a reference`);
  return value.objectNumber;
}

/** Object numbers of the signature dictionaries (/V of /FT /Sig fields) and their fields, in file order. */
export async function signatureObjects(file: Uint8Array): Promise<{ field: number; value: number }[]> {
  const doc = await PDFDocument.load(file, { updateMetadata: false });
  const found: { field: number; value: number }[] = [];
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('FT')) !== PDFName.of('Sig')) continue;
    const value = object.get(PDFName.of('V'));
    if (value instanceof PDFRef) found.push({ field: ref.objectNumber, value: value.objectNumber });
  }
  return found.sort((a, b) => a.value - b.value);
}

/** The largest object number in use, so new objects can take the next ones. */
export async function nextObjectNumber(file: Uint8Array): Promise<number> {
  const doc = await PDFDocument.load(file, { updateMetadata: false });
  return Math.max(doc.context.trailerInfo.Size?.asNumber() ?? 0, doc.context.largestObjectNumber + 1);
}

/** A whole one-revision PDF with a classic xref from object bodies (object n is bodies[n - 1]); object 1 is the catalog, 2 the Info. */
export function writePdf(bodies: string[]): Uint8Array {
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets = bodies.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R /Info 2 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return raw(out);
}

export const A4 = '[0 0 595.28 841.89]';
export const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
export const line = (y: number, words: string): string => `BT /F1 14 Tf 72 ${y} Td (${words}) Tj ET`;

/** A key's value of an object as PDF syntax (e.g. the page's /Annots array). */
export async function valueOf(file: Uint8Array, objectNumber: number, key: string): Promise<string> {
  const doc = await PDFDocument.load(file, { updateMetadata: false });
  return doc.context.lookup(PDFRef.of(objectNumber), PDFDict).get(PDFName.of(key))?.toString() ?? '';
}

/** An array value (as "[…]") with more references appended. */
export const withRefs = (array: string, ...numbers: number[]): string => `[${array.trim().replace(/^\[|\]$/g, '')} ${numbers.map((n) => `${n} 0 R`).join(' ')}]`;

/** Object number of a page (0-based index). */
export async function pageObject(file: Uint8Array, index: number): Promise<number> {
  return (await PDFDocument.load(file, { updateMetadata: false })).getPage(index).ref.objectNumber;
}
