// Blob routes: HEAD/GET (Range) /v1/blobs/{sha256}, one-shot PUT, and tus-style resumable uploads under /v1/uploads.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { blobParams, sha256Hex, uploadParams } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import { Readable } from 'node:stream';
import { appendUploadStream, blobSize, createUpload, putBlob, readBlobRange, uploadState } from '../blobs/blob-store.js';
import { parseRange } from '../blobs/range.js';
import type { ResolvedConfig } from '../config.js';
import type { ZodTypeProvider } from '../zod-provider.js';
import { ANSWER_UNSYNCED } from './durable-answers.js';
import { agencyOf, requireAgency } from './guard.js';

const TUS_VERSION = '1.0.0';

const bodyBytes = (body: unknown, contentType: string | undefined): Uint8Array => {
  if (!Buffer.isBuffer(body)) throw new VanthuError('SERVER_UNSUPPORTED_MEDIA_TYPE', { type: contentType ?? '(none)' });
  return new Uint8Array(body.buffer, body.byteOffset, body.length);
};

const createHeaders = z.object({
  'upload-length': z.coerce.number().int().min(0),
  /** tus metadata: comma-separated "key base64(value)"; we need "sha256". */
  'upload-metadata': z.string().max(4096),
});
const patchHeaders = z.object({ 'upload-offset': z.coerce.number().int().min(0) });

/** The sha256 entry of tus Upload-Metadata, decoded. */
function declaredSha256(metadata: string): string {
  for (const pair of metadata.split(',')) {
    const [key, value] = pair.trim().split(/\s+/);
    if (key === 'sha256' && value) {
      const parsed = sha256Hex.safeParse(Buffer.from(value, 'base64').toString('utf8'));
      if (parsed.success) return parsed.data;
    }
  }
  throw new VanthuError('SERVER_BAD_REQUEST', { detail: 'Upload-Metadata must carry "sha256 <base64 of the hex digest>"' });
}

const tus = (reply: FastifyReply): FastifyReply => reply.header('tus-resumable', TUS_VERSION).header('cache-control', 'no-store');

export const blobRoutes = (config: ResolvedConfig): FastifyPluginAsync => async (instance) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  requireAgency(app, config);
  const { db } = config.database;

  app.head('/blobs/:sha256', { schema: { params: blobParams }, config: ANSWER_UNSYNCED }, async (request, reply) => {
    const size = await blobSize(db, agencyOf(request).organId, request.params.sha256);
    return reply.header('content-length', size).header('accept-ranges', 'bytes').header('etag', `"${request.params.sha256}"`).send();
  });

  app.get('/blobs/:sha256', { schema: { params: blobParams }, exposeHeadRoute: false, config: ANSWER_UNSYNCED }, async (request, reply) => {
    const { sha256 } = request.params;
    const size = await blobSize(db, agencyOf(request).organId, sha256);
    const range = parseRange(request.headers.range, size);
    void reply.header('accept-ranges', 'bytes').header('etag', `"${sha256}"`).type('application/octet-stream');
    const [start, end] = range.kind === 'whole' ? [0, size - 1] : [range.start, range.end];
    if (range.kind === 'part') void reply.status(206).header('content-range', `bytes ${start}-${end}/${size}`);
    // Streamed chunk by chunk from the database: a 100 MB file costs a megabyte of memory, not a hundred.
    void reply.header('content-length', end - start + 1);
    return reply.send(size === 0 ? Buffer.alloc(0) : Readable.from(readBlobRange(config.database, sha256, start, end), { objectMode: false }));
  });

  app.put('/blobs/:sha256', { schema: { params: blobParams }, config: ANSWER_UNSYNCED }, async (request, reply) => {
    const bytes = bodyBytes(request.body, request.headers['content-type']);
    const result = await putBlob(db, agencyOf(request).organId, request.params.sha256, bytes, config.clock(), config.database.dialect);
    config.recentBlobs.remember(request.params.sha256, bytes);
    return reply.status(result.created ? 201 : 200).send({ sha256: request.params.sha256, size: result.size });
  });

  app.post('/uploads', { schema: { headers: createHeaders }, config: ANSWER_UNSYNCED }, async (request, reply) => {
    const length = request.headers['upload-length'];
    if (length > config.limits.blobBytes) throw new VanthuError('SERVER_PAYLOAD_TOO_LARGE');
    const id = await createUpload(db, agencyOf(request).organId, length, declaredSha256(request.headers['upload-metadata']), config.clock());
    return tus(reply).status(201).header('location', `/v1/uploads/${id}`).send();
  });

  app.head('/uploads/:id', { schema: { params: uploadParams }, config: ANSWER_UNSYNCED }, async (request, reply) => {
    const state = await uploadState(db, agencyOf(request).organId, request.params.id);
    return tus(reply).header('upload-offset', state.offset).header('upload-length', state.length).send();
  });

  app.patch('/uploads/:id', { schema: { params: uploadParams, headers: patchHeaders }, config: ANSWER_UNSYNCED }, async (request, reply) => {
    if (request.headers['content-type'] !== 'application/offset+octet-stream') {
      throw new VanthuError('SERVER_UNSUPPORTED_MEDIA_TYPE', { type: request.headers['content-type'] ?? '(none)' });
    }
    const body = request.body as AsyncIterable<Uint8Array> | undefined;
    if (!body || typeof body[Symbol.asyncIterator] !== 'function') throw new VanthuError('SERVER_UNSUPPORTED_MEDIA_TYPE', { type: request.headers['content-type'] ?? '(none)' });
    const result = await appendUploadStream(db, agencyOf(request).organId, request.params.id, request.headers['upload-offset'], body, config.clock());
    return tus(reply).status(204).header('upload-offset', result.offset).send();
  });
};
