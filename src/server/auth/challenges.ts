// Login challenges: random single-use nonces that expire; consuming one is a single conditional UPDATE, so a replay loses the race.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { VanthuError } from '../../shared/errors.js';
import type { ServerSchema } from '../db/schema.js';

export async function issueChallenge(db: Kysely<ServerSchema>, now: Date, ttlSeconds: number): Promise<{ nonce: string; expiresAt: string }> {
  const nonce = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
  await db.insertInto('challenges').values({ nonce, expires_at: expiresAt, used_at: null }).execute();
  // Old challenges are dead weight; clearing them here keeps the table small without a scheduler.
  await db.deleteFrom('challenges').where('expires_at', '<', new Date(now.getTime() - 3600_000).toISOString()).execute();
  return { nonce, expiresAt };
}

/** Marks the nonce used; throws SERVER_CHALLENGE_INVALID when it is unknown, used already or expired. */
export async function consumeChallenge(db: Kysely<ServerSchema>, nonce: string, now: Date): Promise<void> {
  const result = await db
    .updateTable('challenges')
    .set({ used_at: now.toISOString() })
    .where('nonce', '=', nonce)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new VanthuError('SERVER_CHALLENGE_INVALID');
}
