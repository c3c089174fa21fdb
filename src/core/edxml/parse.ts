// Parses an edXML package (QCVN 102:2016) as real ones are written: the <edXML> root or the older bare envelope, document and status headers, cid-joined attachments (zips unpacked within limits), the enveloped signature checked.
import { VanthuError } from '../../shared/errors.js';
import { checkOrganId, refuseControlCharacters, safeBaseName } from './text-safety.js';
import {
  EDXML_NS,
  type BussinessDocType,
  type EdxmlAnyPackage,
  type EdxmlAttachment,
  type EdxmlBusiness,
  type EdxmlMessageHeader,
  type EdxmlOrganization,
  type EdxmlResponseFor,
  type EdxmlStaffInfo,
  type EdxmlStatusHeader,
  type EdxmlTraceHeader,
} from './types.js';
import { checkEnvelopedSignature } from './xml-signature.js';
import { parseXml, type XmlElement, type XmlLimits } from './xml-reader.js';
import { looksLikeZip, unpackZip, type ZipLimits } from './zip-attachment.js';

export interface EdxmlLimits extends Partial<XmlLimits> {
  /** One decoded attachment. */
  maxAttachmentBytes?: number;
  maxAttachments?: number;
  zip?: Partial<ZipLimits>;
  /** Packages inside zipped attachments are read this deep (0: not at all). */
  maxNesting?: number;
  /** When the signature is checked (tests set it; default now). */
  now?: Date;
}

export const DEFAULT_MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

/** A vendor SDK writes `xlink:` attributes without declaring the prefix: read as the XLink namespace it means. */
const LENIENT_PREFIXES = { xlink: 'http://www.w3.org/1999/xlink' } as const;

/** EDXML_FIELD_INVALID, with the line of the element concerned when known. */
const invalid = (field: string, detail: string, at?: XmlElement): VanthuError =>
  new VanthuError('EDXML_FIELD_INVALID', { field, detail: at?.line ? `${detail} (dòng / line ${at.line})` : detail });

/** Children of the edXML namespace; a producer writing them without a namespace is read the same. */
const kids = (parent: XmlElement, name: string): XmlElement[] => parent.children.filter((c) => (c.ns === EDXML_NS || c.ns === '') && c.name === name);

function one(parent: XmlElement, name: string, path: string): XmlElement | undefined {
  const found = kids(parent, name);
  if (found.length > 1) throw invalid(`${path}/${name}`, 'appears more than once / xuất hiện nhiều lần', found[1]);
  return found[0];
}

function text(parent: XmlElement | undefined, name: string, path: string): string | undefined {
  if (!parent) return undefined;
  const element = one(parent, name, path);
  if (!element) return undefined;
  if (element.children.length > 0) throw invalid(`${path}/${name}`, 'must hold text only / chỉ được chứa văn bản', element);
  const value = element.text.trim();
  if (value === '') return undefined;
  // Tab and line breaks are XML's own white space and survive; every other control character is refused.
  try {
    return refuseControlCharacters(value, `${path}/${name}`, true);
  } catch (error) {
    throw error instanceof VanthuError ? invalid(`${path}/${name}`, String(error.params.detail ?? error.messageEn), element) : error;
  }
}

function required(parent: XmlElement, name: string, path: string): string {
  const value = text(parent, name, path);
  if (value === undefined) throw invalid(`${path}/${name}`, 'missing or empty / thiếu hoặc trống', kids(parent, name)[0] ?? parent);
  return value;
}

function integer(parent: XmlElement | undefined, name: string, path: string, max = 1_000_000_000): number | undefined {
  const value = text(parent, name, path);
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) > max) throw invalid(`${path}/${name}`, `"${value.slice(0, 20)}" is not a whole number up to ${max} / không phải số nguyên hợp lệ`, parent && kids(parent, name)[0]);
  return Number(value);
}

const isCalendarDay = (y: number, m: number, d: number): boolean => {
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
};

/**
 * A date as yyyy/MM/dd. Read: yyyy/MM/dd (the samples), yyyy-MM-dd, dd/MM/yyyy, each optionally followed by a time
 * (" HH:mm:ss" or "THH:mm:ss…", dropped). Anything else, or a day that does not exist, is refused.
 */
