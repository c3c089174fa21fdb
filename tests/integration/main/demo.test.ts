// "Dùng thử" end to end without a window: the demo is made in a temp data folder (PKI, SoftHSM tokens, loopback CRL, `vanthu server`, robot),
// the app runs on it through its IPC handlers, documents signed there verify as valid (our validator and pdfsig), and leaving removes it all.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDraft } from '../../../src/core/drafting/index.js';
import { chooseCertificate, signPdf, unlockCertificate } from '../../../src/core/signing/index.js';
import { listDocuments, listFiles, readLatest } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { validatePdf } from '../../../src/core/validation/index.js';
import { DemoController, useSofthsmConf, type DemoEnvironment } from '../../../src/main/demo/controller.js';
import { ROBOT_NAME, ROBOT_ORGAN_ID } from '../../../src/main/demo/robot.js';
import { DEMO_AGENCY_PIN, DEMO_LEADER_PIN, DEMO_LEADER_TOKEN } from '../../../src/main/demo/tokens.js';
import { createDispatcher, type Dispatch } from '../../../src/main/ipc/dispatcher.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { createHandlers } from '../../../src/main/services.js';
import { pdfsig, writeTemp } from '../../kit/pdf-tools.js';

const realDir = mkdtempSync(path.join(tmpdir(), 'vanthu-demo-it-'));
const realSettings = path.join(realDir, 'settings.json');
const REAL_SETTINGS = `${JSON.stringify({ serverUrl: 'https://exchange.real.example', tsaUrl: null, tokenModules: [], signatureImagePath: null, sealImagePath: null, language: 'vi' }, null, 2)}\n`;
const originalConf = process.env.SOFTHSM2_CONF;

let runtime: AppRuntime | undefined;
let environment: DemoEnvironment | undefined;
let dispatch: Dispatch;
let demo: DemoController;

const call = async <T>(channel: string, request: unknown = {}): Promise<T> => {
  const answer = await dispatch(channel, request);
  if (!answer.ok) throw new Error(`${channel}: ${answer.error.messageEn}`);
  return answer.value as T;
};

const controller = (): DemoController =>
  new DemoController({
    dataDir: realDir,
    // What the preview and Electron do: close the runtime (SoftHSM finalized), point SoftHSM at the demo, start on the demo's folder.
    switchTo: async (next) => {
      await runtime?.close();
      runtime = undefined;
      environment = next;
      useSofthsmConf(next?.softhsmConf, originalConf);
      if (!next) return;
      runtime = await startRuntime({ dataDir: next.dataDir, modulePaths: next.modulePaths, trust: next.trust, settings: next.settings.get(), tokenPollMs: 60_000, exchange: { pollMs: 300 } });
      dispatch = createDispatcher(createHandlers({ version: 'test', userModulePaths: () => [], runtime, settings: next.settings, trust: next.trust, demo, onLoggedIn: () => runtime?.resumeAfterLogin() }), (error) => console.error(error));
    },
  });

beforeAll(() => {
  writeFileSync(realSettings, REAL_SETTINGS);
  demo = controller();
});

afterAll(async () => {
  await demo.close();
  await runtime?.close();
  useSofthsmConf(undefined, originalConf);
  await finalizeAllModules();
  rmSync(realDir, { recursive: true, force: true });
});

