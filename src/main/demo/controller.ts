// "Dùng thử": makes the demo in `<dataDir>/demo/` (PKI, SoftHSM tokens, images, settings), runs its services and robot, switches the app to it and back; leaving removes all of it.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { JsonFileSettingsStore, type SettingsStore } from '../../core/store/index.js';
import { trustStoreFrom, type TrustStore } from '../../core/trust/index.js';
import { VanthuError, isVanthuError } from '../../shared/errors.js';
import type { DemoStatus } from '../../shared/ipc/demo.js';
import { demoSealPng, demoSignaturePng } from './images.js';
import { issueSoftKey, makeRoot, pemToDer, refreshCrl } from './pki.js';
import { DemoRobot, OUR_ORGAN_ID, ROBOT_NAME, ROBOT_ORGAN_ID } from './robot.js';
import { freeLoopbackPort, startCrlService, startExchangeServer, type ExchangeServerProcess } from './services.js';
import {
  AGENCY_NAME, DEMO_AGENCY_CERT, DEMO_AGENCY_PIN, DEMO_LEADER_CERT, DEMO_AGENCY_TOKEN, DEMO_LEADER_PIN, DEMO_LEADER_TOKEN, LEADER_NAME, makeDemoTokens, softhsmModule, writeSofthsmConf,
} from './tokens.js';

/** What the app runs on while the demo is on: its own data folder, settings, trust (the demo root only) and token module. */
export interface DemoEnvironment {
  dataDir: string;
  settings: SettingsStore;
  trust: TrustStore;
  modulePaths: string[];
  softhsmConf: string;
}

export interface DemoControllerOptions {
  /** The real data folder; the demo lives in its `demo/` subfolder and nowhere else. */
  dataDir: string;
  /** Closes the running runtime and starts one on the demo's environment (or back on the real one when undefined). */
  switchTo: (environment: DemoEnvironment | undefined) => Promise<void>;
  onError?: (error: unknown) => void;
}

interface DemoState {
  crlPort: number;
  softhsmModule: string;
  welcomeSent: boolean;
}

/** The demo agency's full name as the document's header prints it (the exchange directory knows it by its short name). */
export const DRAFT_ORGAN_NAME = 'Ủy ban nhân dân tỉnh Dùng Thử';

const TOOLS = ['openssl', 'softhsm2-util', 'pkcs11-tool'];
const which = promisify(execFile);

async function missingTools(): Promise<string[]> {
  const missing: string[] = [];
  for (const tool of TOOLS) {
    // `command -v` through the shell: the same lookup a user's terminal does.
    await which('sh', ['-c', `command -v ${tool}`]).catch(() => missing.push(tool));
  }
  if (!softhsmModule()) missing.push('libsofthsm2.so');
  return missing;
}

