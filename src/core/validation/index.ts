// Public face of validation: a report for every signature in a PDF.
export { validatePdf, pdfDateToIso, type ValidationOptions } from './validate-pdf.js';
export { threadedValidator, trustListFingerprint, type ThreadedValidator, type ValidatePdf, type ValidateTask } from './threaded.js';
export { validateTask } from './validate-worker.js';
