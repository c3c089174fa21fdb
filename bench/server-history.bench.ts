// Exchange server requests on a database holding a year of traffic against the same requests on an empty one (SQLite and PostgreSQL):
// a status reply and its replay, the recipient taking in a page of its inbox, the sender's status feed, and a submission's lookups, each the median time of
// BENCH_HISTORY_OPS requests over HTTP (inject, no network). Aim: no request slower than 2× with the history than without (what each
// asks of a growing table comes from an index). BENCH_HISTORY_MESSAGES: messages of history (each with its delivery and an 01).
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { trustStoreFrom } from '../src/core/trust/index.js';
import { buildServer, ephemeralReceiptKey, openServerDatabase, type ServerDatabase } from '../src/server/index.js';
import { issueSession } from '../src/server/auth/sessions.js';
import type { ServerSchema } from '../src/server/db/schema.js';
import { submissionLookupQuery } from '../src/server/messages/submit.js';
import { dialectsFrom, freshDatabaseUrl, type DatabaseDialect } from '../tests/kit/fresh-database.js';
import { loadLine, quantile } from './kit/bench-pki.js';

const HISTORY = Number(process.env.BENCH_HISTORY_MESSAGES ?? 200_000);
const OPS = Number(process.env.BENCH_HISTORY_OPS ?? 300);
/** Inbox items read and acked per request. */
const PAGE = 10;
const DIALECTS = dialectsFrom(process.env.BENCH_HISTORY_DIALECTS ?? 'sqlite,postgres', 'BENCH_HISTORY_DIALECTS');
const PG_ADMIN = process.env.BENCH_PG_ADMIN ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const AIM = 2;
const CAO_BANG = '000.00.00.H14';
const NOI_VU = '000.00.01.H14';
const work = path.resolve(`.tmp/bench-history-${process.pid}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

console.log(`server-history: requests on an empty database and on one holding ${HISTORY.toLocaleString('en')} messages (each delivered, acked and answered 01), median of ${OPS} each, Node ${process.version}`);
console.log(`before: ${loadLine()}\n`);

/** Messages `from`..`to` (exclusive) of Cao Bằng to Sở Nội vụ in one statement each table; `answered`: delivered, acked, 01 given. */
async function addMessages(db: Kysely<ServerSchema>, dialect: DatabaseDialect, from: number, to: number, answered: boolean): Promise<void> {
  if (to <= from) return;
  // Ids and event ids shaped like UUIDs, numbered; the envelope carries a number and ký hiệu like a real one.
  const series = dialect === 'postgres' ? sql`select i from generate_series(${sql.lit(from)}, ${sql.lit(to - 1)}) as s(i)` : sql`with recursive n(i) as (select ${sql.lit(from)} union all select i + 1 from n where i + 1 < ${sql.lit(to)}) select i from n`;
  const id = dialect === 'postgres' ? sql`'00000000-0000-4000-8000-' || lpad(i::text, 12, '0')` : sql`printf('00000000-0000-4000-8000-%012d', i)`;
  const eventId = dialect === 'postgres' ? sql`'00000000-0000-4000-9000-' || lpad(i::text, 12, '0')` : sql`printf('00000000-0000-4000-9000-%012d', i)`;
  const envelope = dialect === 'postgres'
    ? sql`json_build_object('type', 'new', 'metadata', json_build_object('codeNumber', i::text, 'codeNotation', 'UBND-VP', 'issuedDate', '2026-01-05'))::text`
    : sql`json_object('type', 'new', 'metadata', json_object('codeNumber', cast(i as text), 'codeNotation', 'UBND-VP', 'issuedDate', '2026-01-05'))`;
  // Literals, not parameters: PostgreSQL cannot type a parameter that only a SELECT list holds.
  const at = sql.lit('2026-01-05T01:00:00.000Z');
  const none = sql.lit(null);
  await sql`insert into messages (id, sender, type, in_reply_to, envelope, envelope_sha256, receipt, created_at) select ${id}, ${sql.lit(CAO_BANG)}, 'new', null, ${envelope}, 'e', '{}', ${at} from (${series}) as s`.execute(db);
  await sql`insert into deliveries (message_id, recipient, status, status_before_recall, first_delivered_at, delivery_count, acked_at) select ${id}, ${sql.lit(NOI_VU)}, ${answered ? sql.lit('01') : none}, null, ${answered ? at : none}, ${sql.lit(answered ? 1 : 0)}, ${answered ? at : none} from (${series}) as s`.execute(db);
  if (answered) await sql`insert into status_events (event_id, message_id, sender, recipient, by_organ, code, reason, created_at) select ${eventId}, ${id}, ${sql.lit(CAO_BANG)}, ${sql.lit(NOI_VU)}, ${sql.lit(NOI_VU)}, '01', null, ${at} from (${series}) as s`.execute(db);
}

async function agencyToken(db: Kysely<ServerSchema>, organId: string, name: string): Promise<string> {
  const certSha256 = createHash('sha256').update(organId).digest('hex');
  const now = new Date().toISOString();
  await db.insertInto('agencies').values({ organ_id: organId, name, parent: null, created_at: now }).execute();
  await db.insertInto('certificate_bindings').values({ cert_sha256: certSha256, organ_id: organId, role: 'agency', subject: `CN=${name}`, not_after: '2030-01-01T00:00:00.000Z', created_at: now }).execute();
  return (await issueSession(db, { organId, certSha256 }, new Date(), 86_400)).token;
}

type Timings = Map<string, number>;

async function measure(dialect: DatabaseDialect, history: number): Promise<Timings> {
  const { url, drop } = await freshDatabaseUrl(dialect, { adminUrl: PG_ADMIN, under: work });
  let database: ServerDatabase | undefined;
  const timings: Timings = new Map();
  try {
    database = await openServerDatabase(url);
    const { db } = database;
    const sender = await agencyToken(db, CAO_BANG, 'UBND tỉnh Cao Bằng');
    const recipient = await agencyToken(db, NOI_VU, 'Sở Nội vụ tỉnh Cao Bằng');
    const filled = performance.now();
    for (let at = 0; at < history; at += 50_000) await addMessages(db, dialect, at, Math.min(history, at + 50_000), true);
    // The ones the timed requests answer and take in: delivered, not yet acked nor answered.
    await addMessages(db, dialect, history, history + (OPS + 10) * PAGE, false);
    if (dialect === 'postgres') await sql`analyze`.execute(db);
    if (history > 0) console.log(`  ${dialect}: history written in ${((performance.now() - filled) / 1000).toFixed(1)} s`);
    const app = await buildServer({ database, trust: await trustStoreFrom({}), origin: 'https://exchange.caobang.test', receiptKey: ephemeralReceiptKey(), limits: { requestsPerMinute: 10_000_000 }, logger: false });
    const auth = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
    const ids = Array.from({ length: OPS }, (_, i) => `00000000-0000-4000-8000-${String(history + i).padStart(12, '0')}`);
    const eventIds = ids.map(() => randomUUID());
    // Warm-up requests answer on messages of their own (a reply is new only once); the median hides the first slow ones too.
    const timed = async (name: string, request: (i: number) => Promise<{ statusCode: number; body: string }>, expected: number, warmUp = true): Promise<void> => {
      for (let i = 0; warmUp && i < Math.min(10, OPS); i++) await request(i);
      const samples: number[] = [];
      for (let i = 0; i < OPS; i++) {
        const began = performance.now();
        const response = await request(i);
        samples.push(performance.now() - began);
        if (response.statusCode !== expected) throw new Error(`${name}: ${response.statusCode} ${response.body}`);
      }
      timings.set(name, quantile(samples, 0.5));
    };
    const reply = (i: number) => app.inject({ method: 'POST', url: `/v1/messages/${ids[i]}/status`, headers: auth(recipient), payload: { code: '01', eventId: eventIds[i] } });
    await timed('status reply 01 (new)', reply, 201, false);
    await timed('the same reply again (idempotent)', reply, 200);
    // As a client takes its inbox in: a page read, then acked (a page read again and again, never acked, would only
    // measure PostgreSQL's dead row versions of the same rows).
    await timed(`inbox page of ${PAGE} read and acked`, async () => {
      const page = await app.inject({ method: 'GET', url: `/v1/inbox?limit=${PAGE}`, headers: auth(recipient) });
      const messageIds = page.json<{ items: { messageId: string }[] }>().items.map((item) => item.messageId);
      if (messageIds.length !== PAGE) throw new Error(`inbox: ${messageIds.length} items, ${PAGE} expected`);
      return app.inject({ method: 'POST', url: '/v1/inbox/ack', headers: auth(recipient), payload: { messageIds } });
    }, 200);
    const lastSeq = Number((await db.selectFrom('status_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow()).seq ?? 0);
    await timed('status feed after the latest', () => app.inject({ method: 'GET', url: `/v1/status-feed?cursor=${lastSeq}`, headers: auth(sender) }), 200);
    await timed('submission lookup (one statement)', async () => {
      await submissionLookupQuery(db, randomUUID(), CAO_BANG, [NOI_VU], true).execute();
      return { statusCode: 200, body: '' };
    }, 200);
    await app.close();
  } finally {
    await database?.close();
    await drop();
  }
  return timings;
}

const verdicts: string[] = [];
for (const dialect of DIALECTS) {
  const empty = await measure(dialect, 0);
  const grown = await measure(dialect, HISTORY);
  console.log(`${dialect}:`);
  for (const [name, ms] of empty) {
    const withHistory = grown.get(name)!;
    const ratio = withHistory / ms;
    console.log(`  ${name.padEnd(38)} empty ${(ms * 1000).toFixed(0).padStart(6)} µs   with history ${(withHistory * 1000).toFixed(0).padStart(8)} µs   ${ratio.toFixed(2)}×`);
    if (ratio > AIM) verdicts.push(`${dialect}: ${name} ${ratio.toFixed(1)}×`);
  }
}
console.log(`\naim: every request within ${AIM}× of the empty database's time: ${verdicts.length === 0 ? 'met' : `NOT met (${verdicts.join('; ')})`}`);
console.log(`after: ${loadLine()}`);
rmSync(work, { recursive: true, force: true });
