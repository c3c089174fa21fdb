// `vanthu server agency add|list|remove [--db …]`: the agency directory and its certificate bindings.
import { addAgency, addCertificateRule, getAgency, listAgencies, openServerDatabase, removeAgency, type AgencyRecord } from '../../server/index.js';
import { isVanthuError, type ErrorCode } from '../../shared/errors.js';
import { EXIT_OK, EXIT_USAGE, printError, usageError, parseCommand } from '../output.js';
import { databaseUrlOf, readCertificateFile } from './server-options.js';
import { usageOf } from '../usage.js';

/** Refusals that mean the administrator typed something wrong (exit 2), not that the operation failed. */
const INPUT_ERRORS = new Set<ErrorCode>(['SERVER_ORGAN_ID_INVALID', 'CERT_PARSE_FAILED', 'SERVER_DATABASE_URL_INVALID']);

function parse(argv: string[], usage: string) {
  return parseCommand({
    args: argv,
    options: {
      db: { type: 'string' },
      'organ-id': { type: 'string' },
      name: { type: 'string' },
      parent: { type: 'string' },
      cert: { type: 'string', multiple: true },
      'person-cert': { type: 'string', multiple: true },
      'issuer-cert': { type: 'string' },
      subject: { type: 'string' },
      role: { type: 'string', default: 'agency' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  }, usage).values;
}

async function withDatabase(url: string, json: boolean, work: (db: Awaited<ReturnType<typeof openServerDatabase>>) => Promise<number>): Promise<number> {
  const database = await openServerDatabase(url);
  try {
    return await work(database);
  } catch (error) {
    if (isVanthuError(error) && INPUT_ERRORS.has(error.code)) {
      printError(error, json);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await database.close();
  }
}

const render = (a: AgencyRecord): string =>
  `${a.organId}  ${a.name}${a.parent ? `  (thuộc / under ${a.parent})` : ''}\n${a.certificates.map((c) => `    ${c.role}: ${c.subject} — sha256 ${c.sha256} — hết hạn / expires ${c.notAfter}\n`).join('')}${a.rules.map((r) => `    ${r.role} (quy tắc / rule): ${r.subject} cấp bởi / issued by ${r.issuer}\n`).join('')}`;

const ADD = usageOf('server agency add');

export async function serverAgencyAdd(argv: string[]): Promise<number> {
  const values = parse(argv, ADD);
  if (!values['organ-id'] || !values.name) throw usageError(ADD);
  const certificates = (await Promise.all((values.cert ?? []).map(readCertificateFile))).flat();
  const personCertificates = (await Promise.all((values['person-cert'] ?? []).map(readCertificateFile))).flat();
  return withDatabase(databaseUrlOf(values.db), values.json, async ({ db }) => {
    const agency = await addAgency(db, { organId: values['organ-id']!, name: values.name!, parent: values.parent, certificates, personCertificates });
    process.stdout.write(values.json ? `${JSON.stringify({ ok: true, agency }, null, 2)}\n` : `Đã thêm / added: ${render(agency)}`);
    return EXIT_OK;
  });
}

export async function serverAgencyList(argv: string[]): Promise<number> {
  const values = parse(argv, 'vanthu server agency list [--db …] [--json]');
  return withDatabase(databaseUrlOf(values.db), values.json, async ({ db }) => {
    const agencies = await listAgencies(db);
    process.stdout.write(values.json ? `${JSON.stringify({ ok: true, agencies }, null, 2)}\n` : agencies.map(render).join('') || '(trống / empty)\n');
    return EXIT_OK;
  });
}

export async function serverAgencyRemove(argv: string[]): Promise<number> {
  const usage = 'vanthu server agency remove [--db …] --organ-id ID [--json]';
  const values = parse(argv, usage);
  if (!values['organ-id']) throw usageError(usage);
  return withDatabase(databaseUrlOf(values.db), values.json, async ({ db }) => {
    await removeAgency(db, values['organ-id']!);
    process.stdout.write(values.json ? `${JSON.stringify({ ok: true, removed: values['organ-id'] })}\n` : `Đã xóa / removed ${values['organ-id']}\n`);
    return EXIT_OK;
  });
}

const BIND = usageOf('server agency bind');

/** Recognise an agency's (renewed) certificates by issuing CA and a subject attribute instead of one binding per certificate. */
export async function serverAgencyBind(argv: string[]): Promise<number> {
  const values = parse(argv, BIND);
  if (!values['organ-id'] || !values['issuer-cert'] || !values.subject || (values.role !== 'agency' && values.role !== 'person')) throw usageError(BIND);
  const [issuer] = await readCertificateFile(values['issuer-cert']);
  return withDatabase(databaseUrlOf(values.db), values.json, async ({ db }) => {
    await addCertificateRule(db, { organId: values['organ-id']!, role: values.role as 'agency' | 'person', issuerCertificate: issuer!, subject: values.subject! });
    const agency = (await getAgency(db, values['organ-id']!))!;
    process.stdout.write(values.json ? `${JSON.stringify({ ok: true, agency }, null, 2)}\n` : `Đã thêm quy tắc / rule added: ${render(agency)}`);
    return EXIT_OK;
  });
}