export function normaliseEdxmlDate(value: string): string | undefined {
  const day = value.replace(/[ T]\d{1,2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/, '');
  let match = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(day);
  let [y, m, d] = match ? [match[1], match[2], match[3]] : [];
  if (!match) {
    match = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(day);
    if (match) [d, m, y] = [match[1], match[2], match[3]];
  }
  if (!match || !isCalendarDay(Number(y), Number(m), Number(d))) return undefined;
  return `${y}/${m!.padStart(2, '0')}/${d!.padStart(2, '0')}`;
}

function date(parent: XmlElement | undefined, name: string, path: string): string | undefined {
  const value = text(parent, name, path);
  if (value === undefined) return undefined;
  const normalised = normaliseEdxmlDate(value);
  if (!normalised) throw invalid(`${path}/${name}`, `"${value.slice(0, 30)}" is not a date yyyy/MM/dd / không phải ngày dạng yyyy/MM/dd`, parent && kids(parent, name)[0]);
  return normalised;
}

/** A timestamp kept as written (a trace list travels on unchanged), once it reads as a date and a time. */
const TIMESTAMP = /^\d{4}[/-]\d{2}[/-]\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$|^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}(:\d{2})?$/;

function timestamp(parent: XmlElement, name: string, path: string): string {
  const value = required(parent, name, path);
  if (!TIMESTAMP.test(value)) throw invalid(`${path}/${name}`, `"${value.slice(0, 30)}" is not yyyy/MM/dd HH:mm:ss / không phải thời điểm hợp lệ`, kids(parent, name)[0]);
  return value;
}

function organId(parent: XmlElement, path: string): string {
  const value = required(parent, 'OrganId', path);
  try {
    return checkOrganId(value, `${path}/OrganId`);
  } catch (error) {
    throw error instanceof VanthuError ? invalid(`${path}/OrganId`, String(error.params.detail), kids(parent, 'OrganId')[0]) : error;
  }
}

function organization(element: XmlElement, path: string): EdxmlOrganization {
  return {
    organId: organId(element, path),
    organizationInCharge: text(element, 'OrganizationInCharge', path),
    organName: text(element, 'OrganName', path),
    organAdd: text(element, 'OrganAdd', path),
    email: text(element, 'Email', path),
    telephone: text(element, 'Telephone', path),
    fax: text(element, 'Fax', path),
    website: text(element, 'Website', path),
  };
}

/** Drops undefined members; undefined when nothing is left, so absent blocks stay absent. */
function compact<T extends object>(value: T): T | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0));
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}

function staffInfo(parent: XmlElement, path: string): EdxmlStaffInfo | undefined {
  const staff = one(parent, 'StaffInfo', path);
  const at = `${path}/StaffInfo`;
  return staff ? compact({ department: text(staff, 'Department', at), staff: text(staff, 'Staff', at), mobile: text(staff, 'Mobile', at), email: text(staff, 'Email', at) }) : undefined;
}

function responseFor(r: XmlElement, path: string): EdxmlResponseFor {
  const at = `${path}/ResponseFor`;
  return compact({ organId: organId(r, at), code: text(r, 'Code', at), promulgationDate: date(r, 'PromulgationDate', at), documentId: text(r, 'DocumentId', at) })!;
}

