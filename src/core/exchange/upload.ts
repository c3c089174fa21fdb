// Blob upload: a small file in one PUT; otherwise (and on a retry) skip what the server has (HEAD), else tus upload in chunks that resumes at the server's offset after a cut.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isVanthuError, VanthuError } from '../../shared/errors.js';
import { isTransient, type HttpRequest, type HttpResult } from './http.js';
import type { UploadLocations } from './records.js';

/**
 * What an upload needs of the exchange client, which passes itself. Declared here rather than taken
 * from client.ts so the dependency points one way: the client imports the uploader, not back.
 */
export interface UploadConnection {
  call(request: HttpRequest): Promise<HttpResult>;
  authed(request: HttpRequest, ok: number[]): Promise<HttpResult>;
  hasBlob(sha256: string): Promise<boolean>;
  readonly uploads: UploadLocations;
  readonly chunkBytes: number;
  readonly uploadAttempts: number;
}

export interface UploadResult {
  sha256: string;
  size: number;
  /** True when the server already had the blob. */
  skipped: boolean;
  /** Body bytes sent in PATCH requests, resent ones included: what a cut cost. */
  sentBytes: number;
}

async function serverOffset(client: UploadConnection, location: string): Promise<number | undefined> {
  const result = await client.call({ method: 'HEAD', path: location });
  if (result.status === 404) return undefined;
  if (result.status !== 200) throw new VanthuError('EXCHANGE_REFUSED', { status: result.status, code: 'HTTP_ERROR', messageVi: `HTTP ${result.status}`, messageEn: `HTTP ${result.status}` });
  return Number(result.headers.get('upload-offset') ?? '0');
}

async function createUpload(client: UploadConnection, sha256: string, size: number): Promise<string> {
  const metadata = `sha256 ${Buffer.from(sha256).toString('base64')}`;
  const result = await client.authed({ method: 'POST', path: '/v1/uploads', headers: { 'tus-resumable': '1.0.0', 'upload-length': String(size), 'upload-metadata': metadata } }, [201]);
  const location = result.headers.get('location');
  if (!location) throw new VanthuError('EXCHANGE_REFUSED', { status: 201, code: 'NO_LOCATION', messageVi: 'thiếu Location', messageEn: 'no Location header' });
  return location;
}

/** Bytes the server holds of this blob so far, after each chunk: for a progress bar. */
export type UploadProgress = (p: { sha256: string; size: number; offset: number; sentBytes: number }) => void;

export interface UploadOptions {
  /**
   * Nothing says the server may hold these bytes already (a send job's first run; a submission refused because the
   * server lacks them): a file that fits in one chunk goes up in one PUT, without asking first. Otherwise (a rerun
   * after a crash or an unclear answer, a direct send) HEAD asks first, so bytes the server has are not sent again.
   */
  firstTime?: boolean;
  /** The bytes' SHA-256 when the caller knows it (read hash-checked from the store); the server hashes them anyway. */
  sha256?: string;
}

export async function uploadBlob(client: UploadConnection, bytes: Uint8Array, onProgress?: UploadProgress, options: UploadOptions = {}): Promise<UploadResult> {
  const sha256 = options.sha256 ?? createHash('sha256').update(bytes).digest('hex');
  const size = bytes.length;
  let sentBytes = 0;
  let offset: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      // A first-time file that fits in one chunk goes up in one request (PUT /v1/blobs/{sha256}: the server hashes
      // it, and answers 200 when it had it after all). HEAD, create and PATCH would be three round trips to resume
      // bytes a cut makes us resend whole anyway. Retries take the resumable path below.
      if (options.firstTime === true && attempt === 1 && size <= client.chunkBytes && client.uploads.get(sha256) === undefined) {
        sentBytes += size;
        const result = await client.authed({ method: 'PUT', path: `/v1/blobs/${sha256}`, headers: { 'content-type': 'application/octet-stream' }, body: bytes }, [200, 201]);
        onProgress?.({ sha256, size, offset: size, sentBytes });
        return { sha256, size, skipped: result.status === 200, sentBytes };
      }
      // Asked on every attempt: the last chunk may have landed even though its answer was lost.
      if (await client.hasBlob(sha256)) {
        client.uploads.delete(sha256);
        onProgress?.({ sha256, size, offset: size, sentBytes });
        return { sha256, size, skipped: sentBytes === 0, sentBytes };
      }
      let location = client.uploads.get(sha256);
      offset = location === undefined ? undefined : await serverOffset(client, location);
      if (location === undefined || offset === undefined) {
        location = await createUpload(client, sha256, size);
        client.uploads.set(sha256, location);
        offset = 0;
      }
      while (offset < size) {
        const chunk = bytes.subarray(offset, Math.min(size, offset + client.chunkBytes));
        sentBytes += chunk.length;
        const result = await client.authed(
          { method: 'PATCH', path: location, headers: { 'tus-resumable': '1.0.0', 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }, body: chunk },
          [204],
        );
        offset = Number(result.headers.get('upload-offset'));
        onProgress?.({ sha256, size, offset, sentBytes });
      }
      client.uploads.delete(sha256);
      return { sha256, size, skipped: false, sentBytes };
    } catch (error) {
      // A cut connection: ask the server where it got to and go on from there.
      // An open circuit will not close within this loop's short sleeps: the job waits for it instead.
      if (!isTransient(error) || isVanthuError(error, 'EXCHANGE_OFFLINE') || attempt >= client.uploadAttempts) throw error;
      await sleep(Math.min(2000, 25 * 2 ** attempt));
    }
  }
}
