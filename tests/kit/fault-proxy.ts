// A loopback HTTP/1.1 fault proxy: per request it passes, cuts or resets after N bytes, drops the answer (lost ack), delays, or answers 500/503, from a seeded schedule.
import net from 'node:net';
import { seededRandom } from '../../src/core/outbox/backoff.js';

export type Fault =
  | { kind: 'pass' }
  /** Forward N bytes of the request, then close both sides (FIN): the server sees a short request. */
  | { kind: 'cut'; afterBytes: number }
  /** Forward N bytes of the request, then reset both sides (RST): mid-upload reset. */
  | { kind: 'reset'; afterBytes: number }
  /** Forward the whole request, swallow the answer and close: the server committed, the client never hears (lost ack). */
  | { kind: 'drop-response' }
  /** Hold the request this long before forwarding it. */
  | { kind: 'delay'; ms: number }
  /** Answer this status without reaching the server. */
  | { kind: 'status'; status: 400 | 500 | 503 }
  /** Pass the request, flip one byte of the answer's body (a lying cache or disk on the way). */
  | { kind: 'corrupt-response' };

export type FaultKind = Fault['kind'];

export interface RequestInfo {
  /** 0-based count of requests seen by this proxy. */
  index: number;
  method: string;
  path: string;
}

export type Schedule = (request: RequestInfo) => Fault;

export const passAll: Schedule = () => ({ kind: 'pass' });

export interface RandomScheduleOptions {
  /** Probability that a request gets a fault other than pass (delays included). */
  rate: number;
  /** Relative weights of the faults; default all equal. */
  weights?: Partial<Record<Exclude<FaultKind, 'pass'>, number>>;
  /** Cuts and resets land in [0, maxCutBytes) of the request (headers included). */
  maxCutBytes?: number;
  maxDelayMs?: number;
  /** Requests whose path matches are never faulted (e.g. the event stream). */
  spare?: RegExp;
}

/** A reproducible random schedule: the same seed gives the same fault for the same request number. */
export function randomSchedule(seed: number, options: RandomScheduleOptions): Schedule {
  const random = seededRandom(seed);
  // Corruption is opt-in: a client cannot tell a flipped byte in a JSON answer from a server bug.
  const weights = { cut: 1, reset: 1, 'drop-response': 1, delay: 1, status: 1, 'corrupt-response': 0, ...options.weights };
  const kinds = (Object.keys(weights) as (keyof typeof weights)[]).filter((k) => weights[k] > 0);
  const total = kinds.reduce((sum, k) => sum + weights[k], 0);
  const maxCut = options.maxCutBytes ?? 64 * 1024;
  const maxDelay = options.maxDelayMs ?? 300;
  return (request) => {
    // Draw the same number of values for every request, so one request's fault does not shift the next's.
    const [a, b, c] = [random(), random(), random()];
    if (options.spare?.test(request.path) || a >= options.rate) return { kind: 'pass' };
    let pick = b * total;
    const kind = kinds.find((k) => (pick -= weights[k]) < 0) ?? kinds[kinds.length - 1]!;
    switch (kind) {
      case 'cut':
      case 'reset':
        return { kind, afterBytes: Math.floor(c * maxCut) };
      case 'delay':
        return { kind, ms: Math.floor(c * maxDelay) };
      case 'status':
        return { kind, status: c < 0.5 ? 500 : 503 };
      case 'corrupt-response':
        return { kind };
      default:
        return { kind: 'drop-response' };
    }
  };
}

export interface FaultProxy {
  url: string;
  port: number;
  /** Bytes received from clients (requests, headers included, cut ones too): what the client put on the wire. */
  upBytes: () => number;
  /** Requests seen, and faults applied by kind. */
  counts: () => Record<FaultKind, number> & { requests: number };
  setSchedule: (schedule: Schedule) => void;
  /** Every request passes from now on. */
  heal: () => void;
  /** Down: connections are refused (reset at once) until up again; open ones are reset now. */
  setDown: (down: boolean) => void;
  close: () => Promise<void>;
}