describe('Dùng thử in a fresh data folder', { timeout: 180_000 }, () => {
  it('until chosen, nothing of the demo exists', async () => {
    const status = await demo.status();
    expect(status).toMatchObject({ offered: true, active: false, available: true, problem: null });
    expect(readdirSync(realDir)).toEqual(['settings.json']);
  });

  it('choosing it makes the two tokens with their certificates, in the demo folder only', async () => {
    expect((await demo.start()).active).toBe(true);
    expect(environment?.dataDir).toBe(path.join(realDir, 'demo', 'app'));
    expect(process.env.SOFTHSM2_CONF).toBe(path.join(realDir, 'demo', 'softhsm2.conf'));
    const reports = await call<{ tokens: { label: string; certificates: { certificate: { subject: { commonName?: string } } }[] }[] }[]>('tokens.list');
    const tokens = reports.flatMap((report) => report.tokens).map((token) => [token.label, token.certificates.map((c) => c.certificate.subject.commonName)]);
    expect(tokens.sort()).toEqual([
      ['DUNG THU DON VI', ['UBND tỉnh Dùng Thử']],
      ['DUNG THU LANH DAO', ['Nguyễn Văn An']],
    ]);
    expect(readFileSync(realSettings, 'utf8')).toBe(REAL_SETTINGS);
  });

  it('the demo’s settings start a new document with its agency, place and leader, and give the leader’s certificate its own signature image', async () => {
    const view = await call<{ draftDefaults?: Record<string, string>; signatureImage: { path: string } | null }>('settings.get');
    expect(view.draftDefaults).toEqual({
      organName: 'Ủy ban nhân dân tỉnh Dùng Thử', organId: '000.00.00.T99', codeNotation: 'UBND-VP', issuedPlace: 'Dùng Thử',
      authority: 'TM.', onBehalfOf: 'Ủy ban nhân dân', position: 'Chủ tịch', fullName: 'Nguyễn Văn An',
    });
    const images = environment!.settings.get().signatureImages ?? {};
    const leaderPem = readFileSync(path.join(realDir, 'demo', 'pki', 'lanh-dao.pem'), 'utf8');
    const leaderSha = createHash('sha256').update(new X509Certificate(leaderPem).raw).digest('hex');
    expect(Object.keys(images)).toEqual([leaderSha]);
    expect(images[leaderSha]).toBe(view.signatureImage?.path);
  });

  it('the server answers the agency token login, its directory holds the robot agency, and the robot’s documents arrive', async () => {
    const state = await call<{ agency: { organId: string; name: string } | null }>('sync.login', { pin: DEMO_AGENCY_PIN });
    expect(state.agency).toMatchObject({ name: 'UBND tỉnh Dùng Thử' });
    await expect.poll(async () => (await call<{ agencies: { organId: string; name: string }[] }>('directory.list')).agencies.map((a) => [a.organId, a.name]), { timeout: 20_000 }).toContainEqual([ROBOT_ORGAN_ID, ROBOT_NAME]);
    await expect.poll(() => listDocuments(runtime!.store.db, { direction: 'incoming', limit: 10 }).items.length, { timeout: 30_000 }).toBe(2);
  });

  it('a document the robot signed there and one the leader signs with the demo token verify as valid, by our validator and by pdfsig', async () => {
    const [incoming] = listDocuments(runtime!.store.db, { direction: 'incoming', limit: 1 }).items;
    const main = listFiles(runtime!.store.db, incoming!.id).find((f) => f.role === 'main')!;
    const received = readLatest(runtime!.store.db, runtime!.store.blobs, main.id);

    const module = environment!.modulePaths[0]!;
    const choice = await chooseCertificate({ module, token: DEMO_LEADER_TOKEN, cert: 'lanh-dao' });
    const key = await unlockCertificate(choice, DEMO_LEADER_PIN);
    const draft = { type: 'cong-van', organName: 'UBND tỉnh Dùng Thử', issuedPlace: 'Dùng Thử', codeNotation: 'UBND-VP', subject: 'thử ký số', signer: { position: 'Chủ tịch', fullName: 'Nguyễn Văn An' }, body: [{ kind: 'paragraph', text: 'Thử./.' }] };
    const signed = (await signPdf(await renderDraft(draft), key, { level: 'B-B' })).bytes;
    await choice.session.logout().catch(() => undefined);

    const nss = path.join(realDir, 'nssdb');
    mkdirSync(nss);
    execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'demo root', '-t', 'CT,C,C', '-i', path.join(realDir, 'demo', 'pki', 'root.pem')]);
    for (const [name, bytes, signer] of [['received.pdf', received, ROBOT_NAME], ['leader.pdf', signed, 'Nguyễn Văn An']] as const) {
      const report = await validatePdf(bytes, { trust: environment!.trust, online: true });
      expect(report.signatures.map((s) => [s.signer?.subject.commonName, s.verdict])).toEqual([[signer, 'valid']]);
      const judged = pdfsig(writeTemp(name, bytes), `sql:${nss}`);
      expect(judged.map((s) => [s.signatureValidation, s.certificateValidation])).toEqual([['Signature is Valid.', 'Certificate is Trusted.']]);
    }
  });

  it('after the app closes in the demo, it comes back on at the next start, as it was (its documents kept, nothing sent twice)', async () => {
    await demo.close();
    await runtime?.close();
    runtime = undefined;
    useSofthsmConf(undefined, originalConf);
    demo = controller();
    expect(demo.wasActive()).toBe(true);
    expect((await demo.start()).active).toBe(true);
    await call('sync.login', { pin: DEMO_AGENCY_PIN });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(listDocuments(runtime!.store.db, { direction: 'incoming', limit: 10 }).items.length).toBe(2);
  });

  it('leaving removes the demo and switches back; the real settings are untouched', async () => {
    const status = await demo.leave();
    expect(status.active).toBe(false);
    expect(runtime).toBeUndefined();
    expect(existsSync(path.join(realDir, 'demo'))).toBe(false);
    expect(process.env.SOFTHSM2_CONF).toBe(originalConf);
    expect(readFileSync(realSettings, 'utf8')).toBe(REAL_SETTINGS);
  });
});
