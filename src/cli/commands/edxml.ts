// `vanthu edxml export ID -o FILE`, `vanthu edxml import FILE` and `vanthu edxml show FILE`: a message on the server to and from an edXML (QCVN 102:2016) package, and what a package holds.
import { stat } from 'node:fs/promises';
import { describePackage, parseAnyEdxml, signEnveloped, summaryText, xmlKeyFromSigner, type XmlSignatureAlgorithm } from '../../core/edxml/index.js';
import { chooseCertificate, unlockCertificate } from '../../core/signing/index.js';
import { trustStoreFrom } from '../../core/trust/index.js';
import { exportMessage, exportStatus, importEdxml, openServerDatabase, Poker, resolveConfig, SubmissionRefused } from '../../server/index.js';
import { VanthuError, isVanthuError } from '../../shared/errors.js';
import { readInput, writeAtomically } from '../files.js';
import { readPinFromStdin } from '../pin.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommand, printError, usageError } from '../output.js';
import { databaseUrlOf, receiptKeyFor } from './server-options.js';
import { usageOf } from '../usage.js';

const EXPORT = usageOf('edxml export');

/** The package signed on the token when --sign is given; the PIN is read from standard input and not kept. */
async function signedIfAsked(bytes: Uint8Array, values: { sign?: boolean; module?: string; token?: string; cert?: string; 'pin-stdin'?: boolean; algorithm?: string }): Promise<Uint8Array> {
  if (!values.sign) return bytes;
  if (!values.module) throw usageError('--sign needs --module PATH');
  if (!values['pin-stdin']) throw usageError('--sign needs --pin-stdin: the PIN is read from standard input, never from the command line');
  const algorithm = (values.algorithm ?? 'rsa-sha256') as XmlSignatureAlgorithm;
  if (algorithm !== 'rsa-sha256' && algorithm !== 'rsa-sha1') throw usageError(`--algorithm ${values.algorithm}: rsa-sha256 or rsa-sha1`);
  const choice = await chooseCertificate({ module: values.module, token: values.token, cert: values.cert });
  try {
    const key = await unlockCertificate(choice, await readPinFromStdin());
    if (key.keyType !== 'rsa') throw usageError('XML signatures for the axis need an RSA key / cần khóa RSA');
    const signed = await signEnveloped(Buffer.from(bytes).toString('utf8'), xmlKeyFromSigner(key.signer, key.certificate), algorithm);
    return new Uint8Array(Buffer.from(signed, 'utf8'));
  } finally {
    await choice.session.logout().catch(() => undefined);
  }
}
const IMPORT = usageOf('edxml import');

const SHOW = usageOf('edxml show');

/** A package larger than this is refused before it is read (a hundred 100 MB files in base64 would not fit anyway). */
const MAX_PACKAGE_BYTES = 512 * 1024 * 1024;

export async function edxmlExport(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'status-of': { type: 'string' },
      sign: { type: 'boolean', default: false },
      module: { type: 'string' },
      token: { type: 'string' },
      cert: { type: 'string' },
      'pin-stdin': { type: 'boolean', default: false },
      algorithm: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  }, EXPORT);
  if (positionals.length !== 1 || !values.output) throw usageError(EXPORT);
  const id = positionals[0]!.toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) throw usageError(`MESSAGE_ID must be a UUID, got "${positionals[0]}"\n${EXPORT}`);
  const database = await openServerDatabase(databaseUrlOf(values.db));
  try {
    const statusOf = values['status-of'];
    if (statusOf !== undefined) {
      const exported = await exportStatus(database.db, id, statusOf);
      const bytes = await signedIfAsked(exported.bytes, values);
      const code = exported.code;
      await writeAtomically(values.output, bytes);
      process.stdout.write(values.json ? `${JSON.stringify({ ok: true, messageId: id, file: values.output, bytes: bytes.length, status: code })}\n` : `Đã xuất trạng thái / exported status ${code} of ${statusOf} on ${id} → ${values.output}\n`);
      return EXIT_OK;
    }
    const exported = await exportMessage(database.db, id);
    const bytes = await signedIfAsked(exported.bytes, values);
    const files = exported.files;
    await writeAtomically(values.output, bytes);
    process.stdout.write(values.json ? `${JSON.stringify({ ok: true, messageId: id, file: values.output, bytes: bytes.length, attachments: files })}\n` : `Đã xuất / exported ${id} → ${values.output} (${files} tệp đính kèm / attachments, ${bytes.length} bytes)\n`);
    return EXIT_OK;
  } finally {
    await database.close();
  }
}

