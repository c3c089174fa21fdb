// Builds an edXML package (QCVN 102:2016): envelope, header with trace/business, manifest, and the attachments in base64.
import { EDXML_NS, type EdxmlOrganization, type EdxmlPackage } from './types.js';
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

/** The package as UTF-8 XML bytes. Field values are escaped; nothing is validated here beyond what XML can carry. */
export function buildEdxml(pkg: EdxmlPackage): Uint8Array {
  const h = pkg.header;
  const w = new XmlWriter();
  w.start(`${P}edXMLEnvelope`, { 'xmlns:edXML': EDXML_NS });
  w.start(`${P}edXMLHeader`).start(`${P}MessageHeader`);
  organization(w, 'From', h.from);
  for (const to of h.to) organization(w, 'To', to);
  if (h.code) w.start(`${P}Code`).leaf(`${P}CodeNumber`, h.code.codeNumber).leaf(`${P}CodeNotation`, h.code.codeNotation).end();
  if (hasAny(h.promulgationInfo)) w.start(`${P}PromulgationInfo`).leaf(`${P}Place`, h.promulgationInfo!.place).leaf(`${P}PromulgationDate`, h.promulgationInfo!.promulgationDate).end();
  if (hasAny(h.documentType)) w.start(`${P}DocumentType`).leaf(`${P}Type`, h.documentType!.type).leaf(`${P}TypeDetail`, h.documentType!.typeDetail).leaf(`${P}TypeName`, h.documentType!.typeName).end();
  w.leaf(`${P}Subject`, h.subject).leaf(`${P}Content`, h.content);
  if (hasAny(h.signerInfo)) w.start(`${P}SignerInfo`).leaf(`${P}Competence`, h.signerInfo!.competence).leaf(`${P}Position`, h.signerInfo!.position).leaf(`${P}FullName`, h.signerInfo!.fullName).end();
  w.leaf(`${P}DueDate`, h.dueDate);
  if (h.toPlaces && h.toPlaces.length > 0) {
    w.start(`${P}ToPlaces`);
    for (const place of h.toPlaces) w.leaf(`${P}Place`, place);
    w.end();
  }
  if (hasAny(h.otherInfo)) {
    const o = h.otherInfo!;
    w.start(`${P}OtherInfo`)
      .leaf(`${P}Priority`, o.priority)
      .leaf(`${P}SphereOfPromulgation`, o.sphereOfPromulgation)
      .leaf(`${P}TyperNotation`, o.typerNotation)
      .leaf(`${P}PromulgationAmount`, o.promulgationAmount)
      .leaf(`${P}PageAmount`, o.pageAmount);
    if (o.appendixes && o.appendixes.length > 0) {
      w.start(`${P}Appendixes`);
      for (const appendix of o.appendixes) w.leaf(`${P}Appendix`, appendix);
      w.end();
    }
    w.end();
  }
  for (const r of h.responseFor ?? []) {
    w.start(`${P}ResponseFor`).leaf(`${P}OrganId`, r.organId).leaf(`${P}Code`, r.code).leaf(`${P}PromulgationDate`, r.promulgationDate).leaf(`${P}DocumentId`, r.documentId).end();
  }
  w.leaf(`${P}SteeringType`, h.steeringType).leaf(`${P}DocumentId`, h.documentId);
  w.end(); // MessageHeader
  w.start(`${P}TraceHeaderList`);
  for (const t of pkg.traces) w.start(`${P}TraceHeader`).leaf(`${P}OrganId`, t.organId).leaf(`${P}Timestamp`, t.timestamp).end();
  if (pkg.business) {
    w.start(`${P}Bussiness`).leaf(`${P}BussinessDocType`, pkg.business.docType).leaf(`${P}BussinessDocReason`, pkg.business.reason).leaf(`${P}Paper`, pkg.business.paper).end();
  }
  w.end(); // TraceHeaderList
  w.end(); // edXMLHeader
  w.start(`${P}edXMLBody`).start(`${P}edXMLManifest`, { version: '1.0' });
  for (const a of pkg.attachments) {
    w.start(`${P}Reference`).leaf(`${P}ContentId`, a.contentId).leaf(`${P}AttachmentName`, a.name).leaf(`${P}Description`, a.description).leaf(`${P}ContentType`, a.contentType).end();
  }
  w.end().end(); // edXMLManifest, edXMLBody
  w.start(`${P}AttachmentEncoded`);
  for (const a of pkg.attachments) {
    w.start(`${P}Attachment`)
      .leaf(`${P}ContentType`, a.contentType)
      .leaf(`${P}ContentId`, a.contentId)
      .leaf(`${P}Description`, a.description)
      .leaf(`${P}AttachmentName`, a.name)
      // Base64 has no character XML escapes: written as is.
      .rawLeaf(`${P}ContentTransferEncoded`, Buffer.from(a.bytes).toString('base64'))
      .end();
  }
  w.end(); // AttachmentEncoded
  w.end(); // edXMLEnvelope
  return w.toBytes();
}
