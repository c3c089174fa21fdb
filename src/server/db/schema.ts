// The exchange server's tables as Kysely sees them: one schema for SQLite and PostgreSQL (times are ISO-8601 UTC text).
import type { Generated } from 'kysely';

export interface AgencyTable {
  organ_id: string;
  name: string;
  parent: string | null;
  created_at: string;
}

export interface CertificateBindingTable {
  cert_sha256: string;
  organ_id: string;
  /** 'agency' for the agency's own certificate (the seal), 'person' for an official of it. */
  role: 'agency' | 'person';
  subject: string;
  not_after: string;
  created_at: string;
}

/** Recognises certificates by issuer (RFC 4514 text of the issuing CA's subject) and one subject attribute, e.g. UID=MST:…. */
export interface CertificateRuleTable {
  id: string;
  organ_id: string;
  role: 'agency' | 'person';
  issuer: string;
  subject_attribute: string;
  subject_value: string;
  created_at: string;
}

export interface ChallengeTable {
  nonce: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionTable {
  token_sha256: string;
  organ_id: string;
  cert_sha256: string;
  /** Set when the certificate was recognised by a rule rather than bound by its hash. */
  rule_id: string | null;
  expires_at: string;
  created_at: string;
}

export interface BlobTable {
  sha256: string;
  size: number;
  created_at: string;
}

/** A blob's bytes in order, BLOB_CHUNK_BYTES each (the last may be shorter; an empty blob has one empty chunk). */
export interface BlobChunkTable {
  sha256: string;
  position: number;
  data: Uint8Array;
}

/** Requests counted in the current fixed window, per client key. */
export interface RateLimitTable {
  key: string;
  /** Window start, milliseconds since the epoch. */
  window_start: number | string;
  count: number;
}

/** Who uploaded a blob: the uploader may reference it in a message; recipients read it through the message. */
export interface BlobGrantTable {
  sha256: string;
  organ_id: string;
}

export interface UploadTable {
  id: string;
  organ_id: string;
  length: number;
  offset: number;
  sha256: string;
  created_at: string;
}

export interface UploadChunkTable {
  upload_id: string;
  offset: number;
  data: Uint8Array;
}

export interface MessageTable {
  id: string;
  sender: string;
  type: string;
  in_reply_to: string | null;
  envelope: string;
  envelope_sha256: string;
  receipt: string;
  created_at: string;
}

export interface MessageFileTable {
  message_id: string;
  position: number;
  sha256: string;
  role: string;
  name: string;
}

export interface DeliveryTable {
  seq: Generated<number>;
  message_id: string;
  recipient: string;
  status: string | null;
  /** The status a recall request (13) interrupted, to go back to when the recall is refused (16). */
  status_before_recall: string | null;
  first_delivered_at: string | null;
  delivery_count: number;
  acked_at: string | null;
}

export interface StatusEventTable {
  seq: Generated<number>;
  event_id: string;
  message_id: string;
  /** The message's sender, copied from messages (migration 0011): the sender's status feed reads (sender, seq). Set on every row, though the column allows null (SQLite cannot add a required column to a table with rows). */
  sender: string;
  recipient: string;
  by_organ: string;
  code: string;
  reason: string | null;
  created_at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  kind: string;
  organ_id: string;
  message_id: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** One row (id 1): the last audit entry, locked by the UPDATE that appends, so appends from several processes queue up. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** An imported edXML package's DocumentId and trace list (JSON), kept as they came. */
export interface EdxmlDocumentTable {
  message_id: string;
  document_id: string;
  traces: string;
}

export interface AxisAgencyTable {
  organ_id: string;
  name: string;
  synced_at: string;
}

export interface AxisOutgoingTable {
  key: string;
  /** 'edoc' or 'status'. */
  kind: string;
  message_id: string;
  event_id: string | null;
  /** 'pending' until the axis took it, then 'sent'. */
  state: string;
  attempts: number;
  next_attempt_at: string;
  axis_doc_id: string | null;
  last_error: string | null;
  created_at: string;
}

export interface AxisIncomingTable {
  axis_doc_id: string;
  message_type: string;
  /** 'done' (imported and acknowledged), 'refused' (acknowledged as failed) or 'held' (a signature could not be checked yet: told "processing", re-checked). */
  state: string;
  message_id: string | null;
  last_error: string | null;
  updated_at: string;
}

/** A submission waiting for a re-check (revocation not reachable yet), or refused by one; it becomes a message once valid. */
export interface PendingSubmissionTable {
  id: string;
  sender: string;
  envelope: string;
  envelope_sha256: string;
  state: 'pending' | 'refused';
  /** JSON Reason[]: why it waits, or why it was refused. */
  reasons: string;
  attempts: number;
  next_check_at: string | null;
  created_at: string;
  checked_at: string | null;
  /** JSON {documentId, traces} of an edXML import (null otherwise), written to edxml_documents when accepted. */
  edxml: string | null;
}

/** An OCSP response ('ocsp', by issuer key hash and serial) or a CRL ('crl', by issuer and URL), kept until next_update. */
export interface RevocationCacheTable {
  kind: 'ocsp' | 'crl';
  issuer: string;
  subject: string;
  der: Uint8Array;
  this_update: string;
  next_update: string;
  stored_at: string;
}

export interface CaCertificateTable {
  source_url: string;
  /** SHA-256 of `der`, lower-case hex. */
  sha256: string;
  der: Uint8Array;
  fetched_at: string;
}

export interface ServerSchema {
  agencies: AgencyTable;
  certificate_bindings: CertificateBindingTable;
  certificate_rules: CertificateRuleTable;
  challenges: ChallengeTable;
  sessions: SessionTable;
  blobs: BlobTable;
  blob_chunks: BlobChunkTable;
  rate_limits: RateLimitTable;
  blob_grants: BlobGrantTable;
  uploads: UploadTable;
  upload_chunks: UploadChunkTable;
  messages: MessageTable;
  message_files: MessageFileTable;
  deliveries: DeliveryTable;
  status_events: StatusEventTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  edxml_documents: EdxmlDocumentTable;
  axis_agencies: AxisAgencyTable;
  axis_outgoing: AxisOutgoingTable;
  revocation_cache: RevocationCacheTable;
  ca_certificates: CaCertificateTable;
  axis_incoming: AxisIncomingTable;
  pending_submissions: PendingSubmissionTable;
}
