// A loopback RFC 3161 TSA for tests: `openssl ts -reply` with the test PKI's TSA key, plus switches for slow, down and lying TSAs.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TAG, encode, readChildren, readWhole, sequence, smallInteger } from '../../src/core/cms/der.js';
import type { PkiManifest } from './pki-manifest.js';

const run = promisify(execFile);

export type FakeTsaMode =
  /** A real token from openssl. */
  | 'grant'
  /** HTTP 500, as a TSA behind a broken proxy. */
  | 'http-500'
  /** A TimeStampResp with status rejection, a status text and failInfo systemFailure. */
  | 'reject'
  /** A real token for a request whose nonce was altered. */
  | 'wrong-nonce'
  /** A real token for a request whose digest was altered. */
  | 'wrong-imprint'
  /** A real token with one byte of its signature flipped. */
  | 'bad-signature'
  /** HTTP 200 with bytes that are not DER. */
  | 'garbage'
  /** Accepts the request and never answers. */
  | 'hang';

export interface FakeTsa {
  url: string;
  /** Change between requests. */
  mode: FakeTsaMode;
  /** Wait this long before answering. */
  delayMs: number;
  /** Requests received, with the Content-Type each carried. */
  readonly requests: { contentType: string | undefined; body: Uint8Array }[];
  close(): Promise<void>;
}

export const REJECTION_TEXT = 'Hệ thống cấp dấu thời gian đang bảo trì';

/** TimeStampResp { status rejection(2), statusString, failInfo systemFailure (bit 25) }. */
function rejection(): Uint8Array {
  const statusString = sequence(encode(TAG.UTF8_STRING, new TextEncoder().encode(REJECTION_TEXT)));
  const failInfo = encode(TAG.BIT_STRING, Uint8Array.of(6, 0, 0, 0, 0x40));
  return sequence(sequence(smallInteger(2), statusString, failInfo));
}

/** Flips a byte inside the query's hashedMessage or nonce (a copy; lengths stay the same, so the DER stays valid). */
function alterQuery(query: Uint8Array, what: 'imprint' | 'nonce'): Uint8Array {
  const copy = Uint8Array.from(query);
  const fields = readChildren(readWhole(copy));
  const target =
    what === 'imprint'
      ? readChildren(fields[1]!)[1]!.content
      : fields.slice(2).find((field) => field.tag === TAG.INTEGER)!.content;
  target[target.length - 1]! ^= 0x01;
  return copy;
}

/** The test PKI's openssl.cnf with a private TSA serial file, so parallel test files do not share one. */
function privateConfig(pki: PkiManifest, dir: string): string {
  const serialFile = path.join(dir, 'tsaserial');
  writeFileSync(serialFile, '01\n');
  const original = readFileSync(pki.tsa.config, 'utf8');
  const config = original.replace(/^serial\s*=\s*\$dir\/tsaserial\s*$/m, `serial = ${serialFile}`);
  const file = path.join(dir, 'openssl.cnf');
  writeFileSync(file, config);
  return file;
}

export async function startFakeTsa(pki: PkiManifest, options: { mode?: FakeTsaMode; delayMs?: number } = {}): Promise<FakeTsa> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-fake-tsa-'));
  const config = privateConfig(pki, dir);
  let counter = 0;

  const reply = async (query: Uint8Array): Promise<Uint8Array> => {
    const id = counter++;
    const queryFile = path.join(dir, `query-${id}.der`);
    const replyFile = path.join(dir, `reply-${id}.der`);
    writeFileSync(queryFile, query);
    await run('openssl', ['ts', '-reply', '-config', config, '-section', pki.tsa.section, '-queryfile', queryFile, '-out', replyFile]);
    return new Uint8Array(readFileSync(replyFile));
  };

  const answer = async (query: Uint8Array, response: http.ServerResponse): Promise<void> => {
    const send = (body: Uint8Array) => {
      response.writeHead(200, { 'Content-Type': 'application/timestamp-reply', 'Content-Length': body.length });
      response.end(body);
    };
    switch (tsa.mode) {
      case 'hang':
        return;
      case 'http-500':
        response.writeHead(500).end('TSA backend down');
        return;
      case 'reject':
        return send(rejection());
      case 'garbage':
        return send(new TextEncoder().encode('<html>not a timestamp</html>'));
      case 'wrong-nonce':
        return send(await reply(alterQuery(query, 'nonce')));
      case 'wrong-imprint':
        return send(await reply(alterQuery(query, 'imprint')));
      case 'bad-signature': {
        // The token's last field is its SignerInfo's signature value (openssl adds no unsigned attributes).
        const body = await reply(query);
        body[body.length - 1]! ^= 0x01;
        return send(body);
      }
      case 'grant':
        return send(await reply(query));
    }
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = new Uint8Array(Buffer.concat(chunks));
      tsa.requests.push({ contentType: request.headers['content-type'], body });
      setTimeout(() => {
        answer(body, response).catch((error: unknown) => {
          response.writeHead(500).end(String(error));
        });
      }, tsa.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const tsa: FakeTsa = {
    url: `http://127.0.0.1:${port}/tsa`,
    mode: options.mode ?? 'grant',
    delayMs: options.delayMs ?? 0,
    requests: [],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return tsa;
}