const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r\n/;

export async function startFaultProxy(target: { host: string; port: number }, options: { schedule?: Schedule; port?: number } = {}): Promise<FaultProxy> {
  let schedule = options.schedule ?? passAll;
  let down = false;
  let up = 0;
  let index = 0;
  const counts: Record<FaultKind, number> & { requests: number } = { requests: 0, pass: 0, cut: 0, reset: 0, 'drop-response': 0, delay: 0, status: 0, 'corrupt-response': 0 };
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    sockets.add(client);
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    let closed = false;
    const close = (reset = false): void => {
      if (closed) return;
      closed = true;
      if (reset) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      } else {
        client.destroy();
        upstream.destroy();
      }
    };
    // undici does not pipeline: a request starts with the first bytes after the previous answer began.
    let awaitingRequest = true;
    let fault: Fault = { kind: 'pass' };
    let requestBytes = 0;
    let chain = Promise.resolve();
    // For corrupt-response: whether the answer's headers have gone by, and whether a byte was flipped.
    let inBody = false;
    let corrupted = false;

    const handle = async (data: Buffer): Promise<void> => {
      if (closed) return;
      if (awaitingRequest) {
        const line = REQUEST_LINE.exec(data.toString('latin1', 0, Math.min(data.length, 2048)));
        if (line) {
          awaitingRequest = false;
          requestBytes = 0;
          inBody = false;
          corrupted = false;
          fault = schedule({ index: index++, method: line[1]!, path: line[2]! });
          counts.requests++;
          counts[fault.kind]++;
          if (fault.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.kind === 'delay' ? fault.ms : 0));
          if (closed) return;
          if (fault.kind === 'status') {
            const body = JSON.stringify({ error: { code: 'PROXY_FAULT', messageVi: `Lỗi giả lập ${fault.status}`, messageEn: `Injected ${fault.status}` } });
            const reason = { 400: 'Bad Request', 500: 'Internal Server Error', 503: 'Service Unavailable' }[fault.status];
            client.end(`HTTP/1.1 ${fault.status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
            upstream.destroy();
            closed = true;
            return;
          }
        }
      }
      if (fault.kind === 'cut' || fault.kind === 'reset') {
        if (requestBytes + data.length > fault.afterBytes) {
          const keep = fault.afterBytes - requestBytes;
          requestBytes += keep;
          const reset = fault.kind === 'reset';
          if (keep > 0) upstream.write(data.subarray(0, keep), () => close(reset));
          else close(reset);
          return;
        }
      }
      requestBytes += data.length;
      upstream.write(data);
    };

    const corrupt = (data: Buffer): Buffer => {
      let from = 0;
      if (!inBody) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) return data;
        inBody = true;
        from = end + 4;
      }
      if (from >= data.length) return data;
      const copy = Buffer.from(data);
      const at = from + Math.floor((copy.length - from) / 2);
      copy[at] = copy[at]! ^ 0x01;
      corrupted = true;
      return copy;
    };
    client.on('data', (data: Buffer) => {
      up += data.length;
      chain = chain.then(() => handle(data));
    });
    upstream.on('data', (data: Buffer) => {
      if (closed) return;
      awaitingRequest = true;
      // The server has committed by the time it answers: dropping the answer is the lost-ack case.
      if (fault.kind === 'drop-response') close();
      else if (fault.kind === 'corrupt-response' && !corrupted) client.write(corrupt(data));
      else client.write(data);
    });
    const gone = (): void => {
      close();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', gone).on('close', gone);
    upstream.on('error', gone).on('close', gone);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    upBytes: () => up,
    counts: () => ({ ...counts }),
    setSchedule: (next) => {
      schedule = next;
    },
    heal: () => {
      schedule = passAll;
      down = false;
    },
    setDown: (value) => {
      down = value;
      if (value) for (const s of sockets) s.resetAndDestroy();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
