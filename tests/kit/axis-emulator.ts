// AN EMULATOR of the national document exchange axis (VDXP/VXP) on loopback, written from DOMAIN.md's description of its public SDK — not the real axis.
// Routing by header and by the package's To, the request MAC checked with each system's secret, lists, downloads, status updates, the directory; faults on demand.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAnyEdxml } from '../../src/core/edxml/index.js';
import { axisRequestVerifies } from '../../src/server/index.js';

export interface EmulatedAgency {
  code: string;
  name: string;
  /** The connecting system the agency belongs to. */
  system: string;
}

interface StoredPackage {
  docId: string;
  bytes: Uint8Array;
  sha256: string;
  fromSystem: string;
  from: string;
  to: string;
  toSystem: string;
  messageType: 'edoc' | 'status';
  status: 'new' | 'done' | 'fail' | 'processing';
  created: string;
}

/** An HTTP 500, a connection reset, or no answer at all (the request hangs until the emulator closes). */
export type Fault = 'http500' | 'reset' | 'hang';

export class AxisEmulator {
  private server: Server | undefined;
  readonly packages: StoredPackage[] = [];
  readonly agencies: EmulatedAgency[] = [];
  /** Every request seen: operation, system, whether its MAC held (for tests to check nothing leaks). */
  readonly requests: { operation: string; system: string; macOk: boolean; headers: Record<string, string | string[] | undefined> }[] = [];
  private readonly faults: { operation: string; fault: Fault; remaining: number }[] = [];
  url = '';

  constructor(private readonly secrets: ReadonlyMap<string, string>) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The next `count` calls of `operation` fail with `fault`. */
  failNext(operation: string, fault: Fault, count = 1): void {
    this.faults.push({ operation, fault, remaining: count });
  }

  /** Faults not yet spent are dropped: the axis is well again. */
  clearFaults(): void {
    this.faults.splice(0);
  }

  /** What the axis knows of a package's handling by its recipient: new, processing, done or fail. */
  statusOf(docId: string): StoredPackage['status'] | undefined {
    return this.packages.find((p) => p.docId === docId)?.status;
  }

  private systemOf(code: string): string | undefined {
    return this.agencies.find((a) => a.code === code)?.system;
  }

  /** A package as a system on the axis sends it (what the remote agency's software would do), routed like any other. */
  submit(fromSystem: string, bytes: Uint8Array, messageType: 'edoc' | 'status'): string[] {
    return this.route(fromSystem, bytes, messageType);
  }

  /** Packages waiting for `system` (not yet acknowledged). */
  waiting(system: string, messageType?: 'edoc' | 'status'): StoredPackage[] {
    return this.packages.filter((p) => p.toSystem === system && p.status !== 'done' && (!messageType || p.messageType === messageType));
  }

  acknowledge(docId: string): void {
    const found = this.packages.find((p) => p.docId === docId);
    if (found) found.status = 'done';
  }

