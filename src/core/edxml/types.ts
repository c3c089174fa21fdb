// The edXML package (QCVN 102:2016) as data: the message header, the trace and business headers, and the attachments.

export const EDXML_NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';

export interface EdxmlOrganization {
  organId: string;
  organizationInCharge?: string;
  organName?: string;
  organAdd?: string;
  email?: string;
  telephone?: string;
  fax?: string;
  website?: string;
}

export interface EdxmlResponseFor {
  organId: string;
  /** "số/ký hiệu", e.g. "05/UBND-VP". */
  code?: string;
  /** yyyy/MM/dd */
  promulgationDate?: string;
  documentId?: string;
}

export interface EdxmlMessageHeader {
  from: EdxmlOrganization;
  to: EdxmlOrganization[];
  code?: { codeNumber: string; codeNotation: string };
  /** PromulgationDate is yyyy/MM/dd. */
  promulgationInfo?: { place?: string; promulgationDate?: string };
  documentType?: { type?: number; typeDetail?: number; typeName?: string };
  subject: string;
  content?: string;
  signerInfo?: { competence?: string; position?: string; fullName?: string };
  /** yyyy/MM/dd */
  dueDate?: string;
  toPlaces?: string[];
  otherInfo?: { priority?: number; sphereOfPromulgation?: string; typerNotation?: string; promulgationAmount?: number; pageAmount?: number; direction?: string; appendixes?: string[] };
  responseFor?: EdxmlResponseFor[];
  /** 0 none, 1 directive, 2 directive report. */
  steeringType?: number;
  /** `{OrganId},{yyyy/MM/dd},{number}/{notation}` */
  documentId?: string;
}

export interface EdxmlTraceHeader {
  organId: string;
  /** yyyy/MM/dd HH:mm:ss */
  timestamp: string;
}

/** 0 new, 1 recall, 2 update, 3 replace. */
export type BussinessDocType = 0 | 1 | 2 | 3;

/** Who handles a document or a status at an agency (StaffInfo). */
export interface EdxmlStaffInfo {
  department?: string;
  staff?: string;
  mobile?: string;
  email?: string;
}

/** A document an update/replacement replaces, and the agencies it concerns. */
export interface EdxmlReplacementInfo {
  documentId: string;
  organIds: string[];
}

export interface EdxmlBusiness {
  /** The DocumentId of the document this business concerns, when the sender writes it here. */
  documentId?: string;
  docType: BussinessDocType;
  reason?: string;
  /** 1 when a paper original also goes out. */
  paper?: number;
  replacementInfoList?: EdxmlReplacementInfo[];
  staffInfo?: EdxmlStaffInfo;
}

export interface EdxmlAttachment {
  /** As written (`cid:209` in real packages); manifest and attachment are joined without the `cid:`. */
  contentId: string;
  contentType: string;
  /** A safe base name (no folders, no control characters). */
  name: string;
  /** The name as the package wrote it, when it had to be cut to `name`. */
  writtenName?: string;
  description?: string;
  bytes: Uint8Array;
  /** A zip attachment's files, unpacked within limits; a file that is itself an edXML package is read too. */
  unpacked?: { name: string; path: string; bytes: Uint8Array; nested?: EdxmlAnyPackage }[];
}

/** What checking the package's enveloped XML signature found (absent: the package is not signed). */
export interface EdxmlSignatureCheck {
  /** valid: digest and signature hold; invalid: they do not (the package was changed or the signature is broken); unchecked: could not be checked. */
  result: 'valid' | 'invalid' | 'unchecked';
  /** The signature algorithm URI, e.g. …#rsa-sha1 or …#rsa-sha256. */
  algorithm?: string;
  /** Signer certificate subject and validity, as read from KeyInfo. */
  subject?: string;
  notAfter?: string;
  /** The certificate in KeyInfo is a placeholder (not a certificate, self-made test one, expired): reported, not fatal. */
  placeholderCertificate?: boolean;
  detail?: string;
}

export interface EdxmlPackage {
  kind?: 'document';
  header: EdxmlMessageHeader;
  traces: EdxmlTraceHeader[];
  business?: EdxmlBusiness;
  attachments: EdxmlAttachment[];
  signature?: EdxmlSignatureCheck;
}

/** A status code of the axis (01–16; DOMAIN.md names 01–06, 13, 15, 16). */
export type EdxmlStatusCode = string;

export interface EdxmlStatusHeader {
  from: EdxmlOrganization;
  /** The document the status answers. */
  responseFor: EdxmlResponseFor;
  staffInfo?: EdxmlStaffInfo;
  statusCode: EdxmlStatusCode;
  description?: string;
  /** yyyy/MM/dd HH:mm:ss */
  timestamp: string;
}

export interface EdxmlStatusPackage {
  kind: 'status';
  status: EdxmlStatusHeader;
  traces: EdxmlTraceHeader[];
  business?: EdxmlBusiness;
  signature?: EdxmlSignatureCheck;
}

export type EdxmlAnyPackage = EdxmlPackage | EdxmlStatusPackage;

export const isStatusPackage = (pkg: EdxmlAnyPackage): pkg is EdxmlStatusPackage => pkg.kind === 'status';
