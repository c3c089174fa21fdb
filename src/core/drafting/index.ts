// Offline drafting: Decree 30 templates, layout and PDF rendering of drafts, and importing a main file made elsewhere.
export { parseDraft, renderDraft, renderDraftDetailed, layoutDraft, type DraftLayout, type RenderOptions, type RenderedDraft } from './render.js';
export { templates, typeNameOf, vvSubject, metadataTypeName, type Template } from './templates.js';
export { breakLines, balancedLines, toRuns, type Line, type Segment } from './line-break.js';
export { paginate, type PageLayout, type PlacedBlock } from './paginate.js';
export { signerTitleLines, recipientLines } from './closing.js';
export { numberText, placeDateText, NATIONAL_NAME, MOTTO, urgencyText, secrecyText } from './header.js';
export * as geometry from './geometry.js';
export { checkImportedPdf, importDraftPdf, importDraftDocx, type ImportTarget } from './import.js';
export { convertDocxToPdf, findSoffice, type DocxOptions } from './docx.js';
export { documentMetadataFromDraft } from './metadata.js';
