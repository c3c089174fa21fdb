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
  otherInfo?: { priority?: number; sphereOfPromulgation?: string; typerNotation?: string; promulgationAmount?: number; pageAmount?: number; appendixes?: string[] };
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

export interface EdxmlBusiness {
  docType: BussinessDocType;
  reason?: string;
  /** 1 when a paper original also goes out. */
  paper?: number;
}

export interface EdxmlAttachment {
  contentId: string;
  contentType: string;
  name: string;
  description?: string;
  bytes: Uint8Array;
}

export interface EdxmlPackage {
  header: EdxmlMessageHeader;
  traces: EdxmlTraceHeader[];
  business?: EdxmlBusiness;
  attachments: EdxmlAttachment[];
}
