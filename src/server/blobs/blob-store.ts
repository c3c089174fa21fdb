// Content-addressed blobs in the database (shared by every server process): store with the hash recomputed, and who may read.
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { VanthuError } from '../../shared/errors.js';
import type { ServerSchema } from '../db/schema.js';
import { notFound } from '../http-errors.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Stores `bytes` under `expected` for `organId` after recomputing the hash; a mismatch stores nothing.
 * Returns whether the blob was new to the server.
 */
export async function putBlob(db: Kysely<ServerSchema>, organId: string, expected: string, bytes: Uint8Array, now: Date): Promise<{ created: boolean; size: number }> {
  const actual = sha256(bytes);
  if (actual !== expected) throw new VanthuError('SERVER_BLOB_HASH_MISMATCH', { expected, actual });
  return db.transaction().execute((trx) => storeVerified(trx, organId, actual, bytes, now));
}

async function storeVerified(trx: Transaction<ServerSchema>, organId: string, hash: string, bytes: Uint8Array, now: Date): Promise<{ created: boolean; size: number }> {
  const inserted = await trx
    .insertInto('blobs')
    .values({ sha256: hash, size: bytes.length, data: bytes, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .executeTakeFirst();
  // Uploading the bytes proves the agency holds them: it may now reference the blob (and read it back).
  await trx.insertInto('blob_grants').values({ sha256: hash, organ_id: organId }).onConflict((oc) => oc.columns(['sha256', 'organ_id']).doNothing()).execute();
  return { created: Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1, size: bytes.length };
}

/** True when `organId` uploaded the blob, or sent or received a message that holds it. */
export async function mayRead(db: Kysely<ServerSchema>, organId: string, hash: string): Promise<boolean> {
  const grant = await db.selectFrom('blob_grants').select('sha256').where('sha256', '=', hash).where('organ_id', '=', organId).executeTakeFirst();
  if (grant) return true;
  const viaMessage = await db
    .selectFrom('message_files')
    .innerJoin('messages', 'messages.id', 'message_files.message_id')
    .select('messages.id')
    .where('message_files.sha256', '=', hash)
    .where((eb) =>
      eb.or([
        eb('messages.sender', '=', organId),
        eb.exists(eb.selectFrom('deliveries').select('deliveries.seq').whereRef('deliveries.message_id', '=', 'messages.id').where('deliveries.recipient', '=', organId)),
      ]),
    )
    .executeTakeFirst();
  return viaMessage !== undefined;
}

/** Size of a blob `organId` may read; 404 alike for "absent" and "not yours", so existence does not leak. */
export async function blobSize(db: Kysely<ServerSchema>, organId: string, hash: string): Promise<number> {
  const row = await db.selectFrom('blobs').select('size').where('sha256', '=', hash).executeTakeFirst();
  if (!row || !(await mayRead(db, organId, hash))) throw notFound(`tệp ${hash}`, `File ${hash}`);
  return Number(row.size);
}

export async function blobBytes(db: Kysely<ServerSchema>, hash: string): Promise<Uint8Array> {
  const row = await db.selectFrom('blobs').select('data').where('sha256', '=', hash).executeTakeFirstOrThrow();
  return new Uint8Array(row.data);
}

// ---- resumable uploads (tus 1.0 core): create, PATCH at the offset, HEAD for the offset ----

export async function createUpload(db: Kysely<ServerSchema>, organId: string, length: number, hash: string, now: Date): Promise<string> {
  const id = randomUUID();
  // Uploads abandoned for a day are not coming back; their chunks go with them (ON DELETE CASCADE).
  await db.deleteFrom('uploads').where('created_at', '<', new Date(now.getTime() - 86_400_000).toISOString()).execute();
  await db.insertInto('uploads').values({ id, organ_id: organId, length, offset: 0, sha256: hash, created_at: now.toISOString() }).execute();
  return id;
}

export async function uploadState(db: Kysely<ServerSchema>, organId: string, id: string): Promise<{ offset: number; length: number }> {
  const row = await db.selectFrom('uploads').select(['offset', 'length']).where('id', '=', id).where('organ_id', '=', organId).executeTakeFirst();
  if (!row) throw notFound(`phiên tải lên ${id}`, `Upload ${id}`);
  return { offset: Number(row.offset), length: Number(row.length) };
}

/**
 * Appends a chunk at `offset` (which must be the server's offset). When the upload is complete the whole
 * is hashed: a match becomes a blob, a mismatch discards the upload. Returns the new offset.
 */
export async function appendUpload(db: Kysely<ServerSchema>, organId: string, id: string, offset: number, chunk: Uint8Array, now: Date): Promise<{ offset: number; complete: boolean }> {
  const state = await uploadState(db, organId, id);
  if (offset !== state.offset) throw new VanthuError('SERVER_UPLOAD_OFFSET_MISMATCH', { given: offset, offset: state.offset });
  if (offset + chunk.length > state.length) throw new VanthuError('SERVER_UPLOAD_TOO_LONG', { length: state.length });
  const next = offset + chunk.length;
  const result = await db.transaction().execute(async (trx) => {
    // Conditional on the offset: of two PATCHes racing from the same offset, one wins and one gets 409.
    const moved = await trx.updateTable('uploads').set({ offset: next }).where('id', '=', id).where('offset', '=', offset).executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new VanthuError('SERVER_UPLOAD_OFFSET_MISMATCH', { given: offset, offset: '?' });
    if (chunk.length > 0) await trx.insertInto('upload_chunks').values({ upload_id: id, offset, data: chunk }).execute();
    if (next < state.length) return { offset: next, complete: false, mismatch: undefined };
    const chunks = await trx.selectFrom('upload_chunks').select(['data']).where('upload_id', '=', id).orderBy('offset').execute();
    const whole = Buffer.concat(chunks.map((c) => Buffer.from(c.data)));
    const upload = await trx.selectFrom('uploads').select('sha256').where('id', '=', id).executeTakeFirstOrThrow();
    const actual = sha256(whole);
    await trx.deleteFrom('upload_chunks').where('upload_id', '=', id).execute();
    await trx.deleteFrom('uploads').where('id', '=', id).execute();
    if (actual !== upload.sha256) return { offset: next, complete: true, mismatch: { expected: upload.sha256, actual } };
    await storeVerified(trx, organId, actual, new Uint8Array(whole), now);
    return { offset: next, complete: true, mismatch: undefined };
  });
  // Thrown after the commit, so the discarded upload stays discarded.
  if (result.mismatch) throw new VanthuError('SERVER_BLOB_HASH_MISMATCH', result.mismatch);
  return { offset: result.offset, complete: result.complete };
}
