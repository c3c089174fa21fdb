// Parses an edXML package (QCVN 102:2016) safely: the structure checked, numbers and dates checked, attachments decoded from strict base64.
import { VanthuError } from '../../shared/errors.js';
import { EDXML_NS, type BussinessDocType, type EdxmlAttachment, type EdxmlMessageHeader, type EdxmlOrganization, type EdxmlPackage } from './types.js';
import { parseXml, type XmlElement, type XmlLimits } from './xml-reader.js';

export interface EdxmlLimits extends Partial<XmlLimits> {
  /** One decoded attachment. */
  maxAttachmentBytes?: number;
  maxAttachments?: number;
}

export const DEFAULT_MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

const invalid = (field: string, detail: string): VanthuError => new VanthuError('EDXML_FIELD_INVALID', { field, detail });

const kids = (parent: XmlElement, name: string): XmlElement[] => parent.children.filter((c) => c.ns === EDXML_NS && c.name === name);

function one(parent: XmlElement, name: string, path: string): XmlElement | undefined {
  const found = kids(parent, name);
  if (found.length > 1) throw invalid(`${path}/${name}`, 'appears more than once / xuất hiện nhiều lần');
  return found[0];
}

function text(parent: XmlElement | undefined, name: string, path: string): string | undefined {
  if (!parent) return undefined;
  const element = one(parent, name, path);
  if (!element) return undefined;
  if (element.children.length > 0) throw invalid(`${path}/${name}`, 'must hold text only / chỉ được chứa văn bản');
  const value = element.text.trim();
  return value === '' ? undefined : value;
}

function required(parent: XmlElement, name: string, path: string): string {
  const value = text(parent, name, path);
  if (value === undefined) throw invalid(`${path}/${name}`, 'missing or empty / thiếu hoặc trống');
  return value;
}

function integer(parent: XmlElement | undefined, name: string, path: string, max = 1_000_000_000): number | undefined {
  const value = text(parent, name, path);
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) > max) throw invalid(`${path}/${name}`, `"${value.slice(0, 20)}" is not a whole number up to ${max} / không phải số nguyên hợp lệ`);
  return Number(value);
}

/** yyyy/MM/dd that is a real calendar day. */
function date(parent: XmlElement | undefined, name: string, path: string): string | undefined {
  const value = text(parent, name, path);
  if (value === undefined) return undefined;
  const match = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(value);
  const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!match || !day || day.getUTCDate() !== Number(match[3]) || day.getUTCMonth() !== Number(match[2]) - 1) {
    throw invalid(`${path}/${name}`, `"${value.slice(0, 20)}" is not a date yyyy/MM/dd / không phải ngày dạng yyyy/MM/dd`);
  }
  return value;
}

function organization(element: XmlElement, path: string): EdxmlOrganization {
  return {
    organId: required(element, 'OrganId', path),
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
  const steeringType = integer(m, 'SteeringType', path, 2);
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
    toPlaces: toPlaces ? kids(toPlaces, 'Place').map((p) => p.text.trim()).filter((p) => p !== '') : undefined,
    otherInfo: other
      ? compact({
          priority: integer(other, 'Priority', `${path}/OtherInfo`, 4),
          sphereOfPromulgation: text(other, 'SphereOfPromulgation', `${path}/OtherInfo`),
          typerNotation: text(other, 'TyperNotation', `${path}/OtherInfo`),
          promulgationAmount: integer(other, 'PromulgationAmount', `${path}/OtherInfo`),
          pageAmount: integer(other, 'PageAmount', `${path}/OtherInfo`),
          appendixes: appendixes ? kids(appendixes, 'Appendix').map((a) => a.text.trim()).filter((a) => a !== '') : undefined,
        })
      : undefined,
    responseFor: kids(m, 'ResponseFor').map((r) =>
      compact({
        organId: required(r, 'OrganId', `${path}/ResponseFor`),
        code: text(r, 'Code', `${path}/ResponseFor`),
        promulgationDate: date(r, 'PromulgationDate', `${path}/ResponseFor`),
        documentId: text(r, 'DocumentId', `${path}/ResponseFor`),
      })!,
    ),
    steeringType,
    documentId: text(m, 'DocumentId', path),
  };
  return compact(header) as EdxmlMessageHeader;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function attachment(a: XmlElement, limits: Required<Pick<EdxmlLimits, 'maxAttachmentBytes'>>): EdxmlAttachment {
  const path = 'AttachmentEncoded/Attachment';
  const name = required(a, 'AttachmentName', path);
  const element = one(a, 'ContentTransferEncoded', path);
  if (!element || element.children.length > 0) throw new VanthuError('EDXML_ATTACHMENT_INVALID', { name, detail: 'no ContentTransferEncoded / thiếu nội dung' });
  const encoded = element.text.replace(/[ \t\r\n]+/g, '');
  if (encoded.length === 0) throw new VanthuError('EDXML_ATTACHMENT_INVALID', { name, detail: 'empty content / nội dung trống' });
  // Buffer.from(…, 'base64') skips what it does not understand; a package with junk in its content is refused instead.
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) throw new VanthuError('EDXML_ATTACHMENT_INVALID', { name, detail: 'content is not base64 / nội dung không phải base64' });
  const size = (encoded.length / 4) * 3 - (encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0);
  if (size > limits.maxAttachmentBytes) throw new VanthuError('EDXML_TOO_LARGE', { size, limit: limits.maxAttachmentBytes });
  return {
    contentId: required(a, 'ContentId', path),
    contentType: text(a, 'ContentType', path) ?? 'application/octet-stream',
    name,
    description: text(a, 'Description', path),
    bytes: new Uint8Array(Buffer.from(encoded, 'base64')),
  };
}

