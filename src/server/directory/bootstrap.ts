// Bootstrap config: a JSON list of agencies (and certificate files) brought into the directory at start, adding only what is missing.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { parseCertificate } from '../../core/x509/certificate-info.js';
import { organId } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import type { ServerSchema } from '../db/schema.js';
import { addAgency, assertOrganId } from './agencies.js';

export const bootstrapFile = z.strictObject({
  agencies: z.array(
    z.strictObject({
      organId,
      name: z.string().min(1).max(200),
      parent: organId.optional(),
      /** PEM or DER files, relative to the bootstrap file. */
      certificates: z.array(z.string()).default([]),
      personCertificates: z.array(z.string()).default([]),
    }),
  ),
});
export type BootstrapFile = z.infer<typeof bootstrapFile>;

async function certificatesIn(file: string): Promise<Uint8Array[]> {
  const data = await readFile(file).catch((error: unknown) => {
    throw new VanthuError('BAD_INPUT', { detail: `cannot read ${file} / không đọc được tệp` }, { cause: error });
  });
  const text = data.toString('latin1');
  const blocks = text.includes('-----BEGIN CERTIFICATE-----') ? [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => m[0]) : [data];
  return blocks.map((block) => new Uint8Array(new X509Certificate(block).raw));
}

/** Applies the file; parents first as listed. Returns the organ ids added and the certificates newly bound. */
export async function applyBootstrap(db: Kysely<ServerSchema>, file: string, now: Date = new Date()): Promise<{ added: string[]; bound: number }> {
  let parsed: BootstrapFile;
  try {
    parsed = bootstrapFile.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    throw new VanthuError('BAD_INPUT', { detail: `${file}: ${error instanceof Error ? error.message : String(error)}` }, { cause: error });
  }
  const base = path.dirname(path.resolve(file));
  const added: string[] = [];
  let bound = 0;
  for (const entry of parsed.agencies) {
    assertOrganId(entry.organId);
    const certificates = (await Promise.all(entry.certificates.map((f) => certificatesIn(path.resolve(base, f))))).flat();
    const personCertificates = (await Promise.all(entry.personCertificates.map((f) => certificatesIn(path.resolve(base, f))))).flat();
    const exists = await db.selectFrom('agencies').select('organ_id').where('organ_id', '=', entry.organId).executeTakeFirst();
    if (!exists) {
      await addAgency(db, { organId: entry.organId, name: entry.name, parent: entry.parent, certificates, personCertificates }, now);
      added.push(entry.organId);
      bound += certificates.length + personCertificates.length;
      continue;
    }
    // An agency already there keeps its name; certificates listed for it are bound when new (renewals).
    for (const [der, role] of [...certificates.map((d) => [d, 'agency'] as const), ...personCertificates.map((d) => [d, 'person'] as const)]) {
      const info = parseCertificate(der);
      const binding = await db.selectFrom('certificate_bindings').select('organ_id').where('cert_sha256', '=', info.sha256).executeTakeFirst();
      if (binding && binding.organ_id !== entry.organId) throw new VanthuError('SERVER_CERT_ALREADY_BOUND', { subject: info.subject.commonName ?? info.subject.text, organId: binding.organ_id });
      if (binding) continue;
      await db
        .insertInto('certificate_bindings')
        .values({ cert_sha256: info.sha256, organ_id: entry.organId, role, subject: info.subject.commonName ?? info.subject.text, not_after: info.notAfter, created_at: now.toISOString() })
        .execute();
      bound += 1;
    }
  }
  return { added, bound };
}
