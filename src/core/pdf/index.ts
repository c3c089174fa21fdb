// The PDF side of PAdES signing: prepare a signature field with placeholders, give the bytes to sign, embed the CMS.
export { preparePdfSignature } from './prepare.js';
export type { PreparePdfSignatureOptions, SignatureWidget } from './prepare.js';
export type { AppearanceText } from './appearance.js';
export { textOnBaseline, textWidth } from './appearance.js';
export { findInText, locateText, readPageText, type Box, type LocateOptions, type PageText, type TextLine, type TextMatch, type TextUnit } from './text-locate.js';
export { contentsPatch, digestSignedContent, embedSignature, preparedBytes, preparedLength, signedContent, signedParts, signedUpdate } from './placeholder.js';
export type { ByteRange, ContentsPatch, PreparedPdfSignature } from './placeholder.js';
export { pdfDate } from './pdf-date.js';
export { lastXref } from './xref-kind.js';
export type { LastXref, XrefKind } from './xref-kind.js';
export { defaultFontBytes, defaultFontPath, DEFAULT_FONT_NAME } from './fonts.js';
export { appendDss, dssUpdate, type SignatureValidationData, type ValidationData } from './dss-writer.js';
export { GrowingPdf, UPGRADE_ROOM } from './growing-pdf.js';
export { openIncremental, type IncrementalUpdate } from './incremental.js';
export { openPreparedFile, type PreparedFile } from './prepared-file.js';
