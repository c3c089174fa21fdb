import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceAnswer } from '../../../src/core/local-service/index.js';
import {
  assignOutgoingNumber,
  createDocument,
  getDocument,
  getHistory,
  JsonFileSettingsStore,
  listDocuments,
  listFiles,
  open,
  readLatest,
  registerNumbers,
  transition,
  type Store,
} from '../../../src/core/store/index.js';
import { finalizeAllModules, TokenSession } from '../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { validatePdf } from '../../../src/core/validation/index.js';
import { createDispatcher } from '../../../src/main/ipc/dispatcher.js';
import { LocalServiceController, type RecordWarning } from '../../../src/main/handlers/local-service/controller.js';
import { createHandlers } from '../../../src/main/services.js';
import type { IpcEventName } from '../../../src/shared/ipc-contract.js';
import { ipcEvents } from '../../../src/shared/ipc-contract.js';
import { SESSION_ID, startEOfficeSite, type EOfficeSite } from '../../kit/e-office-site.js';
import { freePort } from '../../kit/free-port.js';
import { discPng, writeTemp } from '../../kit/pdf-tools.js';
import { decree30Pdf } from '../../fixtures/pdf/decree30/make-decree30.js';
import { buildPinCounterModule } from '../../kit/pin-counter/build.js';
import { usePrivateTokens } from '../../kit/pki.js';

// The app's side of the local service: Settings turn it on with consent, questions go out as IPC events and come back through the contract's channels.
const pki = usePrivateTokens();
const OWN_ORGAN = '000.00.01.H14';
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-local-controller-'));
const settings = new JsonFileSettingsStore(path.join(dir, 'settings.json'));
const events: { event: IpcEventName; payload: Record<string, unknown> }[] = [];
/** How the simulated user answers: the renderer's dialogs. */
let onOrigin: (requestId: string) => void = () => undefined;
let onSigning: (request: Record<string, unknown>) => void = () => undefined;
let site: EOfficeSite;
let controller: LocalServiceController;
let dispatch: ReturnType<typeof createDispatcher>;
let port: number;
let store: Store;
const warnings: RecordWarning[] = [];
const recordErrors: unknown[] = [];

const invoke = async (channel: string, request: unknown): Promise<Record<string, unknown>> => {
  const result = await dispatch(channel, request);
  if (!result.ok) throw Object.assign(new Error(result.error.messageEn), result.error);
  return result.value as Record<string, unknown>;
};

const ask = (operation: string, body: unknown, origin = site.origin): Promise<ServiceAnswer> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(`wss://127.0.0.1:${port}/${operation}`, { origin, ca: readFileSync(path.join(dir, 'tls', 'local-ca.pem')) });
    socket.on('open', () => socket.send(JSON.stringify(body)));
    socket.on('message', (data) => {
      resolve(JSON.parse(String(data)) as ServiceAnswer);
      socket.close();
    });
    socket.on('error', reject);
  });

beforeAll(async () => {
  site = await startEOfficeSite();
  site.files.set('to-trinh.pdf', readFileSync(path.resolve('tests/fixtures/pdf/classic-xref.pdf')));
  port = await freePort();
  store = open(path.join(dir, 'data'));
  controller = new LocalServiceController({
    store: () => store,
    ownOrganId: () => OWN_ORGAN,
    onRecordWarning: (warning) => warnings.push(warning),
    onRecordError: (error) => recordErrors.push(error),
    settings,
    trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem], includeBundled: false }),
    emit: (event, payload) => {
      // What crosses to the renderer must fit the contract.
      const checked = ipcEvents[event].parse(payload) as Record<string, unknown>;
      events.push({ event, payload: checked });
      setImmediate(() => {
        if (event === 'localService.originRequest') onOrigin(checked.requestId as string);
        if (event === 'localService.signingRequest') onSigning(checked);
      });
    },
    log: () => undefined,
    tlsDir: path.join(dir, 'tls'),
    keptDir: path.join(dir, 'kept'),
    version: 'vanthu thử',
    questionTimeoutMs: 1_500,
  });
  dispatch = createDispatcher(createHandlers({ version: 'thử', userModulePaths: () => [], settings, localService: controller }));
});