function messageHeader(m: XmlElement): EdxmlMessageHeader {
  const path = 'MessageHeader';
  const from = one(m, 'From', path);
  if (!from) throw invalid(`${path}/From`, 'missing / thiếu');
  const to = kids(m, 'To');
  if (to.length === 0) throw invalid(`${path}/To`, 'at least one recipient / cần ít nhất một nơi nhận');
  const code = one(m, 'Code', path);
  const promulgation = one(m, 'PromulgationInfo', path);
  const type = one(m, 'DocumentType', path);
  const signer = one(m, 'SignerInfo', path);
  const toPlaces = one(m, 'ToPlaces', path);
  const other = one(m, 'OtherInfo', path);
  const appendixes = other ? one(other, 'Appendixes', `${path}/OtherInfo`) : undefined;
  const header: EdxmlMessageHeader = {
    from: organization(from, `${path}/From`),
    to: to.map((t) => organization(t, `${path}/To`)),
    code: code ? { codeNumber: required(code, 'CodeNumber', `${path}/Code`), codeNotation: text(code, 'CodeNotation', `${path}/Code`) ?? '' } : undefined,
    promulgationInfo: promulgation ? compact({ place: text(promulgation, 'Place', `${path}/PromulgationInfo`), promulgationDate: date(promulgation, 'PromulgationDate', `${path}/PromulgationInfo`) }) : undefined,
    documentType: type ? compact({ type: integer(type, 'Type', `${path}/DocumentType`), typeDetail: integer(type, 'TypeDetail', `${path}/DocumentType`), typeName: text(type, 'TypeName', `${path}/DocumentType`) }) : undefined,
    subject: required(m, 'Subject', path),
    content: text(m, 'Content', path),
    signerInfo: signer ? compact({ competence: text(signer, 'Competence', `${path}/SignerInfo`), position: text(signer, 'Position', `${path}/SignerInfo`), fullName: text(signer, 'FullName', `${path}/SignerInfo`) }) : undefined,
    dueDate: date(m, 'DueDate', path),
    toPlaces: toPlaces ? kids(toPlaces, 'Place').map((p) => refuseControlCharacters(p.text.trim(), `${path}/ToPlaces/Place`, true)).filter((p) => p !== '') : undefined,
    otherInfo: other
      ? compact({
          priority: integer(other, 'Priority', `${path}/OtherInfo`, 4),
          sphereOfPromulgation: text(other, 'SphereOfPromulgation', `${path}/OtherInfo`),
          typerNotation: text(other, 'TyperNotation', `${path}/OtherInfo`),
          promulgationAmount: integer(other, 'PromulgationAmount', `${path}/OtherInfo`),
          pageAmount: integer(other, 'PageAmount', `${path}/OtherInfo`),
          direction: text(other, 'Direction', `${path}/OtherInfo`),
          appendixes: appendixes ? kids(appendixes, 'Appendix').map((a) => refuseControlCharacters(a.text.trim(), `${path}/OtherInfo/Appendixes/Appendix`, true)).filter((a) => a !== '') : undefined,
        })
      : undefined,
    // Real packages write an empty <ResponseFor/> when the document answers nothing.
    responseFor: kids(m, 'ResponseFor').filter((r) => r.children.length > 0).map((r) => responseFor(r, path)),
    steeringType: integer(m, 'SteeringType', path, 2),
    documentId: text(m, 'DocumentId', path),
  };
  return compact(header) as EdxmlMessageHeader;
}

/** Status codes 01–16 as the axis numbers them. */
const STATUS_CODE = /^(0[1-9]|1[0-6])$/;

function statusHeader(m: XmlElement): EdxmlStatusHeader {
  const path = 'MessageHeader';
  const from = one(m, 'From', path);
  if (!from) throw invalid(`${path}/From`, 'missing / thiếu');
  const answers = kids(m, 'ResponseFor').filter((r) => r.children.length > 0);
  if (answers.length !== 1) throw invalid(`${path}/ResponseFor`, 'a status names exactly one document it answers / gói trạng thái phải nêu đúng một văn bản');
  const code = required(m, 'StatusCode', path).padStart(2, '0');
  if (!STATUS_CODE.test(code)) throw invalid(`${path}/StatusCode`, `"${code.slice(0, 10)}" is not a status code 01–16 / không phải mã trạng thái 01–16`);
  return compact({
    from: organization(from, `${path}/From`),
    responseFor: responseFor(answers[0]!, path),
    staffInfo: staffInfo(m, path),
    statusCode: code,
    description: text(m, 'Description', path),
    timestamp: timestamp(m, 'Timestamp', path),
  }) as EdxmlStatusHeader;
}

