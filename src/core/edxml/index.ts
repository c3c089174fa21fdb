// edXML (QCVN 102:2016): build and parse the national exchange package (documents and statuses), sign and check it, and map it to and from vanthu's envelope.
export { buildEdxml, buildSignedEdxml } from './build.js';
export { parseEdxml, parseAnyEdxml, normaliseEdxmlDate, contentKey, DEFAULT_MAX_ATTACHMENT_BYTES, type EdxmlLimits } from './parse.js';
export {
  envelopeToEdxml,
  edxmlToMessage,
  statusToEdxml,
  documentIdOf,
  vietnamTimestamp,
  toEdxmlDate,
  fromEdxmlDate,
  DOC_TYPE,
  type ExportInput,
  type ImportedMessage,
  type StatusExportInput,
} from './envelope.js';
export { checkEnvelopedSignature, signEnveloped, xmlKeyFromSigner, type XmlSignatureAlgorithm, type XmlSigningKey } from './xml-signature.js';
export { unpackZip, looksLikeZip, DEFAULT_ZIP_LIMITS, type ZipEntry, type ZipLimits } from './zip-attachment.js';
export { safeBaseName, refuseControlCharacters, controlCharacterIn, checkOrganId, SAFE_ORGAN_ID } from './text-safety.js';
export { describePackage, summaryText, type PackageSummary, type AttachmentSummary } from './describe.js';
export { STATUS_LABELS, statusLabel } from './status-codes.js';
export { parseXml, DEFAULT_XML_LIMITS, type XmlElement, type XmlLimits } from './xml-reader.js';
export { escapeAttribute, escapeText } from './xml-writer.js';
export * from './types.js';
