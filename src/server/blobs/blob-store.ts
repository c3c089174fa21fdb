// Content-addressed blobs in the database (shared by every server process), in 1 MiB chunks: store with the hash recomputed, read ranges, and who may read.
import { createHash, randomUUID } from 'node:crypto';
import { expressionBuilder, sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { VanthuError } from '../../shared/errors.js';
import { isUniqueViolation } from '../db/connect.js';
import { BLOB_CHUNK_BYTES } from '../db/migrations/0003-blob-chunks.js';
import type { SqlDialectName } from '../db/dialect.js';
import { queryTemplate } from '../db/query-template.js';
import type { ServerSchema } from '../db/schema.js';
import { notFound } from '../http-errors.js';
import type { RecentBlobs } from './recent-blobs.js';

type Db = Kysely<ServerSchema> | Transaction<ServerSchema>;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Stores `bytes` under `expected` for `organId` after recomputing the hash; a mismatch stores nothing.
 * Returns whether the blob was new to the server.
 */
export async function putBlob(db: Kysely<ServerSchema>, organId: string, expected: string, bytes: Uint8Array, now: Date, dialect: SqlDialectName = 'sqlite'): Promise<{ created: boolean; size: number }> {
  const actual = sha256(bytes);
  if (actual !== expected) throw new VanthuError('SERVER_BLOB_HASH_MISMATCH', { expected, actual });
  if (dialect === 'postgres' && bytes.length <= BLOB_CHUNK_BYTES) {
    // One statement, atomic by itself: a round trip where BEGIN, three inserts and COMMIT took five.
    const row = await storedInOneChunk.first(db, { hash: actual, size: bytes.length, now: now.toISOString(), data: bytes, organId });
    return { created: Number(row?.created ?? 0) === 1, size: bytes.length };
  }
  return db.transaction().execute((trx) => storeVerified(trx, organId, actual, bytes, now));
}

/**
 * PostgreSQL: storeBlob for a blob of one chunk, in one statement (foreign keys are checked at its end, when the
 * blob's row is there). A blob already stored gets only the grant, as in storeBlob.
 */
const storedInOneChunk = queryTemplate(
  (_db, a: { hash: string; size: number; now: string; data: Uint8Array; organId: string }) => sql<{ created: string | number }>`
    with inserted as (
      insert into blobs (sha256, size, created_at) values (${a.hash}, ${a.size}, ${a.now})
      on conflict (sha256) do nothing
      returning sha256),
    chunk as (insert into blob_chunks (sha256, position, data) select sha256, 0, ${a.data} from inserted),
    granted as (insert into blob_grants (sha256, organ_id) values (${a.hash}, ${a.organId}) on conflict (sha256, organ_id) do nothing)
    select count(*) as created from inserted`,
);

/** Pieces of any sizes cut again into BLOB_CHUNK_BYTES chunks (at least one, empty for an empty blob). */
async function* rechunk(pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let emitted = false;
  for await (const piece of pieces) {
    pending.push(Buffer.from(piece.buffer, piece.byteOffset, piece.length));
    pendingBytes += piece.length;
    while (pendingBytes >= BLOB_CHUNK_BYTES) {
      const joined = Buffer.concat(pending);
      yield joined.subarray(0, BLOB_CHUNK_BYTES);
      emitted = true;
      pending = [joined.subarray(BLOB_CHUNK_BYTES)];
      pendingBytes = joined.length - BLOB_CHUNK_BYTES;
    }
  }
  if (pendingBytes > 0 || !emitted) yield Buffer.concat(pending);
}

/**
 * Records a blob whose hash the caller has just computed, inside the caller's transaction, and grants it to `organId`.
 * `pieces` (the bytes, in any slicing) are read only when the blob is new to the server.
 */
async function storeBlob(trx: Transaction<ServerSchema>, organId: string, hash: string, size: number, pieces: () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>, now: Date): Promise<{ created: boolean; size: number }> {
  const inserted = await blobInserted.run(trx, { hash, size, now: now.toISOString() });
  const created = Number(inserted.numAffectedRows ?? 0n) === 1;
  if (created) {
    let position = 0;
    for await (const chunk of rechunk(pieces())) await chunkInserted.run(trx, { hash, position: position++, data: chunk });
  }
  // Uploading the bytes proves the agency holds them: it may now reference the blob (and read it back).
  await granted.run(trx, { hash, organId });
  return { created, size };
}

// storeBlob's statements, each built once (query-template.ts).
const blobInserted = queryTemplate((db, a: { hash: string; size: number; now: string }) =>
  db.insertInto('blobs').values({ sha256: a.hash, size: a.size, created_at: a.now }).onConflict((oc) => oc.column('sha256').doNothing()),
);
const chunkInserted = queryTemplate((db, a: { hash: string; position: number; data: Uint8Array }) => db.insertInto('blob_chunks').values({ sha256: a.hash, position: a.position, data: a.data }));
const granted = queryTemplate((db, a: { hash: string; organId: string }) =>
  db.insertInto('blob_grants').values({ sha256: a.hash, organ_id: a.organId }).onConflict((oc) => oc.columns(['sha256', 'organ_id']).doNothing()),
);

/** Stores bytes whose hash the caller has just computed, inside the caller's transaction, granting them to `organId`. */
export const storeVerified = (trx: Transaction<ServerSchema>, organId: string, hash: string, bytes: Uint8Array, now: Date): Promise<{ created: boolean; size: number }> =>
  storeBlob(trx, organId, hash, bytes.length, () => [bytes], now);

/** True when `organId` uploaded the blob, or sent or received a message that holds it. */
export async function mayRead(db: Kysely<ServerSchema>, organId: string, hash: string): Promise<boolean> {
  return (await readableSize.first(db, { hash, organId })) !== undefined;
}

/** The condition of mayRead on the row (of blob_chunks or blobs) whose hash is `blob`, for a query that reads it only when the agency may. */
function readableBy(organId: string, blob: 'blob_chunks.sha256' | 'blobs.sha256' = 'blob_chunks.sha256'): Expression<SqlBool> {
  const eb = expressionBuilder<ServerSchema, never>();
  return eb.or([
    eb.exists(eb.selectFrom('blob_grants').select('blob_grants.sha256').where('blob_grants.sha256', '=', sql.ref<string>(blob)).where('blob_grants.organ_id', '=', organId)),
    eb.exists(
      eb
        .selectFrom('message_files')
        .innerJoin('messages', 'messages.id', 'message_files.message_id')
        .select('messages.id')
        .where('message_files.sha256', '=', sql.ref<string>(blob))
        .where((inner) =>
          inner.or([
            inner('messages.sender', '=', organId),
            inner.exists(inner.selectFrom('deliveries').select('deliveries.seq').whereRef('deliveries.message_id', '=', 'messages.id').where('deliveries.recipient', '=', organId)),
          ]),
        ),
    ),
  ]);
}

/**
 * A chunk's bytes as a query selects them. PostgreSQL sends bytea as hex text by default: base64 is a third shorter and
 * Node decodes it faster (decodedChunk skips the newlines encode() puts in).
 */
const chunkData = (postgres: boolean) => sql<string | Uint8Array>`${postgres ? sql`encode(data, 'base64')` : sql`data`}`.as('data');
const decodedChunk = (data: string | Uint8Array): Buffer => (typeof data === 'string' ? Buffer.from(data, 'base64') : Buffer.from(data));

const readableChunks = queryTemplate((db, a: { hash: string; organId: string; postgres: boolean }) =>
  db.selectFrom('blob_chunks').select(chunkData(a.postgres)).where('sha256', '=', a.hash).where(readableBy(a.organId)).orderBy('position'),
);
/** The blob's size when `organId` may read it: the same condition, without reading the bytes. */
const readableSize = queryTemplate((db, { hash, organId }: { hash: string; organId: string }) =>
  db.selectFrom('blobs').select('size').where('sha256', '=', hash).where(readableBy(organId, 'blobs.sha256')),
);

/**
 * The whole blob when `organId` may read it (mayRead), in one round trip; undefined when it may not or the blob is
 * absent (the same answer, so existence does not leak).
 */
export async function readableBlobBytes(database: { db: Kysely<ServerSchema>; dialect: SqlDialectName }, organId: string, hash: string, recent?: RecentBlobs): Promise<Uint8Array | undefined> {
  // Received lately by this process: the database is asked only whether the agency may read it (no bytes move).
  const kept = recent?.get(hash);
  if (kept) return (await readableSize.first(database.db, { hash, organId })) ? kept : undefined;
  const chunks = (await readableChunks.rows(database.db, { hash, organId, postgres: database.dialect === 'postgres' })).map((c) => decodedChunk(c.data));
  if (chunks.length === 0) return undefined;
  return chunks.length === 1 ? new Uint8Array(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.length) : new Uint8Array(Buffer.concat(chunks));
}

/** Size of a blob `organId` may read; 404 alike for "absent" and "not yours", so existence does not leak. */
export async function blobSize(db: Kysely<ServerSchema>, organId: string, hash: string): Promise<number> {
  const row = await readableSize.first(db, { hash, organId });
  if (!row) throw notFound(`tệp ${hash}`, `File ${hash}`);
  return Number(row.size);
}

/** The whole blob in memory: for what needs all of it at once (signature checks, edXML export). */
export async function blobBytes(db: Db, hash: string): Promise<Uint8Array> {
  const chunks = await db.selectFrom('blob_chunks').select('data').where('sha256', '=', hash).orderBy('position').execute();
  if (chunks.length === 0) throw notFound(`tệp ${hash}`, `File ${hash}`);
  return new Uint8Array(Buffer.concat(chunks.map((c) => Buffer.from(c.data))));
}

const chunkAt = queryTemplate((db, a: { hash: string; position: number; postgres: boolean }) =>
  db.selectFrom('blob_chunks').select(chunkData(a.postgres)).where('sha256', '=', a.hash).where('position', '=', a.position),
);

/** Bytes `start`..`end` (inclusive) of a blob, one stored chunk at a time: a download never holds more than a chunk. */
export async function* readBlobRange(database: { db: Db; dialect: SqlDialectName }, hash: string, start: number, end: number): AsyncGenerator<Buffer> {
  for (let position = Math.floor(start / BLOB_CHUNK_BYTES); position <= Math.floor(end / BLOB_CHUNK_BYTES); position += 1) {
    const row = await chunkAt.first(database.db, { hash, position, postgres: database.dialect === 'postgres' });
    if (!row) throw new Error(`blob ${hash} has no chunk ${position}`);
    const data = decodedChunk(row.data);
    const base = position * BLOB_CHUNK_BYTES;
    yield data.subarray(Math.max(0, start - base), Math.min(data.length, end - base + 1));
  }
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
 * A PATCH body at `offset` (which must be the server's offset), stored a chunk at a time as it arrives so memory
 * stays at a chunk whatever the body's size. The offset moves only when the whole body has arrived: a PATCH cut
 * on the way leaves the offset where it was and its pieces are removed. When the upload is complete the whole is
 * hashed, reading the pieces back one by one: a match becomes a blob, a mismatch discards the upload.
 */
export async function appendUploadStream(
  db: Kysely<ServerSchema>,
  organId: string,
  id: string,
  offset: number,
  body: AsyncIterable<Uint8Array>,
  now: Date,
): Promise<{ offset: number; complete: boolean }> {
  const state = await uploadState(db, organId, id);
  if (offset !== state.offset) throw new VanthuError('SERVER_UPLOAD_OFFSET_MISMATCH', { given: offset, offset: state.offset });
  // Each write on its own, never holding the connection while the body is still arriving.
  const discard = (): Promise<unknown> => db.deleteFrom('upload_chunks').where('upload_id', '=', id).where('offset', '>=', offset).execute();
  // Pieces beyond the offset belong to a PATCH that never finished (its server process died): not part of the upload.
  await discard();
  let at = offset;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const put = async (piece: Buffer): Promise<void> => {
    if (piece.length === 0) return;
    await db.insertInto('upload_chunks').values({ upload_id: id, offset: at, data: new Uint8Array(piece.buffer, piece.byteOffset, piece.length) }).execute();
    at += piece.length;
  };
  try {
    for await (const data of body) {
      pending.push(Buffer.from(data.buffer, data.byteOffset, data.length));
      pendingBytes += data.length;
      if (at + pendingBytes > state.length) throw new VanthuError('SERVER_UPLOAD_TOO_LONG', { length: state.length });
      while (pendingBytes >= BLOB_CHUNK_BYTES) {
        const joined = Buffer.concat(pending);
        pending = [joined.subarray(BLOB_CHUNK_BYTES)];
        pendingBytes = joined.length - BLOB_CHUNK_BYTES;
        await put(joined.subarray(0, BLOB_CHUNK_BYTES));
      }
    }
    await put(Buffer.concat(pending));
  } catch (error) {
    await discard().catch(() => undefined);
    // Another PATCH from the same offset wrote the same pieces first: the race is lost, as below.
    if (isUniqueViolation(error)) throw new VanthuError('SERVER_UPLOAD_OFFSET_MISMATCH', { given: offset, offset: '?' });
    throw error;
  }
  const next = at;
  const result = await db.transaction().execute(async (trx) => {
    // Conditional on the offset: of two PATCHes racing from the same offset, one wins and one gets 409.
    const moved = await trx.updateTable('uploads').set({ offset: next }).where('id', '=', id).where('offset', '=', offset).executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new VanthuError('SERVER_UPLOAD_OFFSET_MISMATCH', { given: offset, offset: '?' });
    if (next < state.length) return { offset: next, complete: false, mismatch: undefined };
    // The pieces are read one at a time, twice (hash, then copy when new): memory stays at a chunk or two, whatever the file size.
    const upload = await trx.selectFrom('uploads').select('sha256').where('id', '=', id).executeTakeFirstOrThrow();
    const hasher = createHash('sha256');
    for await (const piece of uploadPieces(trx, id)) hasher.update(piece);
    const actual = hasher.digest('hex');
    if (actual === upload.sha256) await storeBlob(trx, organId, actual, state.length, () => uploadPieces(trx, id), now);
    await trx.deleteFrom('upload_chunks').where('upload_id', '=', id).execute();
    await trx.deleteFrom('uploads').where('id', '=', id).execute();
    if (actual !== upload.sha256) return { offset: next, complete: true, mismatch: { expected: upload.sha256, actual } };
    return { offset: next, complete: true, mismatch: undefined };
  });
  // Thrown after the commit, so the discarded upload stays discarded.
  if (result.mismatch) throw new VanthuError('SERVER_BLOB_HASH_MISMATCH', result.mismatch);
  return { offset: result.offset, complete: result.complete };
}

/** The PATCHed pieces of an upload in offset order, fetched one by one. */
async function* uploadPieces(trx: Transaction<ServerSchema>, id: string): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (;;) {
    const row = await trx.selectFrom('upload_chunks').select(['offset', 'data']).where('upload_id', '=', id).where('offset', '>=', offset).orderBy('offset').limit(1).executeTakeFirst();
    if (!row) return;
    yield row.data;
    offset = Number(row.offset) + row.data.length;
  }
}
