// Downloads the document a page names (with its session cookie / JWT) and POSTs the signed file to its upload handler as `uploadfile`.
import { ServiceFailure, STATUS } from './protocol.js';

export interface PageCredentials {
  SessionId?: string;
  JWTToken?: string;
}

export interface TransferOptions {
  /** Checks every URL, redirects included: a redirect must not lead outside the allowed sites. */
  checkUrl: (url: string) => URL;
  timeoutMs?: number;
  maxBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;
const MAX_REDIRECTS = 5;

/**
 * The page's session as request headers. A bare SessionId is sent as the ASP.NET session cookie
 * most e-office systems use; a value holding "=" is taken as a whole cookie string.
 */
export function credentialHeaders(credentials: PageCredentials): Record<string, string> {
  const headers: Record<string, string> = {};
  const session = credentials.SessionId?.trim();
  if (session) headers.cookie = session.includes('=') ? session : `ASP.NET_SessionId=${session}`;
  const jwt = credentials.JWTToken?.trim();
  if (jwt) headers.authorization = /^bearer\s/i.test(jwt) ? jwt : `Bearer ${jwt}`;
  return headers;
}

async function fetchChecked(urlText: string, init: RequestInit, options: TransferOptions, failure: (detail: string) => ServiceFailure): Promise<Response> {
  let url = options.checkUrl(urlText);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response;
    try {
      response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
    } catch (error) {
      throw failure(error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error));
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = options.checkUrl(new URL(location, url).href);
      continue;
    }
    return response;
  }
  throw failure('too many redirects');
}

export interface Downloaded {
  bytes: Uint8Array;
  /** The file name from Content-Disposition or the URL path. */
  name: string;
}

function fileNameOf(response: Response, url: string): string {
  const disposition = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const fromHeader = star ? decodeURIComponent(star[1]!) : plain?.[1];
  const fromPath = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  const name = (fromHeader ?? fromPath).replace(/[/\\\0]/g, '_').trim();
  return name || 'van-ban.pdf';
}

export async function downloadDocument(url: string, credentials: PageCredentials, options: TransferOptions): Promise<Downloaded> {
  const failure = (detail: string): ServiceFailure =>
    new ServiceFailure(STATUS.DOWNLOAD_FAILED, 'DOWNLOAD_FAILED', `Không tải được văn bản cần ký từ trang (${detail}).`, `Could not download the document: ${detail}`);
  const response = await fetchChecked(url, { headers: credentialHeaders(credentials) }, options, failure);
  if (!response.ok) throw failure(`HTTP ${response.status}`);
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > max) throw failure(`tệp lớn hơn ${Math.round(max / 1048576)} MB`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > max) throw failure(`tệp lớn hơn ${Math.round(max / 1048576)} MB`);
  return { bytes, name: fileNameOf(response, response.url || url) };
}

/** What the upload handler answered, relayed to the page. */
export interface UploadAnswer {
  FileServer?: string;
  FileName?: string;
  DocumentNumber?: string;
  raw: unknown;
}

export async function uploadSigned(url: string, file: { bytes: Uint8Array; name: string }, credentials: PageCredentials, options: TransferOptions): Promise<UploadAnswer> {
  const failure = (detail: string): ServiceFailure =>
    new ServiceFailure(STATUS.UPLOAD_FAILED, 'UPLOAD_FAILED', `Đã ký nhưng không gửi được tệp đã ký lên trang (${detail}).`, `Signed, but the upload failed: ${detail}`);
  const form = new FormData();
  form.append('uploadfile', new Blob([Uint8Array.from(file.bytes)], { type: 'application/pdf' }), file.name);
  const response = await fetchChecked(url, { method: 'POST', body: form, headers: credentialHeaders(credentials) }, options, failure);
  const text = await response.text().catch(() => '');
  if (!response.ok) throw failure(`HTTP ${response.status}`);
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // Some handlers answer plain text; relayed as FileServer.
  }
  if (typeof answer === 'object' && answer !== null) {
    const record = answer as Record<string, unknown>;
    if (record.Status === false || record.status === false) throw failure(typeof record.Message === 'string' && record.Message ? record.Message : 'máy chủ từ chối tệp');
    const asText = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value));
    return { FileServer: asText(record.FileServer), FileName: asText(record.FileName), DocumentNumber: asText(record.DocumentNumber), raw: answer };
  }
  return { FileServer: text || undefined, raw: text };
}
