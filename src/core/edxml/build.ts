// Builds edXML packages (QCVN 102:2016) in the shape the axis exchanges: <edXML> root, envelope (header, manifest), attachments outside it; document and status headers in schema order.
import { EDXML_NS, type EdxmlAnyPackage, type EdxmlBusiness, type EdxmlOrganization, type EdxmlPackage, type EdxmlResponseFor, type EdxmlStaffInfo, type EdxmlStatusPackage, type EdxmlTraceHeader } from './types.js';
import { signEnveloped, type XmlSignatureAlgorithm, type XmlSigningKey } from './xml-signature.js';
import { XmlWriter } from './xml-writer.js';

const P = 'edXML:';

function organization(w: XmlWriter, tag: 'From' | 'To', o: EdxmlOrganization): void {
  w.start(P + tag)
    .leaf(`${P}OrganId`, o.organId)
    .leaf(`${P}OrganizationInCharge`, o.organizationInCharge)
    .leaf(`${P}OrganName`, o.organName)
    .leaf(`${P}OrganAdd`, o.organAdd)
    .leaf(`${P}Email`, o.email)
    .leaf(`${P}Telephone`, o.telephone)
    .leaf(`${P}Fax`, o.fax)
    .leaf(`${P}Website`, o.website)
    .end();
}

const hasAny = (value: object | undefined): value is object => value !== undefined && Object.values(value).some((v) => v !== undefined);

function responseFor(w: XmlWriter, r: EdxmlResponseFor): void {
  w.start(`${P}ResponseFor`).leaf(`${P}OrganId`, r.organId).leaf(`${P}Code`, r.code).leaf(`${P}PromulgationDate`, r.promulgationDate).leaf(`${P}DocumentId`, r.documentId).end();
}

function staffInfo(w: XmlWriter, s: EdxmlStaffInfo | undefined): void {
  if (!hasAny(s)) return;
  w.start(`${P}StaffInfo`).leaf(`${P}Department`, s.department).leaf(`${P}Staff`, s.staff).leaf(`${P}Mobile`, s.mobile).leaf(`${P}Email`, s.email).end();
}

function traceList(w: XmlWriter, traces: EdxmlTraceHeader[], business: EdxmlBusiness | undefined): void {
  w.start(`${P}TraceHeaderList`);
  for (const t of traces) w.start(`${P}TraceHeader`).leaf(`${P}OrganId`, t.organId).leaf(`${P}Timestamp`, t.timestamp).end();
  if (business) {
    w.start(`${P}Bussiness`).leaf(`${P}DocumentId`, business.documentId).leaf(`${P}BussinessDocType`, business.docType).leaf(`${P}BussinessDocReason`, business.reason).leaf(`${P}Paper`, business.paper);
    if (business.replacementInfoList && business.replacementInfoList.length > 0) {
      w.start(`${P}ReplacementInfoList`);
      for (const r of business.replacementInfoList) {
        w.start(`${P}ReplacementInfo`).leaf(`${P}DocumentId`, r.documentId).start(`${P}OrganIdList`);
        for (const id of r.organIds) w.leaf(`${P}OrganId`, id);
        w.end().end();
      }
      w.end();
    }
    staffInfo(w, business.staffInfo);
    w.end();
  }
  w.end();
}

