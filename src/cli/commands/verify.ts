// `vanthu verify FILE... [--trust CA.pem ...] [--no-bundled-trust] [--online] [--json] [--lang vi|en] [--report OUT.pdf]`: one report per file and a summary line; exit 0 only when every file is valid.
import { readFile } from 'node:fs/promises';
import { trustStoreFrom } from '../../core/trust/index.js';
import { validatePdf } from '../../core/validation/index.js';
import type { PdfValidationReport } from '../../shared/validation.js';
import { filesSummary, renderReportText, type ReportLanguage } from '../../shared/validation-text.js';
import { defaultCacheDir } from '../cache-dir.js';
import path from 'node:path';
import { readInput, writeAtomically } from '../files.js';
import { EXIT_FAILED, EXIT_OK, usageError, parseCommand } from '../output.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('verify');

/** One file's outcome: its report, or why it could not be read at all. */
export type FileOutcome = { file: string; report: PdfValidationReport } | { file: string; error: { code: string; messageVi: string; messageEn: string } };

const verdictOf = (outcome: FileOutcome) => ('report' in outcome ? outcome.report.verdict : 'unreadable');

export async function verify(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand({
    args: argv,
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true },
      'no-bundled-trust': { type: 'boolean', default: false },
      online: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'vi' },
      'cache-dir': { type: 'string' },
      report: { type: 'string' },
    },
  });
  if (positionals.length === 0) throw usageError(USAGE);
  if (values.report !== undefined && positionals.length !== 1) throw usageError(`--report: một tệp mỗi lần / one file at a time\n${USAGE}`);
  if (values.lang !== 'vi' && values.lang !== 'en') throw usageError(`--lang vi|en (${values.lang})`);
  const language: ReportLanguage = values.lang;
  const trust = await trustStoreFrom({ pemOrDerFiles: values.trust ?? [], includeBundled: !values['no-bundled-trust'] });
  // Intermediates fetched from AIA addresses once online are used again offline.
  const options = { trust, online: values.online, aiaCacheDir: values['cache-dir'] ?? defaultCacheDir() };

  // One file keeps the single-file contract: an unreadable file is a usage-level error (exit 2).
  if (positionals.length === 1) {
    const checkedAt = new Date();
    const report = await validatePdf(await readInput(positionals[0]!), options);
    if (values.report !== undefined) await writeReport(values.report, report, positionals[0]!, checkedAt);
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderReportText(report, language));
    return report.verdict === 'valid' ? EXIT_OK : EXIT_FAILED;
  }

  const outcomes: FileOutcome[] = [];
  for (const file of positionals) {
    let outcome: FileOutcome;
    try {
      const bytes = new Uint8Array(await readFile(file));
      outcome = { file, report: await validatePdf(bytes, options) };
    } catch (error) {
      // An unreadable file is its own entry; the others are still checked.
      const detail = error instanceof Error ? error.message : String(error);
      outcome = { file, error: { code: 'FILE_UNREADABLE', messageVi: 'Không đọc được tệp (không có tệp này hoặc không có quyền đọc).', messageEn: `The file cannot be read: ${detail}` } };
    }
    outcomes.push(outcome);
    if (!values.json) process.stdout.write(`${renderOutcome(outcome, language)}\n`);
  }
  const verdicts = outcomes.map(verdictOf);
  if (values.json) {
    const count = (v: string) => verdicts.filter((x) => x === v).length;
    const summary = { files: outcomes.length, valid: count('valid'), invalid: count('invalid'), indeterminate: count('indeterminate'), unsigned: count('unsigned'), unreadable: count('unreadable'), textVi: filesSummary(verdicts, 'vi'), textEn: filesSummary(verdicts, 'en') };
    process.stdout.write(`${JSON.stringify({ files: outcomes, summary }, null, 2)}\n`);
  } else {
    process.stdout.write(`${filesSummary(verdicts, language)}\n`);
  }
  return verdicts.every((v) => v === 'valid') ? EXIT_OK : EXIT_FAILED;
}

/** The printable report; its module (fonts, the PDF writer) loads only when one is asked for. */
async function writeReport(out: string, report: PdfValidationReport, file: string, checkedAt: Date): Promise<void> {
  const { printVerificationReport } = await import('../../core/registers/verification-report.js');
  await writeAtomically(out, await printVerificationReport(report, { fileName: path.basename(file), checkedAt }));
}

function renderOutcome(outcome: FileOutcome, language: ReportLanguage): string {
  if ('report' in outcome) return renderReportText(outcome.report, language, outcome.file);
  return `${outcome.file}: ${language === 'vi' ? `KHÔNG ĐỌC ĐƯỢC — ${outcome.error.messageVi}` : `UNREADABLE — ${outcome.error.messageEn}`}\n`;
}
