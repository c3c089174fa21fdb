// edXML (QCVN 102:2016): build and parse the national exchange package, and map it to and from vanthu's envelope.
export { buildEdxml } from './build.js';
export { parseEdxml, DEFAULT_MAX_ATTACHMENT_BYTES, type EdxmlLimits } from './parse.js';
export { envelopeToEdxml, edxmlToMessage, documentIdOf, vietnamTimestamp, toEdxmlDate, fromEdxmlDate, DOC_TYPE, type ExportInput, type ImportedMessage } from './envelope.js';
export { parseXml, DEFAULT_XML_LIMITS, type XmlElement, type XmlLimits } from './xml-reader.js';
export { escapeAttribute, escapeText } from './xml-writer.js';
export * from './types.js';
