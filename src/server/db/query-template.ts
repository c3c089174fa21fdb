// Kysely queries built and compiled once per database and shape, then run with new values: building and compiling each request's queries anew was about a sixth of the server's main thread.
import type { Compilable, CompiledQuery, Kysely, QueryResult, RawBuilder } from 'kysely';
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

interface Compiled {
  query: CompiledQuery;
  /** For each parameter: the argument (and element) it takes, or undefined for a constant of the query itself. */
  slots: ({ name: string; index?: number } | undefined)[];
}

/**
 * A query built by `build` once per database (its adapter, shared by its transactions) and shape, and then run with
 * each call's values in its parameters. `build` must only hand the values to Kysely (where, values, set…): one used
 * in a computation (a hash, a comparison, a string built from it) is caught at the first build, as the stand-in it
 * saw then would reach the query changed or not at all. Every shape is kept while the database is open, so shapes must
 * come from a bounded set: an array's length is bounded by its request's schema (an ack names at most 200 messages).
 */
export function queryTemplate<A extends TemplateArgs<A>, R>(build: (db: Kysely<ServerSchema>, args: A) => Built<R>): QueryTemplate<A, R> {
  const byDatabase = new WeakMap<object, Map<string, Compiled>>();

  const compiledFor = (db: Kysely<ServerSchema>, args: A): Compiled => {
    const executor = db.getExecutor();
    let shapes = byDatabase.get(executor.adapter);
    if (!shapes) byDatabase.set(executor.adapter, (shapes = new Map()));
    const shape = shapeOf(args as Record<string, TemplateArg>);
    let compiled = shapes.get(shape);
    if (!compiled) {
      // A plugin could rewrite a result from what it saw of the query when it was compiled: the server uses none.
      if (executor.plugins.length > 0) throw new Error('queryTemplate: a database with plugins cannot keep compiled queries');
      compiled = compileOnce(db, args, build);
      shapes.set(shape, compiled);
    }
    return compiled;
  };

  const run = (db: Kysely<ServerSchema>, args: A): Promise<QueryResult<R>> => {
    const { query, slots } = compiledFor(db, args);
    const parameters = slots.map((slot, i) => {
      if (!slot) return query.parameters[i];
      const value = (args as Record<string, TemplateArg>)[slot.name] as TemplateValue | readonly TemplateValue[];
      return slot.index === undefined ? value : (value as readonly TemplateValue[])[slot.index];
    });
    return db.executeQuery<R>({ ...query, parameters } as CompiledQuery<R>);
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
  return { query, slots };
}