  private route(fromSystem: string, bytes: Uint8Array, messageType: 'edoc' | 'status'): string[] {
    const pkg = parseAnyEdxml(bytes);
    const from = pkg.kind === 'status' ? pkg.status.from.organId : pkg.header.from.organId;
    const targets = pkg.kind === 'status' ? [pkg.status.responseFor.organId] : pkg.header.to.map((t) => t.organId);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const ids: string[] = [];
    for (const to of targets) {
      const toSystem = this.systemOf(to);
      // Agencies the axis does not know (those on the sender's own server) get nothing from it.
      if (!toSystem || toSystem === fromSystem) continue;
      // The same file sent twice (the SDK sends its SHA-256) is the same package: its DocId again.
      const same = this.packages.find((p) => p.sha256 === sha256 && p.to === to && p.fromSystem === fromSystem);
      if (same) {
        ids.push(same.docId);
        continue;
      }
      const docId = randomUUID();
      this.packages.push({ docId, bytes, sha256, fromSystem, from, to, toSystem, messageType, status: 'new', created: new Date().toISOString() });
      ids.push(docId);
    }
    return ids;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = new Uint8Array(Buffer.concat(chunks));
    const operation = (req.url ?? '/').replace(/^\/+/, '').split('?')[0]!;
    const header = (name: string): string => String(req.headers[name.toLowerCase()] ?? '');
    const system = header('XroadVnpt-systemid');
    const secret = this.secrets.get(system);
    const macOk = secret !== undefined && axisRequestVerifies(req.headers, body, secret);
    this.requests.push({ operation, system, macOk, headers: { ...req.headers } });
    const answer = (status: number, json: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    const fault = this.faults.find((f) => f.operation === operation && f.remaining > 0);
    if (fault) {
      fault.remaining -= 1;
      if (fault.fault === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault.fault === 'hang') return;
      answer(500, { status: 'FAIL', ErrorCode: '500', ErrorDesc: 'emulated fault' });
      return;
    }
    if (!macOk) {
      answer(401, { status: 'FAIL', ErrorCode: '401', ErrorDesc: 'bad signature (hash-header)' });
      return;
    }
    try {
      switch (operation) {
        case 'sendEdoc': {
          const file = multipartFile(body, header('Content-Type'));
          const messageType = header('XroadVnpt-messagetype') === 'status' ? 'status' : 'edoc';
          const from = header('XroadVnpt-from');
          if (this.systemOf(from) !== undefined && this.systemOf(from) !== system) {
            answer(403, { status: 'FAIL', ErrorCode: '403', ErrorDesc: `agency ${from} is not of system ${system}` });
            return;
          }
          const ids = this.route(system, file, messageType);
          answer(200, { status: 'OK', ErrorCode: '0', ErrorDesc: '', data: { DocId: ids[0] ?? randomUUID() } });
          return;
        }
        case 'getReceivedEdocList': {
          const messageType = header('XroadVnpt-messagetype') === 'status' ? 'status' : 'edoc';
          const items = this.waiting(system, messageType).map((p) => ({ docId: p.docId, serviceType: 'eDoc', messageType: p.messageType, created_time: p.created, updated_time: p.created, from: p.from, to: p.to, status: p.status, status_desc: '' }));
          answer(200, { status: 'OK', ErrorCode: '0', data: items });
          return;
        }
        case 'getEdoc':
        case 'downloadEdoc': {
          const found = this.packages.find((p) => p.docId === header('XroadVnpt-docId') && p.toSystem === system);
          if (!found) {
            answer(404, { status: 'FAIL', ErrorCode: '404', ErrorDesc: 'no such document' });
            return;
          }
          res.writeHead(200, { 'content-type': 'application/xml' }).end(Buffer.from(found.bytes));
          return;
        }
        case 'updateStatus': {
          const request = JSON.parse(Buffer.from(body).toString('utf8')) as { status?: string; docId?: string };
          const found = this.packages.find((p) => p.docId === request.docId && p.toSystem === system);
          if (!found || !['done', 'fail', 'processing'].includes(request.status ?? '')) {
            answer(400, { status: 'FAIL', ErrorCode: '400', ErrorDesc: 'bad docId or status' });
            return;
          }
          found.status = request.status as StoredPackage['status'];
          answer(200, { status: 'OK', ErrorCode: '0' });
          return;
        }
        case 'getAgenciesList':
          answer(200, { status: 'OK', ErrorCode: '0', data: this.agencies.map((a, i) => ({ code: a.code, code102: a.code, id: String(i + 1), name: a.name, mail: '', pid: '', oldCode: '' })) });
          return;
        default:
          answer(404, { status: 'FAIL', ErrorCode: '404', ErrorDesc: `no operation ${operation}` });
      }
    } catch (error) {
      answer(400, { status: 'FAIL', ErrorCode: '400', ErrorDesc: String(error).slice(0, 200) });
    }
  }
}

/** The first part's content of a multipart/form-data body. */
function multipartFile(body: Uint8Array, contentType: string): Uint8Array {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!boundary) throw new Error('not multipart');
  const text = Buffer.from(body);
  const start = text.indexOf('\r\n\r\n') + 4;
  const end = text.lastIndexOf(`\r\n--${boundary}--`);
  if (start < 4 || end < start) throw new Error('bad multipart');
  return new Uint8Array(text.subarray(start, end));
}
