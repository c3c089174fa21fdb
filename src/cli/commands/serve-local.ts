// `vanthu serve-local`: the VGCA-compatible local signing service with no dialogs, only for the listed origins, PIN read once from stdin.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  DEFAULT_LOCAL_SERVICE_PORT,
  ensureTlsMaterial,
  OriginPolicy,
  startLocalService,
  normalOrigin,
  userTrustStore,
  type SigningIdentity,
} from '../../core/local-service/index.js';
import { chooseCertificate, unlockCertificate, type SigningLevel } from '../../core/signing/index.js';
import { trustStoreFrom } from '../../core/trust/index.js';
import { EXIT_FAILED, EXIT_OK, parseCommand, usageError } from '../output.js';
import { readInput } from '../files.js';
import { usageOf } from '../usage.js';
import { listenForStop } from '../stop-signal.js';

const USAGE = usageOf('serve-local');

function parse(argv: string[]) {
  return parseCommand(
    {
      args: argv,
      options: {
        'allow-origin': { type: 'string', multiple: true },
        'allow-url-origin': { type: 'string', multiple: true },
        module: { type: 'string' },
        token: { type: 'string' },
        cert: { type: 'string' },
        'pin-stdin': { type: 'boolean', default: false },
        image: { type: 'string' },
        'seal-image': { type: 'string' },
        port: { type: 'string' },
        'tls-dir': { type: 'string' },
        'keep-dir': { type: 'string' },
        level: { type: 'string', default: 'B-B' },
        tsa: { type: 'string' },
        chain: { type: 'string', multiple: true },
        trust: { type: 'string', multiple: true },
      },
    },
    USAGE,
  );
}

/** The first line of stdin, without waiting for the end of input (the service keeps running). */
function readFirstLine(): Promise<string> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin, terminal: false });
    let done = false;
    const finish = (line: string): void => {
      if (done) return;
      done = true;
      lines.close();
      process.stdin.pause();
      resolve(line);
    };
    lines.once('line', finish);
    lines.once('close', () => finish(''));
  });
}

async function version(): Promise<string> {
  const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8').catch(() => '{}');
  return `vanthu ${(JSON.parse(text) as { version?: string }).version ?? ''}`.trim();
}

export async function serveLocal(argv: string[]): Promise<number> {
  const { values } = parse(argv);
  const origins = values['allow-origin'] ?? [];
  if (origins.length === 0) throw usageError(`at least one --allow-origin is needed: with no dialogs only listed sites may ask\n${USAGE}`);
  const bad = [...origins, ...(values['allow-url-origin'] ?? [])].find((o) => normalOrigin(o) === undefined);
  if (bad) throw usageError(`"${bad}" is not an origin like https://qlvb.example.gov.vn`);
  if (!values.module) throw usageError('--module PATH is required');
  if (!values['pin-stdin']) throw usageError('--pin-stdin is required: the PIN is read from standard input, never from the command line');
  if (!['B-B', 'B-T'].includes(values.level)) throw usageError('--level must be B-B or B-T');
  if (values.level === 'B-T' && !values.tsa) throw usageError('--level B-T needs --tsa URL');
  const port = values.port === undefined ? DEFAULT_LOCAL_SERVICE_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError('--port must be a port number');

  // From here on a SIGINT/SIGTERM stops cleanly, whether the command waits for the PIN or serves.
  const stop = listenForStop((signal) => {
    process.stderr.write(`vanthu serve-local: ${signal} lần nữa, dừng ngay / again, stopping now\n`);
    process.exit(EXIT_FAILED);
  });
  try {
    return await serve(values, { origins, port, module: values.module }, stop.received);
  } finally {
    stop.dispose();
    // stdin stays open after the PIN line (a terminal, a pipe): let go of it so the process can end.
    process.stdin.destroy();
  }
}

type ServeOptions = ReturnType<typeof parse>['values'];

async function serve(values: ServeOptions, checked: { origins: string[]; port: number; module: string }, stopped: Promise<NodeJS.Signals>): Promise<number> {
  const { origins, port, module } = checked;
  const configDir = path.join(homedir(), '.config', 'vanthu', 'local-service');
  const tls = await ensureTlsMaterial(values['tls-dir'] ?? path.join(configDir, 'tls'));
  if (tls.caReplaced) process.stderr.write(`vanthu serve-local: chứng thư gốc cũ đã được thay, hãy cài lại ${tls.caPath} vào kho tin cậy / the old local CA was replaced (no name constraints): trust ${tls.caPath} again\n`);
  const osTrustStore = userTrustStore(process.platform);
  const signatureImage = values.image ? await readInput(values.image) : undefined;
  const sealImage = values['seal-image'] ? await readInput(values['seal-image']) : undefined;
  const trust = await trustStoreFrom({ pemOrDerFiles: values.trust ?? [], includeBundled: true });
  const choice = await chooseCertificate({ module, token: values.token, cert: values.cert, chainFiles: values.chain });
  process.stderr.write('vanthu serve-local: đang chờ mã PIN (dòng đầu của đầu vào chuẩn) / waiting for the PIN (first line of stdin)\n');
  const pin = await Promise.race([readFirstLine(), stopped.then(() => undefined)]);
  if (pin === undefined) {
    await choice.session.close().catch(() => undefined);
    process.stderr.write('vanthu serve-local: đã dừng trước khi nhận mã PIN / stopped before the PIN was read\n');
    return EXIT_FAILED;
  }
  const key = await unlockCertificate(choice, pin);
  const subject = choice.certificate.certificate.subject;
  const identity: SigningIdentity = {
    key,
    signerName: subject.commonName,
    organization: subject.organization,
    signatureImage,
    sealImage,
    level: values.level as SigningLevel,
    tsaUrl: values.tsa,
    trust,
  };

  const service = await startLocalService({
    port,
    tls,
    policy: new OriginPolicy({ allowed: origins, allowedUrlOrigins: values['allow-url-origin'] }),
    identity: async () => identity,
    certificate: async () => key.certificate,
    keptDir: values['keep-dir'] ?? path.join(homedir(), 'vanthu', 'da-ky'),
    log: (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`),
    trust,
    caTrust: async () => (osTrustStore ? ((await osTrustStore.isTrusted(tls)) ? 'trusted' : 'not-trusted') : 'unknown'),
    version: await version(),
  });
  process.stderr.write(`Dịch vụ ký số đang chạy / local signing service listening: wss://127.0.0.1:${service.port} (${origins.join(', ')})\n`);
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: service.port, caPath: tls.caPath, caFingerprint: tls.caFingerprint })}\n`);
  const signal = await stopped;
  await service.close();
  await choice.session.logout().catch(() => undefined);
  process.stdout.write(`${JSON.stringify({ event: 'stopped', signal })}\n`);
  return EXIT_OK;
}