function documentHeader(w: XmlWriter, pkg: EdxmlPackage): void {
  const h = pkg.header;
  w.start(`${P}MessageHeader`);
  organization(w, 'From', h.from);
  for (const to of h.to) organization(w, 'To', to);
  w.leaf(`${P}DocumentId`, h.documentId);
  if (h.code) w.start(`${P}Code`).leaf(`${P}CodeNumber`, h.code.codeNumber).leaf(`${P}CodeNotation`, h.code.codeNotation).end();
  if (hasAny(h.promulgationInfo)) w.start(`${P}PromulgationInfo`).leaf(`${P}Place`, h.promulgationInfo.place).leaf(`${P}PromulgationDate`, h.promulgationInfo.promulgationDate).end();
  if (hasAny(h.documentType)) w.start(`${P}DocumentType`).leaf(`${P}Type`, h.documentType.type).leaf(`${P}TypeDetail`, h.documentType.typeDetail).leaf(`${P}TypeName`, h.documentType.typeName).end();
  w.leaf(`${P}Subject`, h.subject).leaf(`${P}Content`, h.content);
  if (hasAny(h.signerInfo)) w.start(`${P}SignerInfo`).leaf(`${P}Competence`, h.signerInfo.competence).leaf(`${P}Position`, h.signerInfo.position).leaf(`${P}FullName`, h.signerInfo.fullName).end();
  w.leaf(`${P}DueDate`, h.dueDate);
  if (hasAny(h.otherInfo)) {
    const o = h.otherInfo;
    w.start(`${P}OtherInfo`)
      .leaf(`${P}Priority`, o.priority)
      .leaf(`${P}SphereOfPromulgation`, o.sphereOfPromulgation)
      .leaf(`${P}TyperNotation`, o.typerNotation)
      .leaf(`${P}PromulgationAmount`, o.promulgationAmount)
      .leaf(`${P}PageAmount`, o.pageAmount)
      .leaf(`${P}Direction`, o.direction);
    if (o.appendixes && o.appendixes.length > 0) {
      w.start(`${P}Appendixes`);
      for (const appendix of o.appendixes) w.leaf(`${P}Appendix`, appendix);
      w.end();
    }
    w.end();
  }
  w.leaf(`${P}SteeringType`, h.steeringType);
  if (h.toPlaces && h.toPlaces.length > 0) {
    w.start(`${P}ToPlaces`);
    for (const place of h.toPlaces) w.leaf(`${P}Place`, place);
    w.end();
  }
  for (const r of h.responseFor ?? []) responseFor(w, r);
  w.end();
}

function statusHeader(w: XmlWriter, pkg: EdxmlStatusPackage): void {
  const s = pkg.status;
  w.start(`${P}MessageHeader`);
  organization(w, 'From', s.from);
  responseFor(w, s.responseFor);
  staffInfo(w, s.staffInfo);
  w.leaf(`${P}StatusCode`, s.statusCode).leaf(`${P}Description`, s.description).leaf(`${P}Timestamp`, s.timestamp);
  w.end();
}

/** The package as UTF-8 XML bytes (unsigned). Field values are escaped; characters XML cannot carry are refused. */
export function buildEdxml(pkg: EdxmlAnyPackage): Uint8Array {
  const w = new XmlWriter();
  w.start('edXML', { xmlns: EDXML_NS, 'xmlns:edXML': EDXML_NS });
  w.start(`${P}edXMLEnvelope`).start(`${P}edXMLHeader`);
  if (pkg.kind === 'status') statusHeader(w, pkg);
  else documentHeader(w, pkg);
  traceList(w, pkg.traces, pkg.business);
  w.end(); // edXMLHeader
  const attachments = pkg.kind === 'status' ? [] : pkg.attachments;
  w.start(`${P}edXMLBody`).start(`${P}edXMLManifest`, { version: '1.0' });
  for (const a of attachments) {
    w.start(`${P}Reference`).leaf(`${P}ContentId`, a.contentId).leaf(`${P}ContentType`, a.contentType).leaf(`${P}Description`, a.description).leaf(`${P}AttachmentName`, a.name).end();
  }
  w.end().end(); // edXMLManifest, edXMLBody
  w.end(); // edXMLEnvelope
  if (attachments.length > 0) {
    w.start(`${P}AttachmentEncoded`);
    for (const a of attachments) {
      w.start(`${P}Attachment`)
        .leaf(`${P}ContentId`, a.contentId)
        .leaf(`${P}AttachmentName`, a.name)
        .leaf(`${P}Description`, a.description)
        .leaf(`${P}ContentType`, a.contentType)
        // Base64 has no character XML escapes: written as is.
        .rawLeaf(`${P}ContentTransferEncoded`, Buffer.from(a.bytes).toString('base64'))
        .end();
    }
    w.end();
  }
  w.end(); // edXML
  return w.toBytes();
}

/** The package built and signed with the agency's key: enveloped XML-DSig after the trace list, RSA-SHA256 unless `algorithm` says rsa-sha1. */
export async function buildSignedEdxml(pkg: EdxmlAnyPackage, key: XmlSigningKey, algorithm: XmlSignatureAlgorithm = 'rsa-sha256'): Promise<Uint8Array> {
  const signed = await signEnveloped(Buffer.from(buildEdxml(pkg)).toString('utf8'), key, algorithm);
  return new Uint8Array(Buffer.from(signed, 'utf8'));
}
