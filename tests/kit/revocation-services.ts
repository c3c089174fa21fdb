// The test PKI's revocation services on loopback: an `openssl ocsp` responder and an HTTP server for the CRLs and CA certificate.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
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
function startOcspResponder(pki: PkiManifest): Promise<ChildProcess> {
  const child = spawn(
    'openssl',
    ['ocsp', '-index', pki.ocsp.index, '-port', String(pki.urls.ocspPort), '-rsigner', pki.ocsp.certPem, '-rkey', pki.ocsp.keyPem, '-CA', pki.ocsp.caPem, '-ndays', '1', '-timeout', '5'],
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

export async function startRevocationServices(pki: PkiManifest): Promise<RevocationServices> {
  const crlServer = await startCrlServer(pki);
  const ocsp = await startOcspResponder(pki);
  return {
    stop: async () => {
      ocsp.kill();
      await new Promise((resolve) => crlServer.close(resolve));
    },
  };
}
