// The agency directory (organ ids, names, parents) and which certificates speak for which agency.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { parseCertificate } from '../../core/x509/certificate-info.js';
import type { CertificateInfo } from '../../shared/certificate.js';
import { ORGAN_ID_PATTERN, type DirectoryEntry } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import { isUniqueViolation } from '../db/connect.js';
import type { ServerSchema } from '../db/schema.js';

export function assertOrganId(organId: string): void {
  if (!ORGAN_ID_PATTERN.test(organId)) throw new VanthuError('SERVER_ORGAN_ID_INVALID', { organId });
}

export interface AgencyInput {
  organId: string;
  name: string;
  parent?: string;
  /** DER certificates of the agency (its seal); bound with role 'agency'. */
  certificates?: Uint8Array[];
  /** DER certificates of its officials; bound with role 'person'. */
  personCertificates?: Uint8Array[];
}

export interface AgencyRecord extends DirectoryEntry {
  certificates: { sha256: string; role: string; subject: string; notAfter: string }[];
  rules: { id: string; role: string; issuer: string; subject: string }[];
}

export async function addAgency(db: Kysely<ServerSchema>, input: AgencyInput, now: Date = new Date()): Promise<AgencyRecord> {
  assertOrganId(input.organId);
  if (input.parent !== undefined) assertOrganId(input.parent);
  const name = input.name.trim();
  if (!name || name.length > 200) throw new VanthuError('BAD_INPUT', { detail: 'agency name must have 1 to 200 characters / tên cơ quan từ 1 đến 200 ký tự' });
  const bindings = [
    ...(input.certificates ?? []).map((der) => ({ der, role: 'agency' as const })),
    ...(input.personCertificates ?? []).map((der) => ({ der, role: 'person' as const })),
  ].map(({ der, role }) => {
    const info = parseCertificate(der);
    return { cert_sha256: info.sha256, role, subject: info.subject.commonName ?? info.subject.text, not_after: info.notAfter };
  });
  await db.transaction().execute(async (trx) => {
    if (input.parent !== undefined) {
      const parent = await trx.selectFrom('agencies').select('organ_id').where('organ_id', '=', input.parent).executeTakeFirst();
      if (!parent) throw new VanthuError('SERVER_NOT_FOUND', { whatVi: `cơ quan cấp trên ${input.parent}`, whatEn: `Parent agency ${input.parent}` });
    }
    try {
      await trx.insertInto('agencies').values({ organ_id: input.organId, name, parent: input.parent ?? null, created_at: now.toISOString() }).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new VanthuError('SERVER_AGENCY_EXISTS', { organId: input.organId });
      throw error;
    }
    for (const binding of bindings) {
      const existing = await trx.selectFrom('certificate_bindings').select('organ_id').where('cert_sha256', '=', binding.cert_sha256).executeTakeFirst();
      if (existing) throw new VanthuError('SERVER_CERT_ALREADY_BOUND', { subject: binding.subject, organId: existing.organ_id });
      await trx.insertInto('certificate_bindings').values({ ...binding, organ_id: input.organId, created_at: now.toISOString() }).execute();
    }
  });
  return (await getAgency(db, input.organId))!;
}

export async function getAgency(db: Kysely<ServerSchema>, organId: string): Promise<AgencyRecord | undefined> {
  const agency = await db.selectFrom('agencies').selectAll().where('organ_id', '=', organId).executeTakeFirst();
  if (!agency) return undefined;
  const certificates = await db.selectFrom('certificate_bindings').selectAll().where('organ_id', '=', organId).orderBy('created_at').execute();
  const rules = await db.selectFrom('certificate_rules').selectAll().where('organ_id', '=', organId).orderBy('created_at').execute();
  return {
    organId: agency.organ_id,
    name: agency.name,
    parent: agency.parent,
    certificates: certificates.map((c) => ({ sha256: c.cert_sha256, role: c.role, subject: c.subject, notAfter: c.not_after })),
    rules: rules.map((r) => ({ id: r.id, role: r.role, issuer: r.issuer, subject: `${r.subject_attribute}=${r.subject_value}` })),
  };
}

export async function listAgencies(db: Kysely<ServerSchema>): Promise<AgencyRecord[]> {
  const agencies = await db.selectFrom('agencies').select('organ_id').orderBy('organ_id').execute();
  const records: AgencyRecord[] = [];
  for (const { organ_id } of agencies) records.push((await getAgency(db, organ_id))!);
  return records;
}

export async function directory(db: Kysely<ServerSchema>): Promise<DirectoryEntry[]> {
  const rows = await db.selectFrom('agencies').select(['organ_id', 'name', 'parent']).orderBy('organ_id').execute();
  return rows.map((r) => ({ organId: r.organ_id, name: r.name, parent: r.parent }));
}

/**
 * Removes an agency that never exchanged anything (its mail and the audit log must stay readable);
 * one that did is refused with the reason.
 */