export class DemoController {
  readonly dir: string;
  private running: { crl: Server; server: ExchangeServerProcess; robot: DemoRobot } | undefined;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DemoControllerOptions) {
    this.dir = path.join(options.dataDir, 'demo');
  }

  private get stateFile(): string {
    return path.join(this.dir, 'state.json');
  }

  private get activeFile(): string {
    return path.join(this.dir, 'active');
  }

  /** The demo was on when the app last closed: it comes back on at start. */
  wasActive(): boolean {
    return existsSync(this.activeFile);
  }

  get active(): boolean {
    return this.running !== undefined;
  }

  async status(): Promise<DemoStatus> {
    const missing = process.platform === 'win32' ? ['softhsm2-util', 'pkcs11-tool'] : await missingTools();
    const problem = missing.length > 0 ? new VanthuError('DEMO_TOOLS_MISSING', { tools: missing.join(', ') }) : undefined;
    return {
      offered: true,
      active: this.active,
      available: !problem,
      problem: problem ? { messageVi: problem.messageVi, messageEn: problem.messageEn } : null,
      leader: { token: DEMO_LEADER_TOKEN, name: LEADER_NAME, pin: DEMO_LEADER_PIN },
      agency: { token: DEMO_AGENCY_TOKEN, name: AGENCY_NAME, pin: DEMO_AGENCY_PIN },
      robotName: ROBOT_NAME,
    };
  }

  /** One start or leave at a time: a second click waits for the first. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.busy.then(work, work);
    this.busy = next.catch(() => undefined);
    return next;
  }

  start(): Promise<DemoStatus> {
    return this.serial(async () => {
      if (!this.running) {
        const missing = await missingTools();
        if (missing.length > 0) throw new VanthuError('DEMO_TOOLS_MISSING', { tools: missing.join(', ') });
        try {
          const environment = await this.bringUp();
          await this.options.switchTo(environment);
        } catch (error) {
          await this.takeDown();
          if (isVanthuError(error)) throw error;
          throw new VanthuError('DEMO_FAILED', { detail: error instanceof Error ? error.message.split('\n')[0]!.slice(0, 300) : String(error) }, { cause: error });
        }
      }
      return this.status();
    });
  }

  /** Leaves the demo: its services stop, the app goes back to the real setup, and the demo folder is removed. */
  leave(): Promise<DemoStatus> {
    return this.serial(async () => {
      const wasRunning = this.running !== undefined;
      await this.takeDown();
      if (wasRunning) await this.options.switchTo(undefined);
      rmSync(this.dir, { recursive: true, force: true });
      return this.status();
    });
  }

  /** Stops the demo's services (the app closing); the demo stays for next time. */
  async close(): Promise<void> {
    await this.takeDown();
  }

  private async takeDown(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    running.robot.stop();
    await running.server.stop();
    running.crl.closeAllConnections();
    await new Promise((resolve) => running.crl.close(resolve));
  }

  /** Makes the demo the first time; starts its CRL service, exchange server and robot; returns the environment to run on. */
  private async bringUp(): Promise<DemoEnvironment> {
    const state = await this.made();
    const pkiDir = path.join(this.dir, 'pki');
    const rootPem = path.join(pkiDir, 'root.pem');
    const { crlDer } = await refreshCrl(pkiDir);
    const crl = await startCrlService(state.crlPort, crlDer, rootPem);
    let server: ExchangeServerProcess | undefined;
    try {
      server = await startExchangeServer(this.dir, rootPem, [
        { organId: OUR_ORGAN_ID, name: AGENCY_NAME, certificates: ['pki/don-vi.pem'], personCertificates: ['pki/lanh-dao.pem'] },
        { organId: ROBOT_ORGAN_ID, name: ROBOT_NAME, parent: OUR_ORGAN_ID, certificates: ['pki/robot.pem'] },
      ]);
      const robot = new DemoRobot({
        serverUrl: server.url,
        keyPem: path.join(pkiDir, 'robot.key'),
        certPem: path.join(pkiDir, 'robot.pem'),
        sendWelcome: !state.welcomeSent,
        ...(this.options.onError ? { onError: this.options.onError } : {}),
      });
      await robot.start();
      if (!state.welcomeSent) await this.saveState({ ...state, welcomeSent: true });
      this.running = { crl, server, robot };
    } catch (error) {
      await server?.stop();
      crl.closeAllConnections();
      await new Promise((resolve) => crl.close(resolve));
      throw error;
    }
    const settings = new JsonFileSettingsStore(path.join(this.dir, 'app', 'settings.json'));
    // The server's port is new at every start: the demo's own settings follow it.
    settings.set({ serverUrl: server.url });
    await writeFile(this.activeFile, '');
    return {
      dataDir: path.join(this.dir, 'app'),
      settings,
      trust: await trustStoreFrom({ pemOrDerFiles: [rootPem], includeBundled: false }),
      modulePaths: [state.softhsmModule],
      softhsmConf: path.join(this.dir, 'softhsm2.conf'),
    };
  }

  private async saveState(state: DemoState): Promise<void> {
    await writeFile(this.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  }

  /** The demo's PKI, tokens, images and settings, made once (a half-made demo is made again from scratch). */
  private async made(): Promise<DemoState> {
    if (existsSync(this.stateFile)) return JSON.parse(await readFile(this.stateFile, 'utf8')) as DemoState;
    rmSync(this.dir, { recursive: true, force: true });
    const module = softhsmModule();
    if (!module) throw new VanthuError('DEMO_TOOLS_MISSING', { tools: 'libsofthsm2.so' });
    const pkiDir = path.join(this.dir, 'pki');
    await mkdir(pkiDir, { recursive: true });
    const crlPort = await freeLoopbackPort();
    await makeRoot(pkiDir, crlPort);
    await issueSoftKey(pkiDir, 'robot', `/C=VN/ST=Dùng Thử/O=${ROBOT_NAME}/CN=${ROBOT_NAME}/UID=MST:0000000002`);
    const softhsmConf = await writeSofthsmConf(this.dir);
    await makeDemoTokens(pkiDir, module, softhsmConf);
    const appDir = path.join(this.dir, 'app');
    await mkdir(appDir, { recursive: true });
    const signatureImage = path.join(appDir, 'chu-ky-ban-thu.png');
    const sealImage = path.join(appDir, 'con-dau-ban-thu.png');
    await writeFile(signatureImage, demoSignaturePng());
    await writeFile(sealImage, demoSealPng());
    const settings = new JsonFileSettingsStore(path.join(appDir, 'settings.json'));
    settings.set({
      exchangeLogin: { module, label: DEMO_AGENCY_TOKEN, cert: DEMO_AGENCY_CERT },
      signatureImagePath: signatureImage,
      // The leader's certificate has its own signature image, as a real leader's would: the sign dialog shows it before the PIN.
      signatureImages: { [createHash('sha256').update(await pemToDer(path.join(pkiDir, `${DEMO_LEADER_CERT}.pem`))).digest('hex')]: signatureImage },
      sealImagePath: sealImage,
      // No time-stamping authority in the demo: signatures are made at B-B, which the demo's CRL lets verify as valid.
      defaultLevel: 'B-B',
      longTermBeforeSend: false,
      receiptConfirmation: 'manual',
      // The drafting form starts with our demo agency, its place and the demo leader: a new user types only the subject and the body.
      draftDefaults: {
        organName: DRAFT_ORGAN_NAME,
        organId: OUR_ORGAN_ID,
        codeNotation: 'UBND-VP',
        issuedPlace: 'Dùng Thử',
        authority: 'TM.',
        onBehalfOf: 'Ủy ban nhân dân',
        position: 'Chủ tịch',
        fullName: LEADER_NAME,
      },
    });
    const state: DemoState = { crlPort, softhsmModule: module, welcomeSent: false };
    await this.saveState(state);
    return state;
  }
}

/** Points SoftHSM at the demo's tokens (or back at the user's own setting); call only while no module is loaded. */
export function useSofthsmConf(conf: string | undefined, original: string | undefined): void {
  const value = conf ?? original;
  if (value === undefined) delete process.env.SOFTHSM2_CONF;
  else process.env.SOFTHSM2_CONF = value;
}
