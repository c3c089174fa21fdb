// The local signing service: wss://127.0.0.1:PORT/<Operation>, one JSON request per socket, answered once, requests queued.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { isVanthuError } from '../../shared/errors.js';
import type { TrustStore } from '../trust/index.js';
import { validatePdf } from '../validation/index.js';
import { parseCertificate } from '../x509/certificate-info.js';
import { signMessage, verifyMessage } from './message-signing.js';
import { signXml, verifyXml, XmlSigningError } from './xml-signing.js';
import type { OriginPolicy } from './origin-policy.js';
import { planSignature, signPlanned, type SigningIdentity } from './pdf-flows.js';
import type { SigningLevel } from '../signing/index.js';
import {
  cancelled,
  failureAnswer,
  FLOW_NAMES_VI,
  isOperation,
  isPdfSigningOperation,
  parseRequest,
  ServiceFailure,
  STATUS,
  type Operation,
  type PdfSigningOperation,
  type ServiceAnswer,
  type ServiceRequest,
} from './protocol.js';
import { SerialQueue } from './serial-queue.js';
import { statusPage, type CaTrustState } from './status-page.js';
import { downloadDocument, uploadSigned, type Downloaded, type PageCredentials } from './transfer.js';

/** What the user is shown before a signing (site, document, flow, certificate, stamp position). */
export interface SigningPreview {
  origin: string;
  operation: Operation;
  flow: string;
  fileName: string;
  documentSha256: string;
  /** The document to preview (pdf.js in the app). */
  pdf: Uint8Array;
  certificateSubject: string;
  position: string;
  documentNumber?: string;
  /** SignFiles: the other files of the batch. */
  batch?: { fileName: string; documentSha256: string }[];
}

/** One line of the service's log: never a PIN, a session cookie or a JWT. */
export interface ServiceLogEntry {
  time: string;
  origin: string | undefined;
  operation: string;
  documentSha256?: string[];
  outcome: 'ok' | 'refused' | 'cancelled' | 'failed';
  status: number;
  code?: string;
  keptFile?: string[];
  uploaded?: boolean;
}

export interface SignedRecord {
  origin: string;
  operation: PdfSigningOperation;
  fileName: string;
  bytes: Uint8Array;
  /** The level the signature reached. */
  level: SigningLevel;
  /** The signer's name on the certificate, for the store record. */
  signer?: string;
  keptFile: string;
  uploaded: boolean;
  documentNumber?: string;
  documentDate?: string;
  /** The page's MetaData ([{Key, Value}]), for the store record. */
  metaData?: ServiceRequest['MetaData'];
}

export interface LocalServiceOptions {
  port: number;
  host?: string;
  tls: { certPem: string; keyPem: string; caPem: string; caFingerprint: string; caReplaced?: boolean };
  policy: OriginPolicy;
  /** The unlocked key: in the app this asks for the PIN (throw `cancelled()` when the user cancels). */
  identity: () => Promise<SigningIdentity>;
  /** The signing certificate (DER) without unlocking, for GetCertInfo. */
  certificate: () => Promise<Uint8Array>;
  /** Per-signing confirmation; absent (headless) means the allow-list is the consent. */
  confirm?: (preview: SigningPreview) => Promise<boolean>;
  /** Where every signed document is kept, whether or not the upload works. */
  keptDir: string;
  log: (entry: ServiceLogEntry) => void;
  /** Called after each signing (store registration in the app). */
  onSigned?: (record: SignedRecord) => Promise<void>;
  /** Config: opens the settings window in the app. */
  openSettings?: () => Promise<void>;
  /** Roots for VerifyPDF. */
  trust: TrustStore;
  caTrust?: () => Promise<CaTrustState>;
  /** After each request, signed or not (the app ends the token login it started). */
  afterEach?: () => Promise<void>;
  version: string;
  /** How long a socket may wait before sending its request. */
  requestTimeoutMs?: number;
}

export interface LocalService {
  port: number;
  close(): Promise<void>;
}

