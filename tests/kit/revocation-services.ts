// The test PKI's revocation services on loopback: `openssl ocsp` responders behind a buffering front, and an HTTP server for the CRLs and CA certificate.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { freePort } from './free-port.js';
import type { PkiManifest } from './pki-manifest.js';

export interface RevocationServices {
  stop(): Promise<void>;
}

/** Serves the CRL, root CRL and CA certificate at the URLs baked into the test certificates. */
function startCrlServer(pki: PkiManifest): Promise<Server> {
  const files: Record<string, string> = {
    '/crl': pki.crlDer,
    '/root.crl': pki.crlDer.replace(/crl\.der$/, 'root-crl.der'),
    '/subca.cer': pki.subCaDer,
  };
  const server = createServer(async (request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://127.0.0.1').pathname];
    if (!file) return void response.writeHead(404).end();
    const body = await readFile(file);
    const type = file.endsWith('.crl') || file.endsWith('crl.der') ? 'application/pkix-crl' : 'application/pkix-cert';
    response.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length }).end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(pki.urls.crlPort, '127.0.0.1', () => resolve(server));
  });
}

/**
 * `openssl ocsp` as a responder over the sub-CA's index (OpenSSL 3.0 takes a bare port and binds
 * every interface). Resolves once it says it waits for clients: a probe connection would stall it,
 * since it serves one connection at a time and waits for a request on it.
 */
function startOcspResponder(pki: PkiManifest, port: number): Promise<ChildProcess> {
  const child = spawn(
    'openssl',
    ['ocsp', '-index', pki.ocsp.index, '-port', String(port), '-rsigner', pki.ocsp.certPem, '-rkey', pki.ocsp.keyPem, '-CA', pki.ocsp.caPem, '-ndays', '1', '-timeout', '5'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => reject(new Error(`openssl ocsp did not start: ${said}`)), 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('waiting for OCSP client connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`openssl ocsp exited with ${code}: ${said}`)));
  });
}

/** Responders serving at once: the whole suite's files (and a soak's servers) ask concurrently. */
const OCSP_RESPONDERS = 3;

/**
 * The OCSP URL baked into the certificates, in front of several responders. It reads each request
 * whole before handing it to an idle responder: a client that connects and then dies (a killed
 * server) would otherwise hold a single-connection responder for its 5 s timeout, stalling every
 * other test file's revocation checks behind it.
 */
async function startOcspFront(pki: PkiManifest): Promise<{ front: Server; responders: ChildProcess[] }> {
  const ports: number[] = [];
  const responders: ChildProcess[] = [];
  for (let i = 0; i < OCSP_RESPONDERS; i++) {
    const port = await freePort();
    responders.push(await startOcspResponder(pki, port));
    ports.push(port);
  }
  const idle = [...ports];
  const waiting: ((port: number) => void)[] = [];
  const take = (): Promise<number> => new Promise((resolve) => (idle.length > 0 ? resolve(idle.shift()!) : waiting.push(resolve)));
  const give = (port: number): void => (waiting.length > 0 ? waiting.shift()!(port) : void idle.push(port));

  const forward = async (incoming: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> => {
    const port = await take();
    const upstream = httpRequest(
      { host: '127.0.0.1', port, method: incoming.method, path: incoming.url, agent: false, headers: { 'Content-Type': incoming.headers['content-type'] ?? 'application/ocsp-request', 'Content-Length': body.length, Connection: 'close' } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, { 'Content-Type': answer.headers['content-type'] ?? 'application/ocsp-response' });
        answer.pipe(response);
        answer.once('end', () => give(port));
        answer.once('error', () => give(port));
      },
    );
    upstream.once('error', () => {
      give(port);
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    upstream.end(body);
  };

  const front = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A request cut before its end never reaches a responder.
    incoming.once('end', () => void forward(incoming, Buffer.concat(chunks), response));
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(pki.urls.ocspPort, '127.0.0.1', () => resolve());
  });
  return { front, responders };
}

export async function startRevocationServices(pki: PkiManifest): Promise<RevocationServices> {
  const crlServer = await startCrlServer(pki);
  const ocsp = await startOcspFront(pki);
  return {
    stop: async () => {
      for (const responder of ocsp.responders) responder.kill();
      ocsp.front.closeAllConnections();
      await new Promise((resolve) => ocsp.front.close(resolve));
      await new Promise((resolve) => crlServer.close(resolve));
    },
  };
}
