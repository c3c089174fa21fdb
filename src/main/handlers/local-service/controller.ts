// Runs the local signing service inside the app: started and stopped from Settings, asking the user through IPC events (origin, per-signing confirmation with the PIN).
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  cancelled,
  DEFAULT_LOCAL_SERVICE_PORT,
  ensureTlsMaterial,
  OriginPolicy,
  ServiceFailure,
  STATUS,
  startLocalService,
  userTrustStore,
  type CaTrustState,
  type LocalService,
  type OriginDecision,
  type ServiceLogEntry,
  type SignedRecord,
  type SigningIdentity,
  type SigningPreview,
  type TlsMaterial,
} from '../../../core/local-service/index.js';
import { chooseCertificate, unlockCertificate, type CertificateChoice, type PdfSigningKey } from '../../../core/signing/index.js';
import type { SettingsStore, Store } from '../../../core/store/index.js';
import { recordIncoming, recordIssued } from './store-record.js';
import type { TrustStore } from '../../../core/trust/index.js';
import { isVanthuError, VanthuError } from '../../../shared/errors.js';
import type { IpcEventName, IpcEventPayload } from '../../../shared/ipc-contract.js';
import type { LocalServiceStatus, LocalSigningRequest } from '../../../shared/ipc/local-service.js';
import type { Settings } from '../../../shared/settings.js';

type LocalServiceSettings = NonNullable<Settings['localService']>;
type WrongPin = NonNullable<LocalSigningRequest['wrongPin']>;

export interface LocalServiceControllerOptions {
  settings: SettingsStore;
  trust: TrustStore;
  emit: <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => void;
  /** The app's log: one entry per request (never a PIN, session or JWT: the entries carry none). */
  log: (entry: ServiceLogEntry) => void;
  tlsDir: string;
  keptDir: string;
  version: string;
  /** Config operation: shows the app's settings. */
  openSettings?: () => Promise<void>;
  /** On Linux, the NSS database whose trust the status reports and trustCa() changes (default: Chromium's, plus Firefox profiles). */
  nssDb?: string;
  /** How long a question waits for the user before it counts as cancelled. */
  questionTimeoutMs?: number;
  /** The app's store, where SignIncome and SignIssued documents are registered (absent: nothing is recorded). */
  store?: () => Store | undefined;
  /** The agency's own id (from the exchange login), for the arrival number. */
  ownOrganId?: () => string | undefined;
  /** Something went wrong recording a signed document (the page was already answered). */
  onRecordError?: (error: unknown) => void;
  /** The document was recorded, but the register needs a look (a duplicate number, an unreadable one): for the app's log. */
  onRecordWarning?: (warning: RecordWarning) => void;
}

export interface RecordWarning {
  code: 'OUTGOING_NUMBER_DUPLICATE' | 'ISSUED_NUMBER_UNREADABLE';
  messageVi: string;
  messageEn: string;
  documentId?: number;
  /** The documents already holding that number, ký hiệu and year. */
  duplicateIds?: number[];
}

interface Pending {
  resolve: (answer: { approve: boolean; pin?: string } | OriginDecision | undefined) => void;
  pdf?: Uint8Array;
}

const DEFAULTS: LocalServiceSettings = { enabled: false, port: DEFAULT_LOCAL_SERVICE_PORT, allowedOrigins: [], refusedOrigins: [], signingToken: null };

export class LocalServiceController {
  private service: LocalService | undefined;
  private tls: TlsMaterial | undefined;
  private problem: LocalServiceStatus['problem'];
  private readonly pending = new Map<string, Pending>();
  /** The certificate of the request being served, and its key once the user gave the PIN. */
  private current: { choice: CertificateChoice; unlocked?: PdfSigningKey } | undefined;

  constructor(private readonly options: LocalServiceControllerOptions) {}

  private config(): LocalServiceSettings {
    return { ...DEFAULTS, ...this.options.settings.get().localService };
  }