/** The XML of SignXML/VerifyXML: as text, or base64 of it. */
function xmlOf(request: ServiceRequest): string {
  const given = (request.XmlContent ?? request.Content ?? request.Signature ?? '').trim();
  if (!given) throw new ServiceFailure(STATUS.BAD_REQUEST, 'NO_XML', 'Yêu cầu không có dữ liệu XML (XmlContent).', 'No XmlContent in the request.');
  return given.startsWith('<') ? given : Buffer.from(given, 'base64').toString('utf8');
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const safeName = (name: string): string => name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 120) || 'van-ban.pdf';

const asFailure = (error: unknown): ServiceFailure => {
  if (error instanceof ServiceFailure) return error;
  if (isVanthuError(error)) {
    const status = error.code.startsWith('TOKEN_PIN_CANCEL') ? STATUS.CANCELLED : STATUS.SIGNING_FAILED;
    return new ServiceFailure(status, error.code, error.messageVi, error.messageEn);
  }
  return new ServiceFailure(STATUS.SIGNING_FAILED, 'INTERNAL', 'Lỗi không mong đợi khi ký số.', error instanceof Error ? error.message : String(error));
};

export async function startLocalService(options: LocalServiceOptions): Promise<LocalService> {
  const queue = new SerialQueue();
  const host = options.host ?? '127.0.0.1';

  async function keep(bytes: Uint8Array, name: string): Promise<string> {
    const now = new Date(Date.now() + 7 * 3600_000).toISOString();
    const dir = path.join(options.keptDir, now.slice(0, 10));
    // Official documents: readable by the user only.
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${now.slice(11, 19).replace(/:/g, '')}-${sha256(bytes).slice(0, 8)}-${safeName(name)}`);
    await writeFile(file, bytes, { mode: 0o600 });
    return file;
  }

  /** What a request touched, for its log line even when it fails. */
  interface Trace {
    hashes: string[];
  }

  async function fetchDocument(origin: string, url: string | undefined, credentials: PageCredentials, trace: Trace): Promise<Downloaded> {
    if (!url) {
      throw new ServiceFailure(STATUS.BAD_REQUEST, 'NO_FILE_URL', 'Yêu cầu không cho biết địa chỉ tải văn bản (FileName).', 'The request names no document URL (FileName).');
    }
    const downloaded = await downloadDocument(url, credentials, { checkUrl: (u) => options.policy.checkUrl(origin, u, 'download') });
    trace.hashes.push(sha256(downloaded.bytes));
    return downloaded;
  }

  async function subjectOf(identity: SigningIdentity): Promise<string> {
    return parseCertificate(identity.key.certificate).subject.commonName ?? 'chứng thư số';
  }

  interface OneSigned {
    answer: ServiceAnswer;
    hash: string;
    kept?: string;
    uploaded?: boolean;
  }

  /** Download, plan, confirm, sign, keep, upload: one PDF of a page. */
  async function signOnePdf(origin: string, operation: PdfSigningOperation, request: ServiceRequest, downloaded: Downloaded, identity: SigningIdentity, confirmed: boolean, batch?: SigningPreview['batch']): Promise<OneSigned> {
    const hash = sha256(downloaded.bytes);
    const signingTime = new Date();
    const plan = await planSignature(operation, downloaded.bytes, request, identity, signingTime);
    if (!confirmed && options.confirm) {
      const ok = await options.confirm({
        origin,
        operation,
        flow: FLOW_NAMES_VI[batch ? 'SignFiles' : operation],
        fileName: downloaded.name,
        documentSha256: hash,
        pdf: downloaded.bytes,
        certificateSubject: await subjectOf(identity),
        position: plan.position,
        documentNumber: plan.documentNumber,
        batch,
      });
      if (!ok) throw cancelled();
    }
    const { bytes: signed, level } = await signPlanned(downloaded.bytes, plan, identity, signingTime);
    const kept = await keep(signed, downloaded.name);
    const answer: ServiceAnswer = { Status: STATUS.OK, Message: 'Ký số thành công.', FileName: downloaded.name, DocumentNumber: plan.documentNumber, DocumentDate: plan.documentDate, KeptFile: kept };
    let uploaded = false;
    try {
      if (request.FileUploadHandler) {
        const handler = request.FileUploadHandler;
        const reply = await uploadSigned(handler, { bytes: signed, name: downloaded.name }, request, { checkUrl: (u) => options.policy.checkUrl(origin, u, 'upload') });
        uploaded = true;
        Object.assign(answer, { FileServer: reply.FileServer, FileName: reply.FileName || answer.FileName, DocumentNumber: reply.DocumentNumber || answer.DocumentNumber });
      }
    } catch (error) {
      const failure = asFailure(error);
      // The page is told, and where the signed file is: nothing signed is lost.
      throw new ServiceFailure(failure.status, failure.code, `${failure.messageVi} Tệp đã ký được lưu tại ${kept}.`, failure.message, { ...answer, KeptFile: kept });
    } finally {
      await options.onSigned?.({ origin, operation, fileName: downloaded.name, bytes: signed, level, signer: identity.signerName, keptFile: kept, uploaded, documentNumber: plan.documentNumber, documentDate: plan.documentDate, metaData: request.MetaData }).catch(() => undefined);
    }
    return { answer, hash, kept, uploaded };
  }

  interface Handled {
    answer: ServiceAnswer;
    kept?: string[];
    uploaded?: boolean;
  }

  async function handle(origin: string, operation: Operation, request: ServiceRequest, trace: Trace): Promise<Handled> {
    if (isPdfSigningOperation(operation)) {
      // Both URLs are checked before anything is fetched: a refused request touches no site.
      if (request.FileUploadHandler) options.policy.checkUrl(origin, request.FileUploadHandler, 'upload');
      if (request.FileName) options.policy.checkUrl(origin, request.FileName, 'download');
      const downloaded = await fetchDocument(origin, request.FileName, request, trace);
      const identity = await options.identity();
      const one = await signOnePdf(origin, operation, request, downloaded, identity, false);
      return { answer: one.answer, kept: one.kept ? [one.kept] : [], uploaded: one.uploaded };
    }
    switch (operation) {
      case 'SignFiles': {
        const files = request.Files ?? [];
        if (files.length === 0) throw new ServiceFailure(STATUS.BAD_REQUEST, 'NO_FILES', 'Yêu cầu ký nhiều tệp không có tệp nào (Files).', 'SignFiles carries no Files.');
        if (request.FileUploadHandler) options.policy.checkUrl(origin, request.FileUploadHandler, 'upload');
        const downloads = [];
        for (const file of files) downloads.push(await fetchDocument(origin, file.URL ?? file.FileName, request, trace));
        const identity = await options.identity();
        const first = downloads[0]!;
        if (options.confirm) {
          const plan = await planSignature('SignFile', first.bytes, request, identity, new Date());
          const ok = await options.confirm({
            origin,
            operation,
            flow: FLOW_NAMES_VI.SignFiles,
            fileName: first.name,
            documentSha256: sha256(first.bytes),
            pdf: first.bytes,
            certificateSubject: await subjectOf(identity),
            position: plan.position,
            batch: downloads.map((d) => ({ fileName: d.name, documentSha256: sha256(d.bytes) })),
          });
          if (!ok) throw cancelled();
        }
        const results: ServiceAnswer[] = [];
        const kept: string[] = [];
        for (const [i, downloaded] of downloads.entries()) {
          try {
            const one = await signOnePdf(origin, 'SignFile', request, downloaded, identity, true);
            if (one.kept) kept.push(one.kept);
            results.push({ ...one.answer, FileID: files[i]!.FileID });
          } catch (error) {
            const failure = asFailure(error);
            if (typeof failure.extra.KeptFile === 'string') kept.push(failure.extra.KeptFile);
            results.push({ ...failureAnswer(failure), FileID: files[i]!.FileID });
          }
        }
        const failed = results.filter((r) => r.Status !== STATUS.OK).length;
        const answer: ServiceAnswer = failed === 0
          ? { Status: STATUS.OK, Message: `Đã ký ${results.length} tệp.`, Files: results }
          : { Status: results.find((r) => r.Status !== STATUS.OK)!.Status, Message: `Ký được ${results.length - failed}/${results.length} tệp; xem từng tệp.`, ErrorCode: 'BATCH_PARTIAL', Files: results };
        return { answer, kept };
      }
      case 'VerifyPDF': {
        const downloaded = await fetchDocument(origin, request.FileName, request, trace);
        const report = await validatePdf(downloaded.bytes, { trust: options.trust, online: true, revocationTimeoutMs: 5_000 });
        const valid = report.verdict === 'valid';
        return {
          answer: {
            Status: valid ? STATUS.OK : STATUS.NOT_VALID,
            Message: report.summaryVi,
            ErrorCode: valid ? undefined : `VERDICT_${report.verdict.toUpperCase()}`,
            FileName: downloaded.name,
            Verdict: report.verdict,
            Signatures: report.signatures.map((s) => ({ Signer: s.signer?.subject.commonName, SigningTime: s.timestamp?.time ?? s.claimedSigningTime, Level: s.level, Reason: s.reason })),
          },
        };
      }
      case 'SignMsg': {
        const text = request.Message ?? request.Content;
        if (text !== undefined) trace.hashes.push(sha256(new TextEncoder().encode(text)));
        if (text === undefined) throw new ServiceFailure(STATUS.BAD_REQUEST, 'NO_MESSAGE', 'Yêu cầu không có nội dung cần ký (Message).', 'No Message to sign.');
        const identity = await options.identity();
        if (options.confirm) {
          const ok = await options.confirm({ origin, operation, flow: FLOW_NAMES_VI.SignMsg, fileName: text.slice(0, 200), documentSha256: sha256(new TextEncoder().encode(text)), pdf: new Uint8Array(), certificateSubject: await subjectOf(identity), position: 'không có' });
          if (!ok) throw cancelled();
        }
        return { answer: { Status: STATUS.OK, Message: 'Ký thông điệp thành công.', Signature: await signMessage(text, identity.key) } };
      }
      case 'VerifyMsg': {
        const text = request.Message ?? request.Content;
        if (text === undefined || !request.Signature) throw new ServiceFailure(STATUS.BAD_REQUEST, 'NO_MESSAGE', 'Cần cả nội dung (Message) và chữ ký (Signature) để kiểm tra.', 'VerifyMsg needs Message and Signature.');
        const check = verifyMessage(text, request.Signature);
        return { answer: check.valid ? { Status: STATUS.OK, Message: 'Chữ ký thông điệp hợp lệ.', Signer: check.signer } : { Status: STATUS.NOT_VALID, Message: check.reason ?? 'Chữ ký không hợp lệ.', ErrorCode: 'MESSAGE_SIGNATURE_INVALID' } };
      }
      case 'GetCertInfo': {
        const der = await options.certificate();
        const info = parseCertificate(der);
        return {
          answer: {
            Status: STATUS.OK,
            Message: 'Thông tin chứng thư số.',
            CertInfo: { SubjectCN: info.subject.commonName, Subject: info.subject.text, Issuer: info.issuer.text, SerialNumber: info.serialNumber, NotBefore: info.notBefore, NotAfter: info.notAfter, Base64: Buffer.from(der).toString('base64') },
          },
        };
      }
      case 'GetVersion':
        return { answer: { Status: STATUS.OK, Message: options.version, Version: options.version } };
      case 'Config':
        if (options.openSettings) await options.openSettings();
        return { answer: { Status: STATUS.OK, Message: options.openSettings ? 'Đã mở cài đặt.' : 'Dịch vụ chạy không có giao diện; cài đặt bằng tham số dòng lệnh.' } };
      case 'SignXML': {
        const xml = xmlOf(request);
        trace.hashes.push(sha256(new TextEncoder().encode(xml)));
        const identity = await options.identity();
        if (options.confirm) {
          const ok = await options.confirm({ origin, operation, flow: FLOW_NAMES_VI.SignXML, fileName: xml.slice(0, 200), documentSha256: sha256(new TextEncoder().encode(xml)), pdf: new Uint8Array(), certificateSubject: await subjectOf(identity), position: 'không có' });
          if (!ok) throw cancelled();
        }
        const signed = await signXml(xml, identity.key).catch((error: unknown) => {
          if (error instanceof XmlSigningError) throw new ServiceFailure(STATUS.BAD_REQUEST, 'XML_INVALID', error.messageVi, error.message);
          throw error;
        });
        return { answer: { Status: STATUS.OK, Message: 'Ký dữ liệu XML thành công.', Signature: Buffer.from(signed, 'utf8').toString('base64') } };
      }
      case 'VerifyXML': {
        const xml = xmlOf(request);
        trace.hashes.push(sha256(new TextEncoder().encode(xml)));
        const check = verifyXml(xml);
        return { answer: check.valid ? { Status: STATUS.OK, Message: 'Chữ ký XML hợp lệ.', Signer: check.signer } : { Status: STATUS.NOT_VALID, Message: check.reason ?? 'Chữ ký XML không hợp lệ.', ErrorCode: 'XML_SIGNATURE_INVALID' } };
      }
      default:
        throw new ServiceFailure(STATUS.UNSUPPORTED, 'UNSUPPORTED', 'Thao tác không được hỗ trợ.', `${operation} is not supported.`);
    }
  }

  async function serve(socket: WebSocket, request: IncomingMessage, body: string): Promise<void> {
    const operationName = decodeURIComponent(new URL(request.url ?? '/', 'https://127.0.0.1').pathname.replace(/^\/+|\/+$/g, ''));
    let origin: string | undefined;
    // The log keeps what the headers said, bounded: a page controls both.
    let entry: Omit<ServiceLogEntry, 'outcome' | 'status'> = { time: new Date().toISOString(), origin: request.headers.origin?.slice(0, 256), operation: operationName.slice(0, 64) };
    let answer: ServiceAnswer;
    const trace: Trace = { hashes: [] };
    try {
      origin = await options.policy.admit(request.headers.origin);
      if (!isOperation(operationName)) throw new ServiceFailure(STATUS.UNSUPPORTED, 'UNKNOWN_OPERATION', `Thao tác "${operationName}" không có.`, `Unknown operation ${operationName}.`);
      const parsed = parseRequest(body);
      const admitted = origin;
      const handled = await queue.run(() => handle(admitted, operationName, parsed, trace).finally(() => options.afterEach?.().catch(() => undefined)));
      answer = handled.answer;
      entry = { ...entry, keptFile: handled.kept, uploaded: handled.uploaded };
    } catch (error) {
      const failure = asFailure(error);
      answer = failureAnswer(failure);
      if (typeof failure.extra.KeptFile === 'string') entry = { ...entry, keptFile: [failure.extra.KeptFile], uploaded: false };
    }
    const outcome: ServiceLogEntry['outcome'] = answer.Status === STATUS.OK ? 'ok' : answer.Status === STATUS.CANCELLED ? 'cancelled' : [STATUS.ORIGIN_REFUSED, STATUS.URL_REFUSED].includes(answer.Status as 2) ? 'refused' : 'failed';
    options.log({ ...entry, documentSha256: trace.hashes.length > 0 ? trace.hashes : undefined, outcome, status: answer.Status, code: answer.ErrorCode });
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(answer));
    socket.close(1000);
  }

  async function page(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const headers = { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'", 'x-content-type-options': 'nosniff' };
    if (req.method === 'GET' && url.pathname === '/') {
      const trust = options.caTrust ? await options.caTrust().catch((): CaTrustState => 'unknown') : 'unknown';
      res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(statusPage({ version: options.version, port: actualPort, caFingerprint: options.tls.caFingerprint, trust, caReplaced: options.tls.caReplaced === true }));
    } else if (req.method === 'GET' && url.pathname === '/local-ca.pem') {
      res.writeHead(200, { ...headers, 'content-type': 'application/x-pem-file', 'content-disposition': 'attachment; filename="vanthu-local-ca.pem"' }).end(options.tls.caPem);
    } else {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('Không có trang này.');
    }
  }

  const server: Server = createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, (req, res) => {
    page(req, res).catch(() => res.writeHead(500).end());
  });
  const sockets = new WebSocketServer({ server, maxPayload: 32 * 1024 * 1024 });
  sockets.on('connection', (socket, request) => {
    const timer = setTimeout(() => socket.close(1008), options.requestTimeoutMs ?? 60_000);
    socket.once('message', (data) => {
      clearTimeout(timer);
      const body = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      void serve(socket, request, body);
    });
    socket.on('close', () => clearTimeout(timer));
    socket.on('error', () => undefined);
  });
  // The WebSocket server re-emits the HTTP server's errors (a taken port): handled by the listen below.
  sockets.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      sockets.close();
      reject(error);
    });
    server.listen(options.port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
