// Calls to the national axis (DOMAIN.md "The national axis"): send, list, download, acknowledge, directory; each retried with backoff on network faults and 5xx.
import { randomBytes } from 'node:crypto';
import { VanthuError } from '../../shared/errors.js';
import { axisHeaders } from './axis-mac.js';

export interface AxisSettings {
  /** e.g. https://vxp.example.gov.vn/api — operations are {endpoint}/{operation}. */
  endpoint: string;
  /** This connecting system's id on the axis, e.g. vxp.saas.02. */
  systemId: string;
  /** Shared secret for the request MAC; never logged, never stored in the database. */
  secret: string;
  /** Attempts per call (the SDK uses 3–5). */
  retries?: number;
  timeoutMs?: number;
  /** Base of the exponential backoff between attempts of one call. */
  backoffMs?: number;
}

export interface ReceivedItem {
  docId: string;
  messageType: string;
  from?: string;
  to?: string;
  status?: string;
}

export interface AxisAgency {
  code: string;
  name: string;
}

interface AxisAnswer {
  status?: string;
  ErrorCode?: string;
  ErrorDesc?: string;
  data?: unknown;
}

const transient = (status: number): boolean => status >= 500 || status === 429 || status === 408;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class AxisClient {
  constructor(
    private readonly settings: AxisSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private async call(operation: string, routing: Record<string, string>, body: Uint8Array, contentType: string): Promise<Response> {
    const url = `${this.settings.endpoint.replace(/\/+$/, '')}/${operation}`;
    const attempts = Math.max(1, this.settings.retries ?? 3);
    let last = '';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      // A fresh timestamp (and MAC) on every attempt.
      const headers = axisHeaders({ systemId: this.settings.systemId, secret: this.settings.secret, routing, contentType, body, now: this.clock() });
      try {
        const response = await fetch(url, { method: 'POST', headers, body: Buffer.from(body), signal: AbortSignal.timeout(this.settings.timeoutMs ?? 30_000) });
        if (!transient(response.status)) return response;
        last = `HTTP ${response.status}`;
        await response.arrayBuffer().catch(() => undefined);
      } catch (error) {
        last = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (attempt < attempts) await sleep((this.settings.backoffMs ?? 200) * 2 ** (attempt - 1));
    }
    throw new VanthuError('SERVER_AXIS_UNREACHABLE', { operation, detail: last });
  }

  private async json(operation: string, routing: Record<string, string>, payload: unknown = {}): Promise<AxisAnswer> {
    const response = await this.call(operation, routing, new Uint8Array(Buffer.from(JSON.stringify(payload), 'utf8')), 'application/json');
    return this.answer(operation, response);
  }

  private async answer(operation: string, response: Response): Promise<AxisAnswer> {
    const text = await response.text();
    let answer: AxisAnswer;
    try {
      answer = JSON.parse(text) as AxisAnswer;
    } catch {
      throw new VanthuError('SERVER_AXIS_REFUSED', { operation, detail: `HTTP ${response.status}, not JSON` });
    }
    if (!response.ok || answer.status !== 'OK' || (answer.ErrorCode !== undefined && answer.ErrorCode !== '0')) {
      throw new VanthuError('SERVER_AXIS_REFUSED', { operation, detail: `HTTP ${response.status} ${answer.ErrorCode ?? ''} ${String(answer.ErrorDesc ?? '').slice(0, 200)}` });
    }
    return answer;
  }

  /** Sends a package (document or status) as the SDK does: multipart with the file; the axis's DocId back. */
  async sendEdoc(bytes: Uint8Array, from: string, messageType: 'edoc' | 'status'): Promise<string> {
    const boundary = `vanthu-${randomBytes(12).toString('hex')}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="package.edxml"\r\nContent-Type: application/xml\r\n\r\n`, 'utf8'),
      Buffer.from(bytes),
      Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
    ]);
    const response = await this.call('sendEdoc', { from, servicetype: 'eDoc', messagetype: messageType }, new Uint8Array(body), `multipart/form-data; boundary=${boundary}`);
    const answer = await this.answer('sendEdoc', response);
    const data = answer.data as { DocId?: unknown; docId?: unknown } | undefined;
    const docId = data?.DocId ?? data?.docId ?? (answer as { DocId?: unknown }).DocId;
    if (typeof docId !== 'string' && typeof docId !== 'number') throw new VanthuError('SERVER_AXIS_REFUSED', { operation: 'sendEdoc', detail: 'no DocId in the answer' });
    return String(docId);
  }

  async receivedList(messageType: 'edoc' | 'status'): Promise<ReceivedItem[]> {
    const answer = await this.json('getReceivedEdocList', { servicetype: 'eDoc', messagetype: messageType });
    const items = Array.isArray(answer.data) ? (answer.data as Record<string, unknown>[]) : [];
    return items
      .filter((item) => typeof item.docId === 'string' || typeof item.docId === 'number')
      .map((item) => ({ docId: String(item.docId), messageType: String(item.messageType ?? messageType), from: item.from === undefined ? undefined : String(item.from), to: item.to === undefined ? undefined : String(item.to), status: item.status === undefined ? undefined : String(item.status) }));
  }

  /** One package's bytes, as the axis gives them (the file itself). */
  async getEdoc(docId: string): Promise<Uint8Array> {
    const response = await this.call('getEdoc', { docId }, new Uint8Array(Buffer.from(JSON.stringify({ docId }), 'utf8')), 'application/json');
    if (!response.ok) await this.answer('getEdoc', response);
    return new Uint8Array(await response.arrayBuffer());
  }

  async updateStatus(docId: string, status: 'done' | 'fail' | 'processing'): Promise<void> {
    await this.json('updateStatus', { docId }, { status, docId });
  }

  async agencies(): Promise<AxisAgency[]> {
    const answer = await this.json('getAgenciesList', {}, { level: '1' });
    const items = Array.isArray(answer.data) ? (answer.data as Record<string, unknown>[]) : [];
    return items.filter((a) => typeof a.code === 'string' && typeof a.name === 'string').map((a) => ({ code: a.code as string, name: a.name as string }));
  }
}