function business(element: XmlElement): EdxmlBusiness {
  const path = 'Bussiness';
  const docType = integer(element, 'BussinessDocType', path, 3);
  if (docType === undefined) throw invalid(`${path}/BussinessDocType`, 'missing / thiếu');
  const list = one(element, 'ReplacementInfoList', path);
  const replacements = list
    ? kids(list, 'ReplacementInfo').map((r) => {
        const organIds = one(r, 'OrganIdList', `${path}/ReplacementInfo`);
        return {
          documentId: required(r, 'DocumentId', `${path}/ReplacementInfo`),
          organIds: organIds ? kids(organIds, 'OrganId').map((o) => checkOrganId(o.text.trim(), `${path}/ReplacementInfo/OrganIdList/OrganId`)) : [],
        };
      })
    : undefined;
  return compact({
    documentId: text(element, 'DocumentId', path),
    docType: docType as BussinessDocType,
    reason: text(element, 'BussinessDocReason', path),
    paper: integer(element, 'Paper', path, 1),
    replacementInfoList: replacements,
    staffInfo: staffInfo(element, path),
  })!;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The key joining manifest references and attachments: `cid:209`, `<209>` and `209` name the same content. */
export const contentKey = (id: string): string => id.trim().replace(/^cid:/i, '').replace(/^<(.*)>$/, '$1');

interface Reference {
  name?: string;
  contentType?: string;
  description?: string;
}

function attachment(a: XmlElement, references: ReadonlyMap<string, Reference>, limits: EdxmlLimits, depth: number): EdxmlAttachment {
  const path = 'AttachmentEncoded/Attachment';
  const contentId = required(a, 'ContentId', path);
  const reference = references.get(contentKey(contentId));
  const written = text(a, 'AttachmentName', path) ?? reference?.name;
  if (!written) throw new VanthuError('EDXML_ATTACHMENT_INVALID', { name: contentId, detail: 'no AttachmentName / thiếu tên tệp' });
  const name = safeBaseName(written);
  const element = one(a, 'ContentTransferEncoded', path);
  if (!element || element.children.length > 0) throw new VanthuError('EDXML_ATTACHMENT_INVALID', { name, detail: 'no ContentTransferEncoded / thiếu nội dung' });
  const encoded = element.text.replace(/[ \t\r\n]+/g, '');
  if (encoded.length === 0) throw new VanthuError('EDXML_ATTACHMENT_INVALID', { name, detail: 'empty content / nội dung trống' });
  // Buffer.from(…, 'base64') skips what it does not understand; a package with junk in its content is refused instead.
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) throw new VanthuError('EDXML_ATTACHMENT_INVALID', { name, detail: 'content is not base64 / nội dung không phải base64' });
  const size = (encoded.length / 4) * 3 - (encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0);
  const maxBytes = limits.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  if (size > maxBytes) throw new VanthuError('EDXML_TOO_LARGE', { size, limit: maxBytes });
  const bytes = new Uint8Array(Buffer.from(encoded, 'base64'));
  const result: EdxmlAttachment = {
    contentId,
    contentType: text(a, 'ContentType', path) ?? reference?.contentType ?? 'application/octet-stream',
    name,
    ...((text(a, 'Description', path) ?? reference?.description) !== undefined ? { description: text(a, 'Description', path) ?? reference?.description } : {}),
    bytes,
  };
  if (written !== name) result.writtenName = written;
  if (looksLikeZip(bytes)) {
    result.unpacked = unpackZip(bytes, name, limits.zip).map((entry) => {
      const nested = depth < (limits.maxNesting ?? 2) && looksLikeEdxml(entry.bytes) ? parsePackage(entry.bytes, limits, depth + 1) : undefined;
      return { name: entry.name, path: entry.path, bytes: entry.bytes, ...(nested ? { nested } : {}) };
    });
  }
  return result;
}

/** An XML file whose first kilobyte names an edXML root. */
function looksLikeEdxml(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('utf8');
  return /<([A-Za-z_][\w.-]*:)?edXML(Envelope)?[\s>]/.test(head);
}

function decode(input: Uint8Array | string, maxBytes: number | undefined): string {
  if (typeof input === 'string') return input;
  if (maxBytes !== undefined && input.length > maxBytes) throw new VanthuError('EDXML_TOO_LARGE', { size: input.length, limit: maxBytes });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw new VanthuError('EDXML_MALFORMED', { detail: 'not UTF-8', line: 1 });
  }
}