/** The package in `input`; any problem (malformed XML, a DTD, missing fields, bad base64, too large) is an EDXML_* error. */
export function parseEdxml(input: Uint8Array | string, limits: EdxmlLimits = {}): EdxmlPackage {
  const root = parseXml(input, limits);
  if (root.name !== 'edXMLEnvelope' || root.ns !== EDXML_NS) {
    throw new VanthuError('EDXML_NOT_EDXML', { detail: `root <${root.name}> in namespace "${root.ns}"` });
  }
  const header = one(root, 'edXMLHeader', 'edXMLEnvelope');
  const message = header ? one(header, 'MessageHeader', 'edXMLHeader') : undefined;
  if (!header || !message) throw new VanthuError('EDXML_NOT_EDXML', { detail: 'no edXMLHeader/MessageHeader' });

  const traceList = one(header, 'TraceHeaderList', 'edXMLHeader');
  const traces = traceList ? kids(traceList, 'TraceHeader').map((t) => ({ organId: required(t, 'OrganId', 'TraceHeader'), timestamp: required(t, 'Timestamp', 'TraceHeader') })) : [];
  for (const trace of traces) {
    if (!/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/.test(trace.timestamp)) throw invalid('TraceHeader/Timestamp', `"${trace.timestamp.slice(0, 30)}" is not yyyy/MM/dd HH:mm:ss`);
  }
  const businessElement = traceList ? one(traceList, 'Bussiness', 'TraceHeaderList') : undefined;
  let business: EdxmlPackage['business'];
  if (businessElement) {
    const docType = integer(businessElement, 'BussinessDocType', 'Bussiness', 3);
    if (docType === undefined) throw invalid('Bussiness/BussinessDocType', 'missing / thiếu');
    business = compact({ docType: docType as BussinessDocType, reason: text(businessElement, 'BussinessDocReason', 'Bussiness'), paper: integer(businessElement, 'Paper', 'Bussiness', 1) });
  }

  // The attachments: under the envelope (as vanthu writes them) or under the body (as some senders do).
  const body = one(root, 'edXMLBody', 'edXMLEnvelope');
  const encodedBlocks = [...kids(root, 'AttachmentEncoded'), ...(body ? kids(body, 'AttachmentEncoded') : [])];
  const maxAttachmentBytes = limits.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const attachments = encodedBlocks.flatMap((block) => kids(block, 'Attachment')).map((a) => attachment(a, { maxAttachmentBytes }));
  if (attachments.length > (limits.maxAttachments ?? 50)) throw new VanthuError('EDXML_TOO_LARGE', { size: `${attachments.length} attachments`, limit: limits.maxAttachments ?? 50 });
  const ids = new Set<string>();
  for (const a of attachments) {
    if (ids.has(a.contentId)) throw new VanthuError('EDXML_ATTACHMENT_INVALID', { name: a.name, detail: `ContentId ${a.contentId} used twice / trùng ContentId` });
    ids.add(a.contentId);
  }
  // The manifest names the attachments: each reference must have its content.
  const manifest = body ? one(body, 'edXMLManifest', 'edXMLBody') : undefined;
  for (const reference of manifest ? kids(manifest, 'Reference') : []) {
    const id = required(reference, 'ContentId', 'edXMLManifest/Reference');
    if (!ids.has(id)) throw new VanthuError('EDXML_ATTACHMENT_INVALID', { name: text(reference, 'AttachmentName', 'Reference') ?? id, detail: `listed in the manifest but not attached / có trong danh mục nhưng không có nội dung (${id})` });
  }
  return { header: messageHeader(message), traces, ...(business ? { business } : {}), attachments };
}