afterAll(async () => {
  await controller?.stop();
  store?.close();
  await site?.close();
  await finalizeAllModules();
});

describe('the local service in the app', () => {
  it('is off by default and turns on only with consent', async () => {
    expect(await invoke('localService.status', {})).toMatchObject({ enabled: false, running: false, port: 8987 });
    await expect(invoke('localService.configure', { enabled: true })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const status = await invoke('localService.configure', { enabled: true, consent: true, port, signingToken: { module: pki.module, label: 'VANTHU LEADER', cert: 'leader-rsa' } });
    expect(status).toMatchObject({ enabled: true, running: true, port, statusPageUrl: `https://127.0.0.1:${port}/` });
    expect(settings.get().localService).toMatchObject({ enabled: true, port, allowedOrigins: [] });
    expect(events.at(-1)?.event).toBe('localService.changed');
  });

  it('asks the user about a new site and remembers "always" in the settings', async () => {
    onOrigin = (requestId) => void invoke('localService.answerOrigin', { requestId, decision: 'always' });
    expect(await ask('GetVersion', {})).toMatchObject({ Status: 0, Version: 'vanthu thử' });
    expect(events.filter((e) => e.event === 'localService.originRequest').map((e) => e.payload.origin)).toEqual([site.origin]);
    expect(settings.get().localService?.allowedOrigins).toEqual([site.origin]);
    onOrigin = () => {
      throw new Error('asked again');
    };
    expect(await ask('GetVersion', {})).toMatchObject({ Status: 0 });
  });

  it('shows the signing (site, document, flow, certificate, position) with a preview, signs with the PIN given, then ends the login', async () => {
    let previewBase64 = '';
    onSigning = (request) =>
      void (async () => {
        previewBase64 = ((await invoke('localService.preview', { requestId: request.requestId })) as { base64: string }).base64;
        await invoke('localService.answerSigning', { requestId: request.requestId, approve: true, pin: pki.userPin });
      })();
    const answer = await ask('SignApproved', { FileName: `${site.origin}/files/to-trinh.pdf`, FileUploadHandler: `${site.origin}/upload`, SessionId: SESSION_ID });
    expect(answer, answer.Message).toMatchObject({ Status: 0 });
    const shown = events.filter((e) => e.event === 'localService.signingRequest').at(-1)!.payload;
    expect(shown).toMatchObject({ origin: site.origin, operation: 'SignApproved', flow: 'Ký duyệt (chữ ký của lãnh đạo)', fileName: 'to-trinh.pdf', certificateSubject: 'Nguyễn Thị Hồng Nhung' });
    expect(JSON.stringify(events)).not.toContain(pki.userPin);
    expect(Buffer.from(previewBase64, 'base64').equals(Buffer.from(site.files.get('to-trinh.pdf')!))).toBe(true);
    const report = await validatePdf(site.uploads.at(-1)!.bytes, { trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem], includeBundled: false }), online: true });
    expect(report.verdict, report.summaryEn).toBe('valid');
    const session = await TokenSession.open(pki.module, { label: 'VANTHU LEADER' });
    expect(await session.isLoggedIn()).toBe(false);
  });

  it('registers a document the page marked incoming in the app\'s register, with its signed file', async () => {
    onSigning = (request) => void invoke('localService.answerSigning', { requestId: request.requestId, approve: true, pin: pki.userPin });
    const answer = await ask('SignIncome', {
      FileName: `${site.origin}/files/to-trinh.pdf`,
      FileUploadHandler: `${site.origin}/upload`,
      SessionId: SESSION_ID,
      DocNumber: '45',
      MetaData: [{ Key: 'TrichYeu', Value: 'Về việc họp giao ban' }, { Key: 'SoKyHieu', Value: '05/UBND-VP' }, { Key: 'NoiGui', Value: 'UBND tỉnh Cao Bằng' }],
    });
    expect(answer, answer.Message).toMatchObject({ Status: 0 });
    const document = getDocument(store.db, 1);
    expect(document).toMatchObject({ direction: 'incoming', state: 'registered', subject: 'Về việc họp giao ban', codeNumber: '05', codeNotation: 'UBND-VP', organName: 'UBND tỉnh Cao Bằng', arrivalNumber: 1 });
    const [file] = listFiles(store.db, 1);
    expect(readLatest(store.db, store.blobs, file!.id).equals(Buffer.from(site.uploads.at(-1)!.bytes))).toBe(true);
  });

  it('answers non-zero when the user cancels, and nothing is uploaded', async () => {
    const uploads = site.uploads.length;
    onSigning = (request) => void invoke('localService.answerSigning', { requestId: request.requestId, approve: false });
    expect(await ask('SignFile', { FileName: `${site.origin}/files/to-trinh.pdf`, FileUploadHandler: `${site.origin}/upload`, SessionId: SESSION_ID })).toMatchObject({ Status: 1, Message: 'Người dùng đã hủy ký số.' });
    expect(site.uploads.length).toBe(uploads);
  });

  it('asks again after a wrong PIN, with the warning, and signs with the right one', async () => {
    const uploads = site.uploads.length;
    const asked: Record<string, unknown>[] = [];
    onSigning = (request) => {
      asked.push(request);
      void invoke('localService.answerSigning', { requestId: request.requestId, approve: true, pin: asked.length === 1 ? '999999' : pki.userPin });
    };
    const answer = await ask('SignFile', { FileName: `${site.origin}/files/to-trinh.pdf`, FileUploadHandler: `${site.origin}/upload`, SessionId: SESSION_ID });
    expect(answer, answer.Message).toMatchObject({ Status: 0 });
    expect(asked).toHaveLength(2);
    expect(asked[0]).not.toHaveProperty('wrongPin');
    // The same signing shown again (SoftHSM raises "few tries left" after a wrong PIN).
    expect(asked[1]).toMatchObject({ operation: 'SignFile', fileName: 'to-trinh.pdf', documentSha256: asked[0]!.documentSha256, wrongPin: { count: 1, triesLeft: 'few' } });
    expect(asked[1]!.requestId).not.toBe(asked[0]!.requestId);
    expect(site.uploads.length).toBe(uploads + 1);
    const report = await validatePdf(site.uploads.at(-1)!.bytes, { trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem], includeBundled: false }), online: true });
    expect(report.verdict, report.summaryEn).toBe('valid');
    const closed = events.filter((e) => e.event === 'localService.requestClosed').map((e) => e.payload.requestId);
    expect(closed).toEqual(expect.arrayContaining(asked.map((r) => r.requestId)));
  });

  it('answers non-zero when the user cancels after a wrong PIN', async () => {
    const uploads = site.uploads.length;
    let asked = 0;
    onSigning = (request) => {
      asked += 1;
      void invoke('localService.answerSigning', asked === 1 ? { requestId: request.requestId, approve: true, pin: '999999' } : { requestId: request.requestId, approve: false });
    };
    expect(await ask('SignFile', { FileName: `${site.origin}/files/to-trinh.pdf`, FileUploadHandler: `${site.origin}/upload`, SessionId: SESSION_ID })).toMatchObject({ Status: 1, Message: 'Người dùng đã hủy ký số.' });
    expect(asked).toBe(2);
    expect(site.uploads.length).toBe(uploads);
  });

  it('stops asking when the token itself locks (a PIN-counting token), answering non-zero', async () => {
    process.env.PIN_COUNTER_TARGET = pki.module;
    process.env.PIN_COUNTER_MAX_TRIES = '3';
    const uploads = site.uploads.length;
    await invoke('localService.configure', { signingToken: { module: buildPinCounterModule(), label: 'VANTHU SPARE', cert: 'spare-rsa' } });
    try {
      const asked: Record<string, unknown>[] = [];
      onSigning = (request) => {
        asked.push(request);
        void invoke('localService.answerSigning', { requestId: request.requestId, approve: true, pin: `00000${asked.length}` });
      };
      const answer = await ask('SignFile', { FileName: `${site.origin}/files/to-trinh.pdf`, FileUploadHandler: `${site.origin}/upload`, SessionId: SESSION_ID });
      expect(answer).toMatchObject({ ErrorCode: 'TOKEN_PIN_LOCKED' });
      expect(answer.Status).not.toBe(0);
      expect(answer.Message).toContain('đã bị khóa PIN');
      expect(asked.map((r) => r.wrongPin)).toEqual([undefined, { count: 1, triesLeft: 'few' }, { count: 2, triesLeft: 1 }]);
      expect(site.uploads.length).toBe(uploads);
    } finally {
      await invoke('localService.configure', { signingToken: { module: pki.module, label: 'VANTHU LEADER', cert: 'leader-rsa' } });
    }
  });

  /** Our own register's way: a draft signed by the leader, then the next number of our counter. */
  const numberOurOwn = (): number => {
    const { id } = createDocument(store.db, 'outgoing', { subject: 'Công văn do văn thư cấp số', codeNotation: 'UBND-VP' });
    transition(store.db, id, 'signed_by_leader');
    return assignOutgoingNumber(store.db, id, { organId: OWN_ORGAN }).number;
  };
  /** A letter with the year printed (Decree 30 layout), approved by the leader through the page, served as da-duyet-YEAR.pdf. */
  const approvedLetter = async (printedYear: number): Promise<string> => {
    const name = `da-duyet-${printedYear}.pdf`;
    if (site.files.has(name)) return name;
    // The leader's signature image and the clerk's seal, as Settings keep them.
    settings.set({ signatureImagePath: writeTemp('controller-chu-ky.png', discPng(100, [20, 40, 200])), sealImagePath: writeTemp('controller-con-dau.png', discPng(120, [200, 30, 30])) });
    site.files.set(`cong-van-${printedYear}.pdf`, await decree30Pdf({ year: String(printedYear) }));
    // The seal goes over the leader's signature: the page has the leader approve first.
    const approved = await ask('SignApproved', { FileName: `${site.origin}/files/cong-van-${printedYear}.pdf`, FileUploadHandler: `${site.origin}/upload`, SessionId: SESSION_ID });
    expect(approved, approved.Message).toMatchObject({ Status: 0 });
    site.files.set(name, site.uploads.at(-1)!.bytes);
    return name;
  };
  const issue = async (docNumber: string, issuedDate: string, subject: string): Promise<ServiceAnswer> => {
    onSigning = (request) => void invoke('localService.answerSigning', { requestId: request.requestId, approve: true, pin: pki.userPin });
    const letter = await approvedLetter(Number(issuedDate.slice(0, 4)));
    return ask('SignIssued', {
      FileName: `${site.origin}/files/${letter}`,
      FileUploadHandler: `${site.origin}/upload`,
      SessionId: SESSION_ID,
      DocNumber: docNumber,
      IssuedDate: issuedDate,
      MetaData: [{ Key: 'TrichYeu', Value: subject }],
    });
  };
  const outgoing = () => listDocuments(store.db, { direction: 'outgoing', limit: 500 }).items;
  const year = new Date(Date.now() + 7 * 3600_000).getUTCFullYear();

  it('enters a document the page issued in the outgoing register with the page\'s number and date, numbered by that site, leaving our counter alone', async () => {
    const answer = await issue('123/UBND-VP', `${year}-03-15T08:30:00+07:00`, 'Về việc bảo đảm an toàn thông tin');
    expect(answer, answer.Message).toMatchObject({ Status: 0, Message: 'Ký số thành công.', DocumentNumber: '123/UBND-VP' });
    const [issued] = outgoing();
    expect(getDocument(store.db, issued!.id)).toMatchObject({
      direction: 'outgoing',
      state: 'issued',
      codeNumber: '123',
      codeNotation: 'UBND-VP',
      issuedDate: `${year}-03-15`,
      organId: OWN_ORGAN,
      subject: 'Về việc bảo đảm an toàn thông tin',
      numberedBy: site.origin,
    });
    const [file] = listFiles(store.db, issued!.id);
    expect(file!.revisions.at(-1)).toMatchObject({ signatureKind: 'seal', signatureLevel: 'B-B', signer: 'Nguyễn Thị Hồng Nhung' });
    expect(readLatest(store.db, store.blobs, file!.id).equals(Buffer.from(site.uploads.at(-1)!.bytes))).toBe(true);
    expect(getHistory(store.db, issued!.id).map((h) => [h.kind, h.to])).toEqual([['created', 'draft'], ['state', 'issued'], ['number', '123']]);
    // Our counter neither took 123 nor moved: the clerk's next own number is still 1.
    expect(registerNumbers(store.db, 'outgoing', OWN_ORGAN, year)).toEqual([]);
    expect(numberOurOwn()).toBe(1);
    expect(registerNumbers(store.db, 'outgoing', OWN_ORGAN, year)).toEqual([1]);
    expect(warnings).toEqual([]);
    expect(recordErrors).toEqual([]);
  });

  it('does not block our counter when the page gives a number our counter reaches later', async () => {
    expect((await issue('2/UBND-VP', `${year}-03-16T08:30:00+07:00`, 'Về việc số 2 của trang')).Status).toBe(0);
    expect(numberOurOwn()).toBe(2);
    expect(registerNumbers(store.db, 'outgoing', OWN_ORGAN, year)).toEqual([1, 2]);
    expect(recordErrors).toEqual([]);
  });

  it('warns (log) and still answers success when the same number, ký hiệu and year is already in the register; another year is no duplicate', async () => {
    const first = outgoing().find((d) => d.codeNumber === '123')!;
    const answer = await issue('0123/UBND-VP', `${year}-11-20T10:00:00+07:00`, 'Về việc trùng số');
    expect(answer, answer.Message).toMatchObject({ Status: 0, Message: 'Ký số thành công.' });
    const again = outgoing().find((d) => d.subject === 'Về việc trùng số')!;
    expect(again).toMatchObject({ state: 'issued', codeNumber: '0123', codeNotation: 'UBND-VP' });
    expect(warnings).toEqual([
      {
        code: 'OUTGOING_NUMBER_DUPLICATE',
        messageVi: `Số 0123/UBND-VP năm ${year} do trang ${site.origin} cấp đã có trong sổ văn bản đi; văn bản vẫn được lưu, hãy kiểm tra lại.`,
        messageEn: `Number 0123/UBND-VP of ${year} given by ${site.origin} is already in the outgoing register; the document is kept, check it.`,
        documentId: again.id,
        duplicateIds: [first.id],
      },
    ]);
    warnings.length = 0;
    const lastYear = await issue('123/UBND-VP', `${year - 1}-12-31T16:00:00+07:00`, 'Về việc năm trước');
    expect(lastYear.Status, lastYear.Message).toBe(0);
    expect(outgoing().find((d) => d.subject === 'Về việc năm trước')).toMatchObject({ issuedDate: `${year - 1}-12-31` });
    expect(warnings).toEqual([]);
  });

  it('refuses a site whose question nobody answered, remembers nothing, and asks again next time', async () => {
    const stranger = 'https://qlvb.khac.gov.vn';
    onOrigin = () => undefined;
    const first = await ask('GetVersion', {}, stranger);
    expect(first).toMatchObject({ Status: 2, ErrorCode: 'ORIGIN_NOT_ANSWERED', Message: `Người dùng chưa cho phép trang ${stranger} dùng chữ ký số.` });
    expect(settings.get().localService).toMatchObject({ allowedOrigins: [site.origin], refusedOrigins: [] });
    onOrigin = (requestId) => void invoke('localService.answerOrigin', { requestId, decision: 'never' });
    expect(await ask('GetVersion', {}, stranger)).toMatchObject({ Status: 2, ErrorCode: 'ORIGIN_REFUSED' });
    expect(events.filter((e) => e.event === 'localService.originRequest' && e.payload.origin === stranger)).toHaveLength(2);
    expect(settings.get().localService?.refusedOrigins).toEqual([stranger]);
  });

  it('says so when the port is taken (VGCA Sign Service running), and stops when turned off', async () => {
    const blocker: Server = createServer();
    const taken = await freePort();
    await new Promise<void>((resolve) => blocker.listen(taken, '127.0.0.1', resolve));
    try {
      const status = await invoke('localService.configure', { port: taken });
      expect(status).toMatchObject({ enabled: true, running: false });
      expect((status.problem as { vi: string }).vi).toContain(`Cổng ${taken} đang được chương trình khác dùng`);
    } finally {
      blocker.close();
    }
    expect(await invoke('localService.configure', { port, enabled: false })).toMatchObject({ enabled: false, running: false });
    await expect(ask('GetVersion', {})).rejects.toThrow(/ECONNREFUSED/);
  });
});