export async function removeAgency(db: Kysely<ServerSchema>, organId: string): Promise<void> {
  assertOrganId(organId);
  await db.transaction().execute(async (trx) => {
    const agency = await trx.selectFrom('agencies').select('organ_id').where('organ_id', '=', organId).executeTakeFirst();
    if (!agency) throw new VanthuError('SERVER_NOT_FOUND', { whatVi: `cơ quan ${organId}`, whatEn: `Agency ${organId}` });
    const child = await trx.selectFrom('agencies').select('organ_id').where('parent', '=', organId).executeTakeFirst();
    if (child) throw new VanthuError('SERVER_AGENCY_IN_USE', { organId, detailVi: `còn cơ quan cấp dưới ${child.organ_id}`, detailEn: `agency ${child.organ_id} is below it` });
    const sent = await trx.selectFrom('messages').select('id').where('sender', '=', organId).executeTakeFirst();
    const received = await trx.selectFrom('deliveries').select('seq').where('recipient', '=', organId).executeTakeFirst();
    if (sent || received) throw new VanthuError('SERVER_AGENCY_IN_USE', { organId, detailVi: 'cơ quan đã gửi hoặc nhận văn bản', detailEn: 'it has sent or received documents' });
    await trx.deleteFrom('sessions').where('organ_id', '=', organId).execute();
    await trx.deleteFrom('uploads').where('organ_id', '=', organId).execute();
    await trx.deleteFrom('blob_grants').where('organ_id', '=', organId).execute();
    await trx.deleteFrom('certificate_bindings').where('organ_id', '=', organId).execute();
    await trx.deleteFrom('certificate_rules').where('organ_id', '=', organId).execute();
    await trx.deleteFrom('agencies').where('organ_id', '=', organId).execute();
  });
}

export interface Binding {
  organId: string;
  role: 'agency' | 'person';
  /** The rule that recognised the certificate; undefined for a binding by hash. */
  ruleId?: string;
}

/**
 * The agency a certificate speaks for: its own binding by hash first, else the one rule matching its issuer
 * and a subject attribute. Callers check the chain first: a rule trusts the issuer's name only within trusted chains.
 */
export async function recognise(db: Kysely<ServerSchema>, info: CertificateInfo): Promise<Binding | undefined> {
  const row = await db.selectFrom('certificate_bindings').select(['organ_id', 'role']).where('cert_sha256', '=', info.sha256).executeTakeFirst();
  if (row) return { organId: row.organ_id, role: row.role };
  const rules = await db.selectFrom('certificate_rules').selectAll().where('issuer', '=', info.issuer.text).execute();
  const matching = rules.filter((rule) => info.subject.attributes.some((a) => a.name === rule.subject_attribute && a.value === rule.subject_value));
  // Two agencies claiming one certificate is a directory mistake: recognise neither rather than guess.
  if (matching.length !== 1 || new Set(matching.map((m) => m.organ_id)).size !== 1) return undefined;
  const rule = matching[0]!;
  return { organId: rule.organ_id, role: rule.role, ruleId: rule.id };
}

export interface RuleInput {
  organId: string;
  role: 'agency' | 'person';
  /** DER of the issuing CA's certificate: its subject is what a recognised certificate's issuer must be. */
  issuerCertificate: Uint8Array;
  /** e.g. "UID=MST:4800123456" or "CN=UBND tỉnh Cao Bằng". */
  subject: string;
}

export async function addCertificateRule(db: Kysely<ServerSchema>, input: RuleInput, now: Date = new Date()): Promise<string> {
  assertOrganId(input.organId);
  const match = /^([A-Za-z]+)=(.+)$/.exec(input.subject.trim());
  if (!match) throw new VanthuError('BAD_INPUT', { detail: 'subject rule must be ATTRIBUTE=VALUE, e.g. UID=MST:4800123456 / quy tắc dạng THUỘC_TÍNH=GIÁ_TRỊ' });
  const issuer = parseCertificate(input.issuerCertificate);
  if (!issuer.isCA) throw new VanthuError('BAD_INPUT', { detail: `${issuer.subject.text} is not a CA certificate / không phải chứng thư CA` });
  const agency = await db.selectFrom('agencies').select('organ_id').where('organ_id', '=', input.organId).executeTakeFirst();
  if (!agency) throw new VanthuError('SERVER_NOT_FOUND', { whatVi: `cơ quan ${input.organId}`, whatEn: `Agency ${input.organId}` });
  const id = randomUUID();
  try {
    await db
      .insertInto('certificate_rules')
      .values({ id, organ_id: input.organId, role: input.role, issuer: issuer.subject.text, subject_attribute: match[1]!, subject_value: match[2]!, created_at: now.toISOString() })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new VanthuError('SERVER_CERT_ALREADY_BOUND', { subject: input.subject, organId: '?' });
    throw error;
  }
  return id;
}
