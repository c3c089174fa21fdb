// PostgreSQL connections that keep the server's statements prepared by their text: Kysely sends every query unnamed, which PostgreSQL parses and plans anew each time.
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Statements one connection keeps prepared; the server's distinct statements number well under this (an IN list of another length is another text). */
export const PREPARED_PER_CONNECTION = 256;

type QueryFunction = (...args: unknown[]) => unknown;

/**
 * Whether a statement is prepared once per connection and then only executed. Not:
 * - one without parameters: the driver sends it as a simple query (BEGIN, COMMIT, LISTEN), a round trip either way;
 * - one that selects or returns `*` (`SELECT *`, `t.*`, `RETURNING *`): prepared, it fails ("cached plan must not change
 *   result type") once another server process's migration adds a column; a statement naming its columns is re-planned
 *   silently. `count(*)` is a count, not the table's columns: a `*` right after `(` does not count.
 */
export function worthPreparing(text: string, values: unknown): boolean {
  return Array.isArray(values) && values.length > 0 && !STAR_COLUMNS.test(text);
}

/** A `*` that is not an argument (`count(*)`); a multiplication is caught too, and only means not prepared. */
const STAR_COLUMNS = /(?<!\()\*/;

/** The name a statement is prepared under on every connection: its text's hash (the driver refuses one name for two texts). */
export const preparedName = (text: string): string => `vanthu_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;

/** Texts seen, with their name (null: not worth preparing), shared by the connections: hashing each text on every query cost more than the lookup. */
const namesByText = new Map<string, string | null>();

function nameFor(text: string, values: unknown): string | null {
  let name = namesByText.get(text);
  if (name === undefined) {
    name = worthPreparing(text, values) ? preparedName(text) : null;
    // As many texts as a connection prepares: beyond that, texts are mostly not prepared anyway.
    if (namesByText.size >= PREPARED_PER_CONNECTION) namesByText.delete(namesByText.keys().next().value!);
    namesByText.set(text, name);
  }
  return name;
}

/**
 * Makes `client.query(text, values)` (how Kysely calls it) run a statement worth preparing under its name: the
 * driver parses it on this connection the first time and then sends only its parameters; PostgreSQL plans it once
 * more for each of the first few runs and then reuses a generic plan where that costs no more. Parsing and planning
 * were about a third of PostgreSQL's CPU per submission. After PREPARED_PER_CONNECTION statements a connection
 * prepares no new ones (they run unnamed as before): the server's own statements come first and stay.
 */
export function preparingStatements(client: pg.PoolClient, limit = PREPARED_PER_CONNECTION): void {
  const query = client.query.bind(client) as QueryFunction;
  const prepared = new Set<string>();
  const preparing = (...args: unknown[]): unknown => {
    const [text, values] = args;
    const name = args.length === 2 && typeof text === 'string' ? nameFor(text, values) : null;
    if (name === null) return query(...args);
    if (!prepared.has(name)) {
      if (prepared.size >= limit) return query(...args);
      prepared.add(name);
    }
    return query({ name, text, values });
  };
  client.query = preparing as typeof client.query;
}