function parsePackage(input: Uint8Array | string, limits: EdxmlLimits, depth: number): EdxmlAnyPackage {
  const source = decode(input, limits.maxBytes);
  const root = parseXml(source, { ...limits, lenientPrefixes: { ...LENIENT_PREFIXES, ...limits.lenientPrefixes } });
  const inEdxml = root.ns === EDXML_NS || root.ns === '';
  // Real packages: <edXML> holding the envelope, with AttachmentEncoded outside it. Older ones: the envelope as root.
  let envelope: XmlElement | undefined;
  if (inEdxml && root.name === 'edXML') envelope = one(root, 'edXMLEnvelope', 'edXML');
  else if (inEdxml && root.name === 'edXMLEnvelope') envelope = root;
  if (!envelope) throw new VanthuError('EDXML_NOT_EDXML', { detail: `root <${root.name}> in namespace "${root.ns}" holds no edXMLEnvelope` });
  const header = one(envelope, 'edXMLHeader', 'edXMLEnvelope');
  const message = header ? one(header, 'MessageHeader', 'edXMLHeader') : undefined;
  if (!header || !message) throw new VanthuError('EDXML_NOT_EDXML', { detail: 'no edXMLHeader/MessageHeader' });

  const traceList = one(header, 'TraceHeaderList', 'edXMLHeader');
  const traces: EdxmlTraceHeader[] = traceList ? kids(traceList, 'TraceHeader').map((t) => ({ organId: organId(t, 'TraceHeader'), timestamp: timestamp(t, 'Timestamp', 'TraceHeader') })) : [];
  // Bussiness sits in the trace list; some producers put it beside it.
  const businessElements = [...(traceList ? kids(traceList, 'Bussiness') : []), ...kids(header, 'Bussiness')];
  if (businessElements.length > 1) throw invalid('Bussiness', 'appears more than once / xuất hiện nhiều lần');
  const businessPart = businessElements[0] ? { business: business(businessElements[0]) } : {};
  const signature = checkEnvelopedSignature(source, limits.now);
  const signaturePart = signature ? { signature } : {};

  if (one(message, 'StatusCode', 'MessageHeader')) return { kind: 'status', status: statusHeader(message), traces, ...businessPart, ...signaturePart };

  const body = one(envelope, 'edXMLBody', 'edXMLEnvelope');
  const manifest = body ? one(body, 'edXMLManifest', 'edXMLBody') : undefined;
  const references = new Map<string, Reference>();
  for (const r of manifest ? kids(manifest, 'Reference') : []) {
    const id = required(r, 'ContentId', 'edXMLManifest/Reference');
    references.set(contentKey(id), compact({ name: text(r, 'AttachmentName', 'Reference'), contentType: text(r, 'ContentType', 'Reference'), description: text(r, 'Description', 'Reference') }) ?? {});
  }
  // Attachments: outside the envelope (real packages), or inside it or its body (older ones).
  const blocks = [...(root !== envelope ? kids(root, 'AttachmentEncoded') : []), ...kids(envelope, 'AttachmentEncoded'), ...(body ? kids(body, 'AttachmentEncoded') : [])];
  const elements = blocks.flatMap((block) => kids(block, 'Attachment'));
  const maxAttachments = limits.maxAttachments ?? 50;
  if (elements.length > maxAttachments) throw new VanthuError('EDXML_TOO_LARGE', { size: `${elements.length} attachments`, limit: maxAttachments });
  const attachments = elements.map((a) => attachment(a, references, limits, depth));
  const ids = new Set<string>();
  for (const a of attachments) {
    if (ids.has(contentKey(a.contentId))) throw new VanthuError('EDXML_ATTACHMENT_INVALID', { name: a.name, detail: `ContentId ${a.contentId} used twice / trùng ContentId` });
    ids.add(contentKey(a.contentId));
  }
  // The manifest names the attachments: each reference must have its content.
  for (const [id, reference] of references) {
    if (!ids.has(id)) throw new VanthuError('EDXML_ATTACHMENT_INVALID', { name: reference.name ?? id, detail: `listed in the manifest but not attached / có trong danh mục nhưng không có nội dung (cid:${id})` });
  }
  return { kind: 'document', header: messageHeader(message), traces, ...businessPart, attachments, ...signaturePart };
}

/** Any package (document or status) in `input`; any problem (malformed XML, a DTD, missing fields, bad base64, a zip over its limits) is an EDXML_* error. */
export function parseAnyEdxml(input: Uint8Array | string, limits: EdxmlLimits = {}): EdxmlAnyPackage {
  return parsePackage(input, limits, 0);
}

/** A document package; a status package here is EDXML_NOT_EDXML (it carries no document). */
export function parseEdxml(input: Uint8Array | string, limits: EdxmlLimits = {}): Extract<EdxmlAnyPackage, { kind?: 'document' }> {
  const pkg = parsePackage(input, limits, 0);
  if (pkg.kind === 'status') throw new VanthuError('EDXML_NOT_EDXML', { detail: 'a status package, not a document / đây là gói trạng thái, không phải văn bản' });
  return pkg;
}
