// Kysely queries built and compiled once per database and shape, then run with new values: building and compiling each request's queries anew was about a sixth of the server's main thread.
import { CompiledQuery, type Compilable, type Kysely, type QueryResult, type RawBuilder } from 'kysely';
import type { ServerSchema } from './schema.js';

/** A value bound as a parameter: the query's text never depends on it. */
export type TemplateValue = string | number | Uint8Array | null;
/**
 * What a template is run with. Strings, numbers, bytes and null become parameters; a boolean, an array's length and
 * whether a value is given at all (undefined) decide the query's shape (a built query is kept per shape); an array of
 * values becomes one parameter per element.
 */
export type TemplateArg = TemplateValue | boolean | readonly TemplateValue[] | undefined;
/** An object of TemplateArg values (an interface such as a table's row type qualifies). */
export type TemplateArgs<A> = { [K in keyof A]: TemplateArg };

/** What a template's build makes: a query builder's, or a raw `sql` query (compiled against the database). */
type Built<R> = Compilable<R> | RawBuilder<R>;

export interface QueryTemplate<A extends TemplateArgs<A>, R> {
  /** Every row, as the built query's `execute()` would return them. */
  rows(db: Kysely<ServerSchema>, args: A): Promise<R[]>;
  /** The first row, or undefined (`executeTakeFirst()`). */
  first(db: Kysely<ServerSchema>, args: A): Promise<R | undefined>;
  /** The driver's whole answer: rows, and for a write the rows it changed (`numAffectedRows`). */
  run(db: Kysely<ServerSchema>, args: A): Promise<QueryResult<R>>;
}

/** Marks a value that stands for an argument while the query is built: it must reach the parameters untouched. */
const MARK = '\u0000vanthu-template\u0000';
const stand = (name: string): string => `${MARK}${name}`;

/** Shapes one template keeps per database, the least recently used dropped first (built again if it comes back). */
export const SHAPES_PER_TEMPLATE = 64;

/**
 * What is kept of a compiled query: its text and parameters, not Kysely's node tree (several times larger, and only a
 * plugin would read it).
 */
interface Compiled {
  sql: string;
  /** The query's own parameters; the arguments' places hold their stand-ins. */
  parameters: readonly unknown[];
  /** For each parameter: the argument (and element) it takes, or undefined for a constant of the query itself. */
  slots: ({ name: string; index?: number } | undefined)[];
}

/**
 * A query built by `build` once per database (its adapter, shared by its transactions) and shape, and then run with
 * each call's values in its parameters. `build` must only hand the values to Kysely (where, values, set…): one used
 * in a computation (a hash, a comparison, a string built from it) is caught at the first build, as the stand-in it
 * saw then would reach the query changed or not at all. What cannot be caught: a change that leaves the stand-in as it
 * was (`.trim()`, `String(x)`, a lower-casing), or a default (`x || y`) whose value still reaches the query; compute
 * such things before calling the template. A template keeps at most SHAPES_PER_TEMPLATE shapes per database: an
 * envelope's recipients (up to 500) make as many lengths, and any logged-in agency could ask for each.
 */
export function queryTemplate<A extends TemplateArgs<A>, R>(build: (db: Kysely<ServerSchema>, args: A) => Built<R>): QueryTemplate<A, R> {
  const byDatabase = new WeakMap<object, Map<string, Compiled>>();

  const compiledFor = (db: Kysely<ServerSchema>, args: A): Compiled => {
    const executor = db.getExecutor();
    // A plugin rewrites queries and results (db.withPlugin() shares the adapter, so asked on every run): the server uses none.
    if (executor.plugins.length > 0) throw new Error('queryTemplate: a database with plugins cannot keep compiled queries');
    let shapes = byDatabase.get(executor.adapter);
    if (!shapes) byDatabase.set(executor.adapter, (shapes = new Map()));
    const shape = shapeOf(args as Record<string, TemplateArg>);
    let compiled = shapes.get(shape);
    if (compiled) {
      // Most recently used last: the oldest is the first to go.
      shapes.delete(shape);
    } else {
      compiled = compileOnce(db, args, build);
      if (shapes.size >= SHAPES_PER_TEMPLATE) shapes.delete(shapes.keys().next().value!);
    }
    shapes.set(shape, compiled);
    return compiled;
  };

  const run = (db: Kysely<ServerSchema>, args: A): Promise<QueryResult<R>> => {
    const { sql, parameters, slots } = compiledFor(db, args);
    const values = slots.map((slot, i) => {
      if (!slot) return parameters[i];
      const value = (args as Record<string, TemplateArg>)[slot.name] as TemplateValue | readonly TemplateValue[];
      return slot.index === undefined ? value : (value as readonly TemplateValue[])[slot.index];
    });
    return db.executeQuery<R>(CompiledQuery.raw(sql, values) as CompiledQuery<R>);
  };

  return {
    run,
    rows: async (db, args) => (await run(db, args)).rows,
    first: async (db, args) => (await run(db, args)).rows[0],
  };
}

/** The booleans and array lengths of `args`: what decides which query `build` makes. */
function shapeOf(args: Record<string, TemplateArg>): string {
  let shape = '';
  for (const name of Object.keys(args).sort()) {
    const value = args[name];
    if (typeof value === 'boolean') shape += `${name}=${value};`;
    else if (Array.isArray(value)) shape += `${name}#${value.length};`;
    else if (value === undefined) shape += `${name}?;`;
  }
  return shape;
}

function compileOnce<A extends TemplateArgs<A>, R>(db: Kysely<ServerSchema>, args: A, build: (db: Kysely<ServerSchema>, args: A) => Built<R>): Compiled {
  const standIns: Record<string, unknown> = {};
  const expected = new Set<string>();
  for (const [name, value] of Object.entries(args as Record<string, TemplateArg>)) {
    if (typeof value === 'boolean' || value === undefined) standIns[name] = value;
    else if (Array.isArray(value)) {
      standIns[name] = value.map((_v, index) => stand(`${name}[${index}]`));
      value.forEach((_v, index) => expected.add(`${name}[${index}]`));
    } else {
      standIns[name] = stand(name);
      expected.add(name);
    }
  }
  // A query builder's compile takes no argument; a raw query's takes the database it is compiled for.
  const query = (build(db, standIns as A) as { compile(db: Kysely<ServerSchema>): CompiledQuery }).compile(db);
  // Lower case: a stand-in upper-cased on its way is still caught as changed.
  const marked = (text: string): boolean => text.toLowerCase().includes(MARK);
  if (marked(query.sql)) throw new Error('queryTemplate: an argument reached the query’s text');
  const seen = new Set<string>();
  const slots = query.parameters.map((parameter) => {
    if (typeof parameter !== 'string' || !marked(parameter)) return undefined;
    const name = parameter.startsWith(MARK) ? parameter.slice(MARK.length) : undefined;
    if (name === undefined || !expected.has(name)) throw new Error('queryTemplate: an argument was changed before it reached the query');
    seen.add(name);
    const element = /^(.*)\[(\d+)\]$/.exec(name);
    return element ? { name: element[1]!, index: Number(element[2]) } : { name };
  });
  const unused = [...expected].filter((name) => !seen.has(name));
  if (unused.length > 0) throw new Error(`queryTemplate: ${unused.join(', ')} never reached the query as a value`);
  return { sql: query.sql, parameters: query.parameters, slots };
}
