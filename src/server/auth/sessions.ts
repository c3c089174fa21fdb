// Short-lived bearer tokens: random, stored only as their SHA-256, shared by every server process through the database.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { VanthuError } from '../../shared/errors.js';
import { queryTemplate } from '../db/query-template.js';
import type { ServerSchema } from '../db/schema.js';

export interface AuthenticatedAgency {
  organId: string;
  name: string;
  certSha256: string;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function issueSession(db: Kysely<ServerSchema>, who: { organId: string; certSha256: string; ruleId?: string }, now: Date, ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
  await db
    .insertInto('sessions')
    .values({ token_sha256: hashToken(token), organ_id: who.organId, cert_sha256: who.certSha256, rule_id: who.ruleId ?? null, expires_at: expiresAt, created_at: now.toISOString() })
    .execute();
  await db.deleteFrom('sessions').where('expires_at', '<', new Date(now.getTime() - 86_400_000).toISOString()).execute();
  return { token, expiresAt };
}

/** One round trip on every request: the session, its agency, and whom its certificate (or rule) is bound to now. */
const sessionLookup = queryTemplate((db, { token }: { token: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('agencies', 'agencies.organ_id', 'sessions.organ_id')
    .select((eb) => [
      'sessions.organ_id',
      'sessions.expires_at',
      'sessions.cert_sha256',
      'agencies.name',
      eb
        .case()
        .when('sessions.rule_id', 'is not', null)
        .then(eb.selectFrom('certificate_rules').select('certificate_rules.organ_id').whereRef('certificate_rules.id', '=', 'sessions.rule_id'))
        .else(eb.selectFrom('certificate_bindings').select('certificate_bindings.organ_id').whereRef('certificate_bindings.cert_sha256', '=', 'sessions.cert_sha256'))
        .end()
        .as('bound_to'),
    ])
    .where('sessions.token_sha256', '=', token),
);

/** The agency behind `Authorization: Bearer …`; SERVER_UNAUTHENTICATED or SERVER_TOKEN_EXPIRED otherwise. */
export async function authenticate(db: Kysely<ServerSchema>, header: string | undefined, now: Date): Promise<AuthenticatedAgency> {
  const match = header ? /^Bearer\s+([A-Za-z0-9_-]{16,128})\s*$/i.exec(header) : null;
  if (!match) throw new VanthuError('SERVER_UNAUTHENTICATED');
  const row = await sessionLookup.first(db, { token: hashToken(match[1]!) });
  if (!row) throw new VanthuError('SERVER_UNAUTHENTICATED');
  if (row.expires_at <= now.toISOString()) throw new VanthuError('SERVER_TOKEN_EXPIRED');
  // A certificate unbound since login loses its access at once, not when the token expires.
  if (row.bound_to !== row.organ_id) throw new VanthuError('SERVER_UNAUTHENTICATED');
  return { organId: row.organ_id, name: row.name, certSha256: row.cert_sha256 };
}
