import { PostgresAdapter, type Compilable, type CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import { nameStatement } from './pg-named.ts';
import type { DB } from './schema.ts';
import { isPostgres, type ReadDb, type Tx, type Writer } from './store.ts';

// Building a Kysely query (an immutable node tree) and compiling it costs more than
// SQLite takes to run it. A prepared query is built and compiled once per dialect with
// placeholder arguments; each call only swaps in the real parameters. Use it for hot,
// fixed-shape queries; array arguments give one compiled form per array length.

type Slot = { arg: number; index?: number } | { value: unknown };
const MARK = '\u0000prepared:';

function placeholder(arg: unknown, i: number): unknown {
  return Array.isArray(arg) ? arg.map((_, j) => `${MARK}${i}:${j}`) : `${MARK}${i}`;
}

function slotOf(p: unknown): Slot {
  if (typeof p !== 'string' || !p.startsWith(MARK)) return { value: p };
  const [arg, index] = p.slice(MARK.length).split(':');
  return index === undefined ? { arg: Number(arg) } : { arg: Number(arg), index: Number(index) };
}

export function prepared<A extends unknown[], R>(build: (db: Kysely<DB>, ...args: A) => Compilable<R>) {
  const run = preparedResult(build);
  return async (db: ReadDb, ...args: A): Promise<R[]> => (await run(db, ...args)).rows;
}

/** For writes: how many rows the statement changed. */
export function preparedWrite<A extends unknown[], R>(build: (db: Kysely<DB>, ...args: A) => Compilable<R>) {
  const run = preparedResult(build);
  return async (db: Writer, ...args: A): Promise<number> => Number((await run(db, ...args)).numAffectedRows ?? 0);
}

/**
 * The compiled statement with this call's parameters, unrun: for a write that joins a
 * WriteBatch (src/db/write-batch.ts). Compiled once per dialect and array shape.
 */
export function preparedQuery<A extends unknown[], R>(build: (db: Kysely<DB>, ...args: A) => Compilable<R>) {
  const cache = new Map<string, { compiled: CompiledQuery<R>; slots: Slot[] }>();
  return (db: ReadDb, ...args: A): CompiledQuery<R> => {
    const shape = args.map((a) => (Array.isArray(a) ? a.length : '')).join(',');
    // A PostgreSQL transaction of store.tx builds row locks (forUpdate); anything else does not.
    const inPgTx = db.isTransaction && isPostgres(db as Tx);
    const key = `${db.getExecutor().adapter.constructor.name}|${inPgTx ? 'tx' : ''}|${shape}`;
    let entry = cache.get(key);
    if (!entry) {
      const compiled = build(db as unknown as Kysely<DB>, ...(args.map(placeholder) as A)).compile();
      entry = { compiled, slots: compiled.parameters.map(slotOf) };
      if (db.getExecutor().adapter instanceof PostgresAdapter) nameStatement(compiled.sql);
      cache.set(key, entry);
    }
    const parameters = entry.slots.map((s) => {
      if ('value' in s) return s.value;
      const a = args[s.arg];
      return s.index === undefined ? a : (a as unknown[])[s.index];
    });
    return { ...entry.compiled, parameters };
  };
}

function preparedResult<A extends unknown[], R>(build: (db: Kysely<DB>, ...args: A) => Compilable<R>) {
  const query = preparedQuery(build);
  return (db: ReadDb, ...args: A): Promise<QueryResult<R>> => db.executeQuery<R>(query(db, ...args));
}

/** Rows for a multi-row INSERT from values laid out by position, `columns.length` per row. */
export function rowsByPosition<C extends string>(columns: readonly C[], values: unknown[]): Record<C, unknown>[] {
  const rows: Record<C, unknown>[] = [];
  for (let i = 0; i < values.length; i += columns.length) {
    rows.push(Object.fromEntries(columns.map((c, j) => [c, values[i + j]])) as Record<C, unknown>);
  }
  return rows;
}
