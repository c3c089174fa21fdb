// Who may use the local service: origins the user allowed (once, always) or refused, and which download/upload URLs a page may name.
import { ServiceFailure, STATUS } from './protocol.js';

export type OriginDecision = 'once' | 'always' | 'never';

export interface OriginPolicyOptions {
  /** Origins allowed without asking ("https://qlvb.example.gov.vn"). */
  allowed?: readonly string[];
  /** Origins refused without asking. */
  refused?: readonly string[];
  /** Asks the user about an origin not decided yet; without it (headless) such origins are refused. */
  ask?: (origin: string) => Promise<OriginDecision>;
  /** Called when the user decides "always" or "never", to keep the decision (settings). */
  remember?: (origin: string, decision: 'always' | 'never') => void;
  /** Origins (besides the asking site) whose URLs pages may name for download and upload. */
  allowedUrlOrigins?: readonly string[];
}

/** "https://Example.gov.vn:443/x" -> "https://example.gov.vn"; undefined when it is not an http(s) origin. */
export function normalOrigin(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const url = new URL(text);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export class OriginPolicy {
  private readonly allowed: Set<string>;
  private readonly refused: Set<string>;
  private readonly urlOrigins: Set<string>;
  // One question per origin at a time: two sockets from the same page do not open two dialogs.
  private readonly pending = new Map<string, Promise<OriginDecision>>();

  constructor(private readonly options: OriginPolicyOptions = {}) {
    const normalise = (list: readonly string[] | undefined): Set<string> => new Set((list ?? []).map((o) => normalOrigin(o)).filter((o): o is string => o !== undefined));
    this.allowed = normalise(options.allowed);
    this.refused = normalise(options.refused);
    this.urlOrigins = normalise(options.allowedUrlOrigins);
  }

  /** Resolves when the origin may go on; throws a ServiceFailure (Status non-zero) when it may not. */
  async admit(originHeader: string | undefined): Promise<string> {
    const origin = normalOrigin(originHeader);
    if (!origin) {
      throw new ServiceFailure(STATUS.ORIGIN_REFUSED, 'ORIGIN_MISSING', 'Yêu cầu không cho biết trang nào gửi đến nên bị từ chối.', 'The request has no web origin and is refused.');
    }
    if (this.allowed.has(origin)) return origin;
    const refusal = new ServiceFailure(STATUS.ORIGIN_REFUSED, 'ORIGIN_REFUSED', `Trang ${origin} chưa được phép dùng chữ ký số trên máy này.`, `${origin} is not allowed to use this machine's digital signature.`);
    if (this.refused.has(origin) || !this.options.ask) throw refusal;
    let question = this.pending.get(origin);
    if (!question) {
      question = this.options.ask(origin).finally(() => this.pending.delete(origin));
      this.pending.set(origin, question);
    }
    const decision = await question;
    if (decision === 'always') {
      this.allowed.add(origin);
      this.options.remember?.(origin, 'always');
    } else if (decision === 'never') {
      this.refused.add(origin);
      this.options.remember?.(origin, 'never');
    }
    if (decision === 'never') throw refusal;
    return origin;
  }

  /** Refuses a download or upload URL outside the asking site, unless its origin was allowed for URLs. */
  checkUrl(origin: string, urlText: string, what: 'download' | 'upload'): URL {
    let url: URL;
    try {
      url = new URL(urlText, origin);
    } catch {
      throw new ServiceFailure(STATUS.BAD_REQUEST, 'BAD_URL', `Địa chỉ ${what === 'download' ? 'tải tệp' : 'gửi tệp'} không hợp lệ.`, `The ${what} URL is not valid.`);
    }
    if ((url.protocol === 'https:' || url.protocol === 'http:') && (url.origin === origin || this.urlOrigins.has(url.origin))) return url;
    throw new ServiceFailure(
      STATUS.URL_REFUSED,
      'URL_REFUSED',
      `Trang ${origin} yêu cầu ${what === 'download' ? 'tải tệp từ' : 'gửi tệp đã ký đến'} ${url.origin}, là địa chỉ ngoài trang này, nên bị từ chối.`,
      `${origin} asked to ${what === 'download' ? 'download from' : 'upload to'} ${url.origin}, outside the asking site; refused.`,
    );
  }
}
