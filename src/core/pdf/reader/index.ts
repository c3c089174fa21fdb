// Public face of the read-only PDF reader used by verification.
export { PdfFile, Revision, type Resolution, type ResolutionStatus } from './pdf-file.js';
export { PdfDict, PdfName, PdfRef, PdfStream, PdfString, dictOf, nameOf, numberOf, refKey, textOf, typeOf, type PdfValue } from './objects.js';
export { decodeStream } from './filters.js';
export { PdfParseError } from './parser.js';
export { plainHex } from './plain-hex.js';
export type { XrefEntry } from './xref.js';
