// `vanthu register print|export outgoing|incoming (--year YYYY | --from DATE --to DATE) -o OUT [--data DIR]`: a register on A4 landscape PDF or as .xlsx.
import { existsSync } from 'node:fs';
import { exportRegister, printRegister, readRegister, type RegisterKind, type RegisterPeriod } from '../../core/registers/index.js';
import { databaseFile, open } from '../../core/store/index.js';
import { VanthuError } from '../../shared/errors.js';
import { parseVietnamDate } from '../../shared/vietnam-date.js';
import { writeAtomically } from '../files.js';
import { EXIT_OK, parseCommand, usageError } from '../output.js';
import { usageOf } from '../usage.js';
import { defaultDataDir } from './inbox-data-dir.js';

const KINDS: Readonly<Record<string, RegisterKind>> = { outgoing: 'outgoing', incoming: 'incoming', di: 'outgoing', den: 'incoming', 'đi': 'outgoing', 'đến': 'incoming' };

/** dd/MM/yyyy as officials write it, or yyyy-MM-dd. */
function dateOption(text: string, name: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseVietnamDate(text.split('-').reverse().join('/')) : parseVietnamDate(text);
  if (iso === null) throw new VanthuError('BAD_INPUT', { detail: `--${name} ${text}: không phải ngày dd/MM/yyyy / not a date` });
  return iso;
}

function periodOf(values: { year?: string | undefined; from?: string | undefined; to?: string | undefined }, usage: string): RegisterPeriod {
  if (values.year !== undefined) {
    if (values.from !== undefined || values.to !== undefined) throw usageError(`--year hoặc --from/--to, không cả hai / either --year or --from/--to\n${usage}`);
    if (!/^\d{4}$/.test(values.year)) throw new VanthuError('BAD_INPUT', { detail: `--year ${values.year}: năm bốn chữ số / a four-digit year` });
    return { year: Number(values.year) };
  }
  if (values.from === undefined || values.to === undefined) throw usageError(`cần --year, hoặc --from và --to / --year, or --from and --to, are needed\n${usage}`);
  return { from: dateOption(values.from, 'from'), to: dateOption(values.to, 'to') };
}

async function run(format: 'pdf' | 'xlsx', argv: string[]): Promise<number> {
  const usage = usageOf(format === 'pdf' ? 'register print' : 'register export');
  const { values, positionals } = parseCommand(
    {
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        year: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        data: { type: 'string' },
        'organ-id': { type: 'string' },
        agency: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    },
    usage,
  );
  const kind = positionals.length === 1 ? KINDS[positionals[0]!.toLowerCase()] : undefined;
  if (kind === undefined || !values.out) throw usageError(usage);
  const period = periodOf(values, usage);
  const dataDir = values.data ?? defaultDataDir();
  // Reading a register never creates a store where there was none.
  if (!existsSync(databaseFile(dataDir))) throw new VanthuError('BAD_INPUT', { detail: `${dataDir}: không có kho dữ liệu / no document store here` });
  const store = open(dataDir);
  let sheet;
  try {
    sheet = readRegister(store.db, kind, { ...period, ...(values['organ-id'] ? { organId: values['organ-id'] } : {}), ...(values.agency ? { agencyName: values.agency } : {}) });
  } finally {
    store.close();
  }
  const bytes = format === 'pdf' ? await printRegister(sheet) : await exportRegister(sheet);
  await writeAtomically(values.out, bytes);
  if (values.json) process.stdout.write(`${JSON.stringify({ ok: true, out: values.out, kind, from: sheet.from, to: sheet.to, rows: sheet.rows.length, bytes: bytes.length })}\n`);
  else process.stdout.write(`Đã ghi / written: ${values.out} — ${sheet.title}, ${sheet.periodLabel}: ${sheet.rows.length} văn bản / documents\n`);
  return EXIT_OK;
}

export const registerPrint = (argv: string[]): Promise<number> => run('pdf', argv);
export const registerExport = (argv: string[]): Promise<number> => run('xlsx', argv);