export async function edxmlShow(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } }, strict: true }, SHOW);
  if (positionals.length !== 1) throw usageError(SHOW);
  const file = positionals[0]!;
  const size = await stat(file).then((s) => s.size, () => undefined);
  if (size === undefined) throw new VanthuError('BAD_INPUT', { detail: `cannot read ${file} / không đọc được tệp` });
  if (size > MAX_PACKAGE_BYTES) throw new VanthuError('EDXML_TOO_LARGE', { size, limit: MAX_PACKAGE_BYTES });
  try {
    const summary = describePackage(parseAnyEdxml(await readInput(file), { maxBytes: MAX_PACKAGE_BYTES }));
    process.stdout.write(values.json ? `${JSON.stringify({ ok: true, file, ...summary }, null, 2)}\n` : `${summaryText(summary)}\n`);
    return summary.signature.result === 'invalid' ? EXIT_FAILED : EXIT_OK;
  } catch (error) {
    return refusal(error, values.json);
  }
}

export async function edxmlImport(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      trust: { type: 'string', multiple: true },
      'no-bundled-trust': { type: 'boolean', default: false },
      'receipt-key': { type: 'string' },
      offline: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  }, IMPORT);
  if (positionals.length !== 1) throw usageError(IMPORT);
  const file = positionals[0]!;
  const size = await stat(file).then((s) => s.size, () => undefined);
  if (size === undefined) throw new VanthuError('BAD_INPUT', { detail: `cannot read ${file} / không đọc được tệp` });
  if (size > MAX_PACKAGE_BYTES) throw new VanthuError('EDXML_TOO_LARGE', { size, limit: MAX_PACKAGE_BYTES });
  const bytes = await readInput(file);
  const url = databaseUrlOf(values.db);
  const receiptKey = receiptKeyFor(url, values['receipt-key']);
  const trust = await trustStoreFrom({ pemOrDerFiles: values.trust ?? [], includeBundled: !values['no-bundled-trust'] });
  if (trust.roots.length === 0) throw usageError('no trust roots / không có chứng thư gốc tin cậy');
  const database = await openServerDatabase(url);
  try {
    const config = resolveConfig({ database, trust, receiptKey, origin: 'urn:vanthu:edxml-import', revocation: { online: !values.offline, requireKnown: !values.offline } });
    const result = await importEdxml(config, bytes, { maxBytes: MAX_PACKAGE_BYTES });
    if (result.kind === 'status') {
      const event = result.events[0];
      process.stdout.write(
        values.json
          ? `${JSON.stringify({ ok: true, kind: 'status', created: result.created, messageId: result.messageId, events: result.events }, null, 2)}\n`
          : `${result.created ? 'Đã nhận trạng thái / status imported' : 'Đã có từ trước / already imported'}: ${event?.code ?? '—'} ${event?.recipient ?? ''} → ${result.messageId}\n`,
      );
      return EXIT_OK;
    }
    if (result.state === 'pending') {
      // Held, not refused: a signature's revocation could not be checked yet; the running server re-checks it and delivers it once valid.
      process.stdout.write(
        values.json
          ? `${JSON.stringify({ ok: true, kind: 'document', state: 'pending', messageId: result.messageId, envelope: result.envelope, reasons: result.reasons, retryAfterSeconds: result.retryAfterSeconds }, null, 2)}\n`
          : `Đang chờ kiểm tra lại / held for a re-check: ${result.messageId} (${result.reasons.map((r) => r.messageVi).join('; ')})\n`,
      );
      return EXIT_OK;
    }
    if (result.created && !result.poked) {
      // A running server in another process hears of it through PostgreSQL (there the accepting statement poked it
      // already); with SQLite its clients find it at their next poll.
      const poker = await Poker.start(database);
      await poker.notify(result.receipt.receipt.recipients, 'inbox');
      await poker.close();
    }
    const { receipt } = result.receipt;
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ ok: true, kind: 'document', created: result.created, messageId: result.messageId, envelope: result.envelope, receipt: result.receipt }, null, 2)}\n`
        : `${result.created ? 'Đã nhận / imported' : 'Đã có từ trước / already imported'}: ${result.messageId} ${receipt.sender} → ${receipt.recipients.join(', ')} (${result.envelope.files.length} tệp / files)\n`,
    );
    return EXIT_OK;
  } catch (error) {
    return refusal(error, values.json);
  } finally {
    await database.close();
  }
}

/** A bad package is bad input (2); a package whose documents fail the checks is refused (1) with every reason. */
function refusal(error: unknown, json: boolean): number {
  if (error instanceof SubmissionRefused) {
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: error.toJSON(), reasons: error.reasons }, null, 2)}\n`);
    else process.stderr.write(`vanthu: ${error.bilingual}\n${error.reasons.map((r) => `  - ${r.messageVi}\n    ${r.messageEn}\n`).join('')}`);
    return EXIT_FAILED;
  }
  if (isVanthuError(error) && error.code.startsWith('EDXML_')) {
    printError(error, json);
    return EXIT_USAGE;
  }
  throw error;
}
