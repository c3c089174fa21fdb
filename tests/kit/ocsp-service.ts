// `openssl ocsp` responders behind a buffering front on loopback, which can fail the requests a seeded schedule picks (a responder "failing half the time").
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { seededRandom } from '../../src/core/outbox/backoff.js';
import { freePort } from './free-port.js';
import type { PkiManifest } from './pki-manifest.js';

/** What the front does with one request. */
export type OcspFault =
  | { kind: 'pass' }
  /** An overloaded gateway's answer; no responder is asked. */
  | { kind: 'status'; status: 500 | 503 }
  /** The connection reset before any answer. */
  | { kind: 'reset' }
  /** The responder answered; the answer is lost on the way (the connection closes). */
  | { kind: 'drop-response' }
  /** A well-formed OCSP answer whose responseStatus is tryLater (3), as an overloaded responder says. */
  | { kind: 'try-later' }
  /** Nothing for `ms`, then the connection closes: longer than a client's timeout, it times out first. */
  | { kind: 'too-slow'; ms: number };

export type OcspFaultKind = OcspFault['kind'];
export type OcspSchedule = (index: number) => OcspFault;

/** OCSPResponse { responseStatus tryLater }: nothing else, as RFC 6960 has it for an unsuccessful status. */
const TRY_LATER = Buffer.from('30030a0103', 'hex');

/**
 * Fails a share `rate` of the requests, each with one of the failures above (equal weights), the very first one
 * always: a run of any length meets at least one. The same seed fails the same request numbers.
 */
export function flakySchedule(seed: number, options: { rate: number; slowMs: number }): OcspSchedule {
  const random = seededRandom(seed);
  const failures: ((draw: number) => OcspFault)[] = [
    (draw) => ({ kind: 'status', status: draw < 0.5 ? 500 : 503 }),
    () => ({ kind: 'reset' }),
    () => ({ kind: 'drop-response' }),
    () => ({ kind: 'try-later' }),
    () => ({ kind: 'too-slow', ms: options.slowMs }),
  ];
  return (index) => {
    // The same number of draws for every request: one request's fault does not shift the next's.
    const [a, b, c] = [random(), random(), random()];
    if (index > 0 && a >= options.rate) return { kind: 'pass' };
    return failures[Math.min(failures.length - 1, Math.floor(b * failures.length))]!(c);
  };
}

export interface OcspServiceOptions {
  /** The port the certificates name (their AIA OCSP address). */
  port: number;
  /** The openssl CA index the responders answer from (default the test PKI's). */
  index?: string;
  /** Responders serving at once behind the front. */
  responders?: number;
  /** How long each answer holds (its nextUpdate): a day by default; minutes make kept answers expire during a run. */
  validMinutes?: number;
  schedule?: OcspSchedule;
}

export interface OcspService {
  url: string;
  /** Requests the front received, and how each was treated. */
  counts: () => { requests: number } & Partial<Record<OcspFaultKind, number>>;
  /** From now on every request passes. */
  heal: () => void;
  stop: () => Promise<void>;
}

/**
 * `openssl ocsp` as a responder over a CA index (OpenSSL 3.0 takes a bare port and binds every interface).
 * Resolves once it says it waits for clients: a probe connection would stall it, since it serves one
 * connection at a time and waits for a request on it.
 */
function startResponder(pki: PkiManifest, index: string, port: number, validMinutes: number | undefined): Promise<ChildProcess> {
  const validity = validMinutes === undefined ? ['-ndays', '1'] : ['-nmin', String(validMinutes)];
  const child = spawn('openssl', ['ocsp', '-index', index, '-port', String(port), '-rsigner', pki.ocsp.certPem, '-rkey', pki.ocsp.keyPem, '-CA', pki.ocsp.caPem, ...validity, '-timeout', '5'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
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

/**
 * The responders behind one front. The front reads each request whole before handing it to an idle responder: a
 * client that connects and then dies (a killed server) would otherwise hold a single-connection responder for its
 * 5 s timeout, stalling every other client's revocation checks behind it.
 */
export async function startOcspService(pki: PkiManifest, options: OcspServiceOptions): Promise<OcspService> {
  const ports: number[] = [];
  const responders: ChildProcess[] = [];
  for (let i = 0; i < (options.responders ?? 1); i++) {
    const port = await freePort();
    responders.push(await startResponder(pki, options.index ?? pki.ocsp.index, port, options.validMinutes));
    ports.push(port);
  }
  const idle = [...ports];
  const waiting: ((port: number) => void)[] = [];
  const take = (): Promise<number> => new Promise((resolve) => (idle.length > 0 ? resolve(idle.shift()!) : waiting.push(resolve)));
  const give = (port: number): void => (waiting.length > 0 ? waiting.shift()!(port) : void idle.push(port));

  let schedule = options.schedule;
  let requests = 0;
  const treated: Partial<Record<OcspFaultKind, number>> = {};
  const timers = new Set<NodeJS.Timeout>();

  const forward = async (incoming: IncomingMessage, body: Buffer, response: ServerResponse, loseAnswer: boolean): Promise<void> => {
    const port = await take();
    const upstream = httpRequest(
      { host: '127.0.0.1', port, method: incoming.method, path: incoming.url, agent: false, headers: { 'Content-Type': incoming.headers['content-type'] ?? 'application/ocsp-request', 'Content-Length': body.length, Connection: 'close' } },
      (answer) => {
        if (loseAnswer) {
          answer.resume();
          response.socket?.destroy();
        } else {
          response.writeHead(answer.statusCode ?? 502, { 'Content-Type': answer.headers['content-type'] ?? 'application/ocsp-response' });
          answer.pipe(response);
        }
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

  const treat = (incoming: IncomingMessage, body: Buffer, response: ServerResponse): void => {
    const fault = schedule?.(requests) ?? { kind: 'pass' };
    requests++;
    treated[fault.kind] = (treated[fault.kind] ?? 0) + 1;
    switch (fault.kind) {
      case 'pass':
        return void forward(incoming, body, response, false);
      case 'drop-response':
        return void forward(incoming, body, response, true);
      case 'status':
        return void response.writeHead(fault.status).end();
      case 'reset':
        return void response.socket?.resetAndDestroy();
      case 'try-later':
        return void response.writeHead(200, { 'Content-Type': 'application/ocsp-response', 'Content-Length': TRY_LATER.length }).end(TRY_LATER);
      case 'too-slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          response.socket?.destroy();
        }, fault.ms);
        timers.add(timer);
        return;
      }
    }
  };

  const front: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A request cut before its end never reaches a responder.
    incoming.once('end', () => treat(incoming, Buffer.concat(chunks), response));
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${options.port}/`,
    counts: () => ({ requests, ...treated }),
    heal: () => void (schedule = undefined),
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const responder of responders) responder.kill();
      front.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
    },
  };
}
