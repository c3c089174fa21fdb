// The demo's loopback services: the demo root's CRL over HTTP (so revocation answers and demo signatures verify as valid) and the exchange server (`vanthu server`, SQLite) as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A port nobody listens on now (the kernel's choice). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Serves the demo root's CRL (and the root certificate) at the address baked into the demo certificates. */
export async function startCrlService(port: number, crlDer: string, rootPem: string): Promise<Server> {
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = pathname === '/demo.crl' ? crlDer : pathname === '/root.cer' ? rootPem : undefined;
    if (!file) return void response.writeHead(404).end();
    void readFile(file).then(
      (body) => response.writeHead(200, { 'Content-Type': file === crlDer ? 'application/pkix-crl' : 'application/x-pem-file', 'Content-Length': body.length }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

/** The repository's (or installed app's) `bin/vanthu.mjs`, found from this file upwards. */
function vanthuBin(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'bin', 'vanthu.mjs');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

export interface DemoAgencyEntry {
  organId: string;
  name: string;
  parent?: string;
  certificates: string[];
  personCertificates?: string[];
}

export interface ExchangeServerProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * `vanthu server` on loopback with the demo's SQLite database, trusting only the demo root, its directory
 * brought in from a bootstrap file (the two demo agencies). The same server users run, in its own process.
 */
export async function startExchangeServer(dir: string, rootPem: string, agencies: DemoAgencyEntry[]): Promise<ExchangeServerProcess> {
  const bin = vanthuBin();
  if (!bin) throw new Error('bin/vanthu.mjs not found');
  const bootstrap = path.join(dir, 'bootstrap.json');
  await writeFile(bootstrap, `${JSON.stringify({ agencies }, null, 2)}\n`);
  const port = await freeLoopbackPort();
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, 'server', '--db', `sqlite:${path.join(dir, 'exchange.db')}`, '--port', String(port), '--host', '127.0.0.1', '--trust', rootPem, '--no-bundled-trust', '--bootstrap', bootstrap, '--drain-timeout', '2', '--verify-threads', '0'],
    // Electron's binary runs as Node for this child; the server logs only warnings.
    { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', VANTHU_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => reject(new Error(`vanthu server did not start: ${said.slice(-2000)}`)), 60_000);
    const listen = (chunk: Buffer): void => {
      said += chunk.toString();
      const match = /vanthu server: (http:\/\/127\.0\.0\.1:\d+)/.exec(said);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', listen);
    child.stderr?.on('data', listen);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vanthu server exited with ${code}: ${said.slice(-2000)}`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
