// `vanthu sign IN.pdf -o OUT.pdf …` and `vanthu sign --batch IN_DIR --out OUT_DIR …`: PAdES signing on the token, one PIN.
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { chooseCertificate, decree30Widget, signPdfToFile, unlockCertificate, type CopyType, type Decree30Appearance, type PdfSigningKey, type SigningLevel } from '../../core/signing/index.js';
import { chainToEmbed, checkCertificateForSigning, trustStoreFrom, type TrustProblem, type TrustStore } from '../../core/trust/index.js';
import { VanthuError, isVanthuError } from '../../shared/errors.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, usageError, parseCommand } from '../output.js';
import { readInput } from '../files.js';
import { readPinFromStdin } from '../pin.js';
import { defaultCacheDir } from '../cache-dir.js';
import { usageOf } from '../usage.js';


/** Per-file errors that mean the input file itself is unusable. */
const INPUT_ERRORS = new Set(['PDF_INVALID', 'PDF_ENCRYPTED', 'BAD_INPUT', 'PDF_CERTIFIED_NO_CHANGES']);

const APPEARANCES = ['none', 'leader', 'seal', 'attachment', 'copy'] as const;
const LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const;

const USAGE = usageOf('sign');

function parse(argv: string[]) {
  return parseCommand({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      batch: { type: 'string' },
      out: { type: 'string' },
      module: { type: 'string' },
      token: { type: 'string' },
      cert: { type: 'string' },
      'pin-stdin': { type: 'boolean', default: false },
      level: { type: 'string', default: 'B-B' },
      tsa: { type: 'string' },
      'tsa-timeout': { type: 'string' },
      appearance: { type: 'string', default: 'none' },
      image: { type: 'string' },
      page: { type: 'string' },
      rect: { type: 'string' },
      reason: { type: 'string' },
      location: { type: 'string' },
      notation: { type: 'string' },
      'copy-type': { type: 'string' },
      over: { type: 'string' },
      'seal-size': { type: 'string' },
      number: { type: 'string' },
      date: { type: 'string' },
      chain: { type: 'string', multiple: true },
      trust: { type: 'string', multiple: true },
      offline: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
}

const parseRect = (text: string): [number, number, number, number] => {
  const numbers = text.split(',').map(Number);
  if (numbers.length !== 4 || numbers.some((n) => !Number.isFinite(n)) || numbers[2]! <= 0 || numbers[3]! <= 0) {
    throw usageError(`--rect must be x,y,width,height in points, got "${text}"`);
  }
  return numbers as [number, number, number, number];
};

interface FileResult {
  input: string;
  output: string;
  ok: boolean;
  fieldName?: string;
  level?: SigningLevel;
  /** Asked-for level not reached yet: the file is signed and written, the upgrade is still to do. */
  pending?: { level: SigningLevel; reason: { code: string; messageVi: string; messageEn: string } };
  error?: { code: string; messageVi: string; messageEn: string };
}

export async function sign(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (!values.module) throw usageError('--module PATH is required');
  if (!values['pin-stdin']) throw usageError('--pin-stdin is required: the PIN is read from standard input, never from the command line');
  if (!APPEARANCES.includes(values.appearance as Decree30Appearance)) throw usageError(`--appearance must be one of ${APPEARANCES.join(', ')}`);
  if (!LEVELS.includes(values.level as SigningLevel)) throw usageError(`--level must be one of ${LEVELS.join(', ')}`);
  if (values.level !== 'B-B' && !values.tsa) throw usageError(`--level ${values.level} needs --tsa URL`);

  let jobs: { input: string; output: string }[];
  if (values.batch) {
    if (!values.out) throw usageError('--batch needs --out OUT_DIR');
    const names = (await readdir(values.batch).catch(() => [])).filter((n) => n.toLowerCase().endsWith('.pdf')).sort();
    if (names.length === 0) throw usageError(`no PDF files in ${values.batch}`);
    await mkdir(values.out, { recursive: true });
    jobs = names.map((name) => ({ input: path.join(values.batch!, name), output: path.join(values.out!, name) }));
  } else {
    const [input] = positionals;
    if (!input || positionals.length !== 1) throw usageError(`one input PDF is needed\n${USAGE}`);
    if (!values.output) throw usageError('-o OUT.pdf is required');
    jobs = [{ input, output: values.output }];
  }
  const image = values.image ? await readInput(values.image) : undefined;
  const rect = values.rect ? parseRect(values.rect) : undefined;
  const page = values.page ? Number(values.page) : undefined;
  if (page !== undefined && (!Number.isInteger(page) || page < 1)) throw usageError('--page must be a page number from 1');
  const sealDiameterMm = values['seal-size'] ? Number(values['seal-size']) : undefined;
  if (sealDiameterMm !== undefined && !(sealDiameterMm > 0 && sealDiameterMm < 200)) throw usageError('--seal-size must be the seal diameter in millimetres');
  // One outgoing number belongs to one document.
  if ((values.number || values.date) && values.batch) throw usageError('--number and --date go with one document, not --batch');
  if ((values.number || values.date) && values.appearance !== 'seal') throw usageError('--number and --date are written by the seal signature: add --appearance seal');

  // B-LT/B-LTA gather chains and revocation answers that must end at a root the user trusts.
  const trust = await trustStoreFrom({ pemOrDerFiles: values.trust ?? [], includeBundled: true });
  // Everything knowable without the PIN is checked before it is asked for.
  const choice = await chooseCertificate({ module: values.module, token: values.token, cert: values.cert, chainFiles: values.chain });
  // Validators need the intermediate CAs inside the signature: add those the token lacks (bundle, AIA; cached).
  choice.chain = await chainToEmbed(choice.der, choice.chain, trust, { online: !values.offline, timeoutMs: 5_000, cacheDir: defaultCacheDir() });
  const check = await checkCertificateForSigning(choice.der, choice.chain, trust, { online: !values.offline, timeoutMs: 5_000 });
  const subject = choice.certificate.certificate.subject.commonName ?? choice.certificate.label;
  if (!check.ok) {
    throw new VanthuError('SIGNING_CERTIFICATE_REFUSED', { subject, detail: check.errors.map((e) => e.messageEn).join('; ') });
  }
  for (const warning of check.warnings) process.stderr.write(`Cảnh báo / warning: ${warning.messageVi}\n  ${warning.messageEn}\n`);
  const pin = await readPinFromStdin();
  const key = await unlockCertificate(choice, pin);
  const session = choice.session;
  const results: FileResult[] = [];
  try {
    const signerName = choice.certificate.certificate.subject.commonName;
    for (const job of jobs) results.push(await signOne(job, key, values, { image, rect, page, signerName, sealDiameterMm }, trust));
  } finally {
    await session.logout().catch(() => undefined);
  }
  report(results, values.json, check.warnings);
  return exitCodeOf(results);
}

/** Bad input files (not a PDF, encrypted) make exit 2; any other failure or pending level exit 1. */
function exitCodeOf(results: FileResult[]): number {
  if (results.some((r) => r.error && INPUT_ERRORS.has(r.error.code))) return EXIT_USAGE;
  return results.every((r) => r.ok) ? EXIT_OK : EXIT_FAILED;
}

async function signOne(
  job: { input: string; output: string },
  key: PdfSigningKey,
  options: ReturnType<typeof parse>['values'],
  placement: { image?: Uint8Array; rect?: [number, number, number, number]; page?: number; signerName?: string; sealDiameterMm?: number },
  trust: TrustStore,
): Promise<FileResult> {
  try {
    const pdf = await readInput(job.input);
    const signingTime = new Date();
    const widget = await decree30Widget(pdf, {
      appearance: options.appearance as Decree30Appearance,
      ...placement,
      signingTime,
      documentNotation: options.notation,
      copyType: options['copy-type'] as CopyType | undefined,
      copyingAgency: undefined,
      over: options.over,
      issuing: options.number || options.date ? { number: options.number, date: options.date } : undefined,
    });
    // Written to the output as it is made (original, then update, then the signature patched in): the file is held once.
    const signed = await signPdfToFile(pdf, job.output, key, {
      level: options.level as SigningLevel,
      tsaUrl: options.tsa,
      tsaTimeoutMs: options['tsa-timeout'] ? Number(options['tsa-timeout']) * 1000 : undefined,
      trust,
      widget,
      reason: options.reason,
      location: options.location,
      signingTime,
    });
    return { ...job, ok: signed.pending === undefined, fieldName: signed.fieldName, level: signed.level, pending: signed.pending };
  } catch (error) {
    // A token problem (removed, locked) stops the batch; a bad file only fails itself.
    if (isVanthuError(error) && error.code.startsWith('TOKEN_')) throw error;
    const detail = isVanthuError(error)
      ? { code: error.code, messageVi: error.messageVi, messageEn: error.messageEn }
      : { code: 'INTERNAL', messageVi: String(error), messageEn: String(error) };
    return { ...job, ok: false, error: detail };
  }
}

function report(results: FileResult[], json: boolean, warnings: TrustProblem[]): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: results.every((r) => r.ok), warnings, files: results }, null, 2)}\n`);
    return;
  }
  for (const r of results) {
    if (r.level) process.stdout.write(`Đã ký / signed: ${r.input} -> ${r.output} (${r.fieldName}, ${r.level})\n`);
    if (r.pending) {
      process.stderr.write(`Chưa đạt mức ${r.pending.level}, cần nâng cấp sau / ${r.pending.level} not reached yet, upgrade later: ${r.pending.reason.messageVi}\n  ${r.pending.reason.messageEn}\n`);
    } else if (!r.ok) process.stderr.write(`Lỗi / failed: ${r.input}: ${r.error?.messageVi}\n  ${r.error?.messageEn}\n`);
  }
}
