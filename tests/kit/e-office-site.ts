// A fake e-office web site on loopback, written from DOMAIN.md (not a vendor script): a page that calls the local signing service, a download route and upload handlers.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SESSION_ID = 'phien-qlvb-123';

export interface Upload {
  name: string;
  bytes: Uint8Array;
  cookie: string | undefined;
  authorization: string | undefined;
}

export interface EOfficeSite {
  origin: string;
  /** Documents the site serves under /files/NAME (uploads are added as they arrive). */
  files: Map<string, Uint8Array>;
  uploads: Upload[];
  /** How many requests each route got ("/files/a.pdf", "/upload"…). */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/**
 * The page's client: one WebSocket per operation to wss://127.0.0.1:PORT/<Operation>, the request
 * sent as one JSON string on open, the first message taken as the answer (DOMAIN.md). A failure
 * without a Message shows "Quá trình ký số bị hủy bỏ", as pages do.
 */
const pageHtml = (servicePort: string): string => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Hệ thống quản lý văn bản (thử)</title></head>
<body><h1>Quản lý văn bản và điều hành</h1>
<script>
  window.signingService = 'wss://127.0.0.1:${Number(servicePort)}';
  window.callSigningService = function (operation, request) {
    return new Promise(function (resolve) {
      var socket = new WebSocket(window.signingService + '/' + operation);
      var answered = false;
      socket.onopen = function () { socket.send(typeof request === 'string' ? request : JSON.stringify(request)); };
      socket.onmessage = function (event) {
        answered = true;
        socket.close();
        var answer = JSON.parse(event.data);
        if (answer.Status !== 0 && !answer.Message) answer.Message = 'Quá trình ký số bị hủy bỏ';
        resolve(answer);
      };
      socket.onclose = function () { if (!answered) resolve({ Status: -1, Message: 'Quá trình ký số bị hủy bỏ', NoConnection: true }); };
    });
  };
</script></body></html>`;

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startEOfficeSite(): Promise<EOfficeSite> {
  const files = new Map<string, Uint8Array>();
  const uploads: Upload[] = [];
  const hits = new Map<string, number>();
  let origin = '';
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', origin);
      hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
      const loggedIn = request.headers.cookie === `ASP.NET_SessionId=${SESSION_ID}`;
      if (request.method === 'GET' && url.pathname === '/qlvb') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml(url.searchParams.get('service') ?? '8987'));
      } else if (request.method === 'GET' && url.pathname.startsWith('/files/')) {
        const file = files.get(decodeURIComponent(url.pathname.slice('/files/'.length)));
        if (!loggedIn) response.writeHead(401).end('đăng nhập');
        else if (!file) response.writeHead(404).end();
        else response.writeHead(200, { 'content-type': 'application/pdf' }).end(file);
      } else if (request.method === 'POST' && url.pathname === '/upload') {
        if (!loggedIn) return void response.writeHead(401).end();
        const form = await new Request(`${origin}/upload`, { method: 'POST', headers: { 'content-type': request.headers['content-type'] ?? '' }, body: new Uint8Array(await body(request)) }).formData();
        const file = form.get('uploadfile');
        if (!(file instanceof File)) return void response.writeHead(400).end();
        const bytes = new Uint8Array(await file.arrayBuffer());
        const stored = `da-ky-${uploads.length + 1}-${file.name}`;
        uploads.push({ name: file.name, bytes, cookie: request.headers.cookie, authorization: request.headers.authorization });
        files.set(stored, bytes);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Status: true, FileName: stored, FileServer: JSON.stringify({ path: `/files/${stored}`, size: bytes.length }), DocumentNumber: url.searchParams.get('so') ?? '' }));
      } else if (request.method === 'POST' && url.pathname === '/upload-broken') {
        await body(request);
        response.writeHead(500).end('lỗi máy chủ');
      } else {
        response.writeHead(404).end();
      }
    })().catch(() => response.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, files, uploads, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
