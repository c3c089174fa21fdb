// A file's bytes for a submission, read only when the agency may (it uploaded them, or sent or received a message holding them), in one query on SQLite and PostgreSQL; a file uploaded a moment ago checked from the upload's bytes.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayRead, putBlob, readableBlobBytes } from '../../../src/server/blobs/blob-store.js';
import { RecentBlobs } from '../../../src/server/blobs/recent-blobs.js';
import { BLOB_CHUNK_BYTES } from '../../../src/server/db/migrations/0003-blob-chunks.js';
import { signPdf } from '../../../src/core/signing/index.js';
import { fixture } from '../../kit/pdf-tools.js';
import { CAO_BANG, DIALECTS, envelope, login, NOI_VU, startTestServer, submit, upload, VPCP, type TestServer, useSealedSetup } from './kit.js';

const setup = useSealedSetup();
const { pki } = setup;

describe.each(DIALECTS)('readable blob bytes on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(pki, setup.keys, dialect);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gives the uploader its bytes, a recipient only once a message brought them, and nobody else anything', async () => {
    const sender = await login(server.app, setup.keys.agency);
    const file = await upload(server.app, sender, setup.sealed);
    const read = (organId: string): Promise<Uint8Array | undefined> => readableBlobBytes(server.database, organId, file);

    expect(Buffer.from((await read(CAO_BANG))!).equals(Buffer.from(setup.sealed))).toBe(true);
    expect(await read(NOI_VU)).toBeUndefined();
    expect(await read('000.00.99.H14')).toBeUndefined();
    expect(await readableBlobBytes(server.database, CAO_BANG, 'f'.repeat(64))).toBeUndefined();

    expect((await submit(server.app, sender, envelope([{ sha256: file }], [NOI_VU]))).statusCode).toBe(201);
    // The recipient now holds it through the message; an agency the message did not reach still does not.
    expect(Buffer.from((await read(NOI_VU))!).equals(Buffer.from(setup.sealed))).toBe(true);
    expect(await read(VPCP)).toBeUndefined();
    // The same answers as mayRead, which other routes use.
    for (const organId of [CAO_BANG, NOI_VU, VPCP]) expect((await read(organId)) !== undefined).toBe(await mayRead(server.database.db, organId, file));
  });

  it('joins a blob of several chunks back exactly', async () => {
    const bytes = randomBytes(2 * BLOB_CHUNK_BYTES + 12_345);
    const hash = createHash('sha256').update(bytes).digest('hex');
    await putBlob(server.database.db, CAO_BANG, hash, bytes, new Date());
    const back = await readableBlobBytes(server.database, CAO_BANG, hash);
    expect(back?.length).toBe(bytes.length);
    expect(Buffer.from(back!).equals(bytes)).toBe(true);
  });

  it('checks a file uploaded a moment ago from the bytes the upload brought, still asking the database who may read it', async () => {
    const sender = await login(server.app, setup.keys.agency);
    const sealed = (await signPdf(fixture('classic-xref.pdf'), setup.keys.agency, {})).bytes;
    const file = await upload(server.app, sender, sealed);
    // The database's copy spoiled behind the server's back: only a check made from the upload's bytes can still pass.
    await server.database.db.updateTable('blob_chunks').set({ data: Buffer.from('not the uploaded bytes') }).where('sha256', '=', file).execute();
    expect(Buffer.from((await readableBlobBytes(server.database, CAO_BANG, file))!).toString()).toBe('not the uploaded bytes');
    const response = await submit(server.app, sender, envelope([{ sha256: file }], [NOI_VU]));
    expect(response.statusCode, response.body).toBe(201);

    // Kept bytes answer only an agency the database says may read them, and only while the blob exists there.
    const recent = new RecentBlobs();
    recent.remember(file, sealed);
    expect(Buffer.from((await readableBlobBytes(server.database, CAO_BANG, file, recent))!).equals(Buffer.from(sealed))).toBe(true);
    expect(await readableBlobBytes(server.database, VPCP, file, recent)).toBeUndefined();
    const unstored = createHash('sha256').update('never stored').digest('hex');
    recent.remember(unstored, new TextEncoder().encode('never stored'));
    expect(await readableBlobBytes(server.database, CAO_BANG, unstored, recent)).toBeUndefined();
  });
});