  private save(patch: Partial<LocalServiceSettings>): LocalServiceSettings {
    const next = { ...this.config(), ...patch };
    this.options.settings.set({ localService: next });
    return next;
  }

  // This OS's user trust store: NSS on Linux, the login keychain on macOS, the user's Root store on Windows.
  private trustStore = () => userTrustStore(process.platform, this.options.nssDb ? { nssDb: this.options.nssDb } : {});

  private async caTrust(): Promise<CaTrustState> {
    const store = this.trustStore();
    if (!this.tls || !store) return 'unknown';
    // A trust tool missing from the machine (or failing oddly) means we cannot tell.
    const trusted = await store.isTrusted(this.tls).catch(() => undefined);
    return trusted === undefined ? 'unknown' : trusted ? 'trusted' : 'not-trusted';
  }

  async status(): Promise<LocalServiceStatus> {
    const config = this.config();
    return {
      enabled: config.enabled,
      running: this.service !== undefined,
      port: this.service?.port ?? config.port,
      ...(this.problem ? { problem: this.problem } : {}),
      allowedOrigins: config.allowedOrigins,
      refusedOrigins: config.refusedOrigins,
      signingToken: config.signingToken,
      ...(this.tls ? { caFingerprint: this.tls.caFingerprint } : {}),
      caTrust: await this.caTrust(),
      statusPageUrl: `https://127.0.0.1:${this.service?.port ?? config.port}/`,
    };
  }

  /** Changes the settings and starts, restarts or stops the service to match. Turning it on needs the user's consent. */
  async configure(patch: Partial<LocalServiceSettings> & { consent?: boolean }): Promise<LocalServiceStatus> {
    const { consent, ...change } = patch;
    if (change.enabled && !this.config().enabled && consent !== true) {
      throw new VanthuError('BAD_INPUT', { detail: 'bật dịch vụ ký số cho trang web cần sự đồng ý của người dùng / turning the service on needs the user consent' });
    }
    this.save(change);
    await this.apply();
    const status = await this.status();
    this.options.emit('localService.changed', status);
    return status;
  }

  /** Adds the local CA to this OS's user trust store; the renderer calls it only after the user agreed. */
  async trustCa(): Promise<LocalServiceStatus> {
    this.tls ??= await ensureTlsMaterial(this.options.tlsDir);
    const store = this.trustStore();
    if (!store) throw new VanthuError('BAD_INPUT', { detail: `hệ điều hành này chưa được hỗ trợ cài chứng thư gốc / no trust store known for ${process.platform}` });
    await store.trust(this.tls);
    return this.status();
  }

