// Public face of signing: PAdES over the token, with Decree 30 appearances.
export { signPdf, signPdfToFile, estimateReservedSize, type PdfSigningKey, type SignPdfOptions, type SignedPdf, type SignedPdfFile, type SigningLevel } from './sign-pdf.js';
export { decree30Widget, vietnamTime, type AppearanceRequest, type CopyType, type Decree30Appearance } from './decree30-appearance.js';
export { addDocumentTimestamp, upgradeSignatures, type LongTermOptions, type UpgradeLevel } from './long-term.js';
export { chooseCertificate, unlockCertificate, type CertificateChoice, type CertificateChoiceOptions } from './token-key.js';
