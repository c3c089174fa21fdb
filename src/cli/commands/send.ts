// `vanthu send FILE.pdf... --to ORGAN_ID...`: log in with the token, upload, submit under the send's derived message id (--again: a new one), verify the receipt.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExchangeClient, sendMessage, sendMessageId, uuidV7, type LoginKey } from '../../core/exchange/index.js';
import { chooseCertificate, unlockCertificate } from '../../core/signing/index.js';
import { open, type Store } from '../../core/store/index.js';
import { documentMetadata, ORGAN_ID_PATTERN } from '../../shared/exchange-protocol.js';
import { EXIT_OK, usageError, parseCommand } from '../output.js';
import { readInput } from '../files.js';
import { readPinFromStdin } from '../pin.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('send');

/** Options every exchange command shares: server, token, PIN. */
export const connectionOptions = {
  server: { type: 'string' },
  origin: { type: 'string' },
  module: { type: 'string' },
  token: { type: 'string' },
  cert: { type: 'string' },
  /** Intermediate CA certificates the token lacks: the server builds the login chain from them. */
  chain: { type: 'string', multiple: true },
  'pin-stdin': { type: 'boolean', default: false },
  data: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** Checks the connection options, then unlocks the token: the PIN is read last, after everything else was checked. */
export async function connect(values: { server?: string; origin?: string; module?: string; token?: string; cert?: string; chain?: string[]; 'pin-stdin'?: boolean }): Promise<{ client: ExchangeClient; logout: () => Promise<void> }> {
  if (!values.server) throw usageError('--server URL is required');
  if (!URL.canParse(values.server)) throw usageError(`--server must be a URL, got "${values.server}"`);
  if (values.origin !== undefined && !URL.canParse(values.origin)) throw usageError(`--origin must be a URL, got "${values.origin}"`);
  if (!values.module) throw usageError('--module PATH is required');
  if (!values['pin-stdin']) throw usageError('--pin-stdin is required: the PIN is read from standard input, never from the command line');
  const choice = await chooseCertificate({ module: values.module, token: values.token, cert: values.cert, chainFiles: values.chain });
  const key: LoginKey = await unlockCertificate(choice, await readPinFromStdin());
  const client = new ExchangeClient({ serverUrl: values.server, ...(values.origin ? { origin: new URL(values.origin).origin } : {}), loginKey: () => key });
  return {
    client,
    logout: async () => {
      client.logout();
      await choice.session.logout().catch(() => undefined);
    },
  };
}

/** The given data folder, or a temporary one removed afterwards (the receipt is printed either way). */
export function storeFor(dir: string | undefined): { store: Store; dispose: () => void } {
  const folder = dir ?? mkdtempSync(path.join(tmpdir(), 'vanthu-send-'));
  const store = open(folder, { integrity: 'skip' });
  return {
    store,
    dispose: () => {
      store.close();
      if (!dir) rmSync(folder, { recursive: true, force: true });
    },
  };
}

function parse(argv: string[]) {
  return parseCommand({
    args: argv,
    allowPositionals: true,
    options: {
      ...connectionOptions,
      to: { type: 'string', multiple: true },
      subject: { type: 'string' },
      'code-number': { type: 'string' },
      'code-notation': { type: 'string' },
      'type-name': { type: 'string' },
      'issued-date': { type: 'string' },
      priority: { type: 'string' },
      'message-id': { type: 'string' },
      again: { type: 'boolean', default: false },
    },
  });
}

export async function send(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (positionals.length === 0) throw usageError(`at least one FILE.pdf is needed\n${USAGE}`);
  const recipients = values.to ?? [];
  if (recipients.length === 0) throw usageError('--to ORGAN_ID is required (one or more)');
  const badOrgan = recipients.find((id) => !ORGAN_ID_PATTERN.test(id));
  if (badOrgan) throw usageError(`--to "${badOrgan}" is not an organ id like 000.00.00.H14`);
  const givenId = values['message-id'];
  if (givenId !== undefined && values.again) throw usageError('--again and --message-id exclude each other');
  if (givenId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(givenId)) throw usageError('--message-id must be a UUID');
  const metadata = documentMetadata.safeParse({
    subject: values.subject ?? path.basename(positionals[0]!, path.extname(positionals[0]!)),
    ...(values['code-number'] ? { codeNumber: values['code-number'] } : {}),
    ...(values['code-notation'] ? { codeNotation: values['code-notation'] } : {}),
    ...(values['type-name'] ? { typeName: values['type-name'] } : {}),
    ...(values['issued-date'] ? { issuedDate: values['issued-date'] } : {}),
    ...(values.priority ? { priority: Number(values.priority) } : {}),
  });
  if (!metadata.success) throw usageError(metadata.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const files = await Promise.all(
    positionals.map(async (file, i) => ({ bytes: await readInput(file), name: path.basename(file), role: i === 0 ? ('main' as const) : ('attachment' as const) })),
  );

  const { client, logout } = await connect(values);
  const { store, dispose } = storeFor(values.data);
  try {
    const serverKey = await client.serverKey();
    const sender = client.agency?.organId ?? (await client.login()).organId;
    const messageId = givenId ?? (values.again ? uuidV7() : sendMessageId({ sender, fileSha256s: files.map((f) => createHash('sha256').update(f.bytes).digest('hex')), recipients }));
    const result = await sendMessage(client, serverKey, { messageId: messageId.toLowerCase(), recipients, metadata: metadata.data, files }, store.db);
    const { receipt } = result.receipt;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ok: true, messageId: receipt.messageId, uploadedBytes: result.uploadedBytes, skippedFiles: result.skippedFiles, receipt: result.receipt, warnings: result.warnings }, null, 2)}\n`);
    } else {
      process.stdout.write(`Đã gửi / sent: ${receipt.messageId} → ${receipt.recipients.join(', ')} (${receipt.acceptedAt})\n`);
      process.stdout.write(`Biên nhận đã kiểm tra / receipt verified: server key ${receipt.serverKeyId.slice(0, 16)}…\n`);
      for (const warning of result.warnings) process.stdout.write(`Lưu ý / warning: ${warning.messageVi} / ${warning.messageEn}\n`);
    }
    return EXIT_OK;
  } finally {
    dispose();
    await logout();
  }
}