  /** Starts or stops the service as the settings say (at app start and after each change). */
  async apply(): Promise<void> {
    await this.stop();
    const config = this.config();
    this.problem = undefined;
    if (!config.enabled) return;
    try {
      this.tls = await ensureTlsMaterial(this.options.tlsDir);
      this.service = await startLocalService({
        port: config.port,
        tls: this.tls,
        policy: new OriginPolicy({
          allowed: config.allowedOrigins,
          refused: config.refusedOrigins,
          ask: (origin) => this.askOrigin(origin),
          remember: (origin, decision) => {
            const now = this.config();
            const without = (list: string[]) => list.filter((o) => o !== origin);
            this.save(decision === 'always' ? { allowedOrigins: [...without(now.allowedOrigins), origin], refusedOrigins: without(now.refusedOrigins) } : { refusedOrigins: [...without(now.refusedOrigins), origin], allowedOrigins: without(now.allowedOrigins) });
          },
        }),
        identity: () => this.identity(),
        certificate: async () => (await this.choose()).der,
        confirm: (preview) => this.confirm(preview),
        afterEach: () => this.release(),
        onSigned: async (record) => this.record(record),
        keptDir: this.options.keptDir,
        log: this.options.log,
        trust: this.options.trust,
        caTrust: () => this.caTrust(),
        openSettings: this.options.openSettings,
        version: this.options.version,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.problem =
        code === 'EADDRINUSE'
          ? { vi: `Cổng ${config.port} đang được chương trình khác dùng (có thể là VGCA Sign Service). Hãy tắt chương trình đó hoặc chọn cổng khác.`, en: `Port ${config.port} is in use (perhaps by VGCA Sign Service). Stop it or choose another port.` }
          : { vi: 'Không khởi động được dịch vụ ký số cho trang web.', en: `The local signing service could not start: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** Keeps the registers whole (the page was already answered, and its answer stays what it was). */
  private record(record: SignedRecord): void {
    const store = this.options.store?.();
    if (!store) return;
    try {
      if (record.operation === 'SignIncome') recordIncoming(store, record, this.options.ownOrganId?.());
      if (record.operation === 'SignIssued') {
        const issued = recordIssued(store, record, this.options.ownOrganId?.());
        if (!issued) {
          this.options.onRecordWarning?.({
            code: 'ISSUED_NUMBER_UNREADABLE',
            messageVi: `Văn bản trang ${record.origin} phát hành có số "${record.documentNumber ?? ''}" không đọc được: chưa vào sổ văn bản đi.`,
            messageEn: `The document ${record.origin} issued has an unreadable number "${record.documentNumber ?? ''}": not entered in the outgoing register.`,
          });
        } else if (issued.duplicates.length > 0) {
          const number = `${issued.codeNumber}${issued.codeNotation ? `/${issued.codeNotation}` : ''}`;
          const year = issued.issuedDate.slice(0, 4);
          this.options.onRecordWarning?.({
            code: 'OUTGOING_NUMBER_DUPLICATE',
            messageVi: `Số ${number} năm ${year} do trang ${record.origin} cấp đã có trong sổ văn bản đi; văn bản vẫn được lưu, hãy kiểm tra lại.`,
            messageEn: `Number ${number} of ${year} given by ${record.origin} is already in the outgoing register; the document is kept, check it.`,
            documentId: issued.documentId,
            duplicateIds: issued.duplicates.map((d) => d.id),
          });
        }
      }
    } catch (error) {
      this.options.onRecordError?.(error);
    }
  }

  async stop(): Promise<void> {
    const running = this.service;
    this.service = undefined;
    for (const [id, question] of this.pending) {
      question.resolve(undefined);
      this.pending.delete(id);
    }
    await running?.close();
  }

  private async choose(): Promise<CertificateChoice> {
    const token = this.config().signingToken;
    if (!token) throw new VanthuError('BAD_INPUT', { detail: 'chưa chọn chứng thư số để ký cho trang web (Cài đặt) / no signing certificate is chosen in Settings' });
    return chooseCertificate({ module: token.module, token: token.label, cert: token.cert });
  }

  private async identity(): Promise<SigningIdentity> {
    const choice = await this.choose();
    this.current = { choice };
    const settings = this.options.settings.get();
    const image = async (file: string | null): Promise<Uint8Array | undefined> => (file ? new Uint8Array(await readFile(file).catch(() => Buffer.alloc(0))) : undefined);
    const [signatureImage, sealImage] = await Promise.all([image(settings.signatureImagePath), image(settings.sealImagePath)]);
    const current = this.current;
    // The key signs only once the user approved and gave the PIN (confirm below).
    const key: PdfSigningKey = {
      certificate: choice.der,
      chain: choice.chain,
      keyType: choice.certificate.certificate.publicKey.type === 'ec' ? 'ec' : 'rsa',
      signer: {
        sign: (data, algorithm) => {
          if (!current.unlocked) return Promise.reject(new VanthuError('TOKEN_NOT_LOGGED_IN', { token: choice.session.token.label }));
          return current.unlocked.signer.sign(data, algorithm);
        },
      },
    };
    const subject = choice.certificate.certificate.subject;
    return {
      key,
      signerName: subject.commonName,
      organization: subject.organization,
      signatureImage: signatureImage?.length ? signatureImage : undefined,
      sealImage: sealImage?.length ? sealImage : undefined,
      level: settings.tsaUrl ? 'B-T' : 'B-B',
      tsaUrl: settings.tsaUrl ?? undefined,
      trust: this.options.trust,
    };
  }

  /** Resolves with the user's answer, or undefined when nobody answered in time or the service stopped. */
  private question<T>(payload: (requestId: string) => void, pdf: Uint8Array | undefined): Promise<T | undefined> {
    const requestId = randomUUID();
    return new Promise<T | undefined>((resolve) => {
      const timer = setTimeout(() => finish(undefined), this.options.questionTimeoutMs ?? 5 * 60_000);
      const finish = (answer: T | undefined): void => {
        clearTimeout(timer);
        if (!this.pending.delete(requestId)) return;
        this.options.emit('localService.requestClosed', { requestId });
        resolve(answer);
      };
      this.pending.set(requestId, { resolve: finish as Pending['resolve'], pdf });
      payload(requestId);
    });
  }

  private async askOrigin(origin: string): Promise<OriginDecision> {
    const decision = await this.question<OriginDecision>((requestId) => this.options.emit('localService.originRequest', { requestId, origin }), undefined);
    // Unanswered is "not now": refused this time, nothing remembered, asked again next time.
    if (decision === undefined) throw new ServiceFailure(STATUS.ORIGIN_REFUSED, 'ORIGIN_NOT_ANSWERED', `Người dùng chưa cho phép trang ${origin} dùng chữ ký số.`, `The user did not answer whether ${origin} may sign.`);
    return decision;
  }

  /**
   * Shows the signing and takes the PIN. A wrong PIN asks again with the tries-left warning, as the
   * app's sign dialog does, until the user cancels or the token itself locks (TOKEN_PIN_LOCKED ends it).
   */
  private async confirm(preview: SigningPreview): Promise<boolean> {
    let wrongPin: WrongPin | undefined;
    for (;;) {
      const answer = await this.askSigning(preview, wrongPin);
      if (!answer?.approve) return false;
      if (!answer.pin || !this.current) throw cancelled();
      try {
        // The PIN goes to the token here and is not kept.
        this.current.unlocked = await unlockCertificate(this.current.choice, answer.pin);
        return true;
      } catch (error) {
        if (!isVanthuError(error, 'TOKEN_PIN_INCORRECT')) throw error;
        const triesLeft = error.params.triesLeft;
        wrongPin = { count: (wrongPin?.count ?? 0) + 1, ...(triesLeft === 1 || triesLeft === 'few' ? { triesLeft } : {}) };
      }
    }
  }

  private askSigning(preview: SigningPreview, wrongPin: WrongPin | undefined): Promise<{ approve: boolean; pin?: string } | undefined> {
    return this.question<{ approve: boolean; pin?: string }>(
      (requestId) =>
        this.options.emit('localService.signingRequest', {
          requestId,
          origin: preview.origin,
          operation: preview.operation,
          flow: preview.flow,
          fileName: preview.fileName,
          documentSha256: preview.documentSha256,
          certificateSubject: preview.certificateSubject,
          position: preview.position,
          ...(preview.documentNumber ? { documentNumber: preview.documentNumber } : {}),
          ...(preview.batch ? { batch: preview.batch } : {}),
          ...(wrongPin ? { wrongPin } : {}),
        }),
      preview.pdf,
    );
  }

  private async release(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (current?.unlocked) await current.choice.session.logout().catch(() => undefined);
  }

  answerOrigin(requestId: string, decision: OriginDecision): boolean {
    const question = this.pending.get(requestId);
    if (!question || question.pdf !== undefined) return false;
    question.resolve(decision);
    return true;
  }

  answerSigning(requestId: string, answer: { approve: boolean; pin?: string }): boolean {
    const question = this.pending.get(requestId);
    if (!question || question.pdf === undefined) return false;
    question.resolve(answer);
    return true;
  }

  preview(requestId: string): string {
    const pdf = this.pending.get(requestId)?.pdf;
    if (!pdf) throw new VanthuError('STORE_NOT_FOUND', { what: 'pending signing request', id: requestId });
    return Buffer.from(pdf).toString('base64');
  }
}
