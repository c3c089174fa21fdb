// The test PKI's revocation services on loopback: its OCSP service (ocsp-service.ts) and an HTTP server for the CRLs and CA certificate.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { startOcspService } from './ocsp-service.js';
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

/** Responders serving at once: the whole suite's files (and a soak's servers) ask concurrently. */
const OCSP_RESPONDERS = 3;

export async function startRevocationServices(pki: PkiManifest): Promise<RevocationServices> {
  const crlServer = await startCrlServer(pki);
  const ocsp = await startOcspService(pki, { port: pki.urls.ocspPort, responders: OCSP_RESPONDERS });
  return {
    stop: async () => {
      await ocsp.stop();
      await new Promise((resolve) => crlServer.close(resolve));
    },
  };
}
