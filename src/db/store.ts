import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { NamingClient } from './pg-named.ts';
import {
  CompiledQuery, Kysely, PostgresDialect, SqliteAdapter, SqliteIntrospector,
  SqliteQueryCompiler, type DatabaseConnection, type Dialect, type Driver, type QueryResult, type Transaction,
} from 'kysely';
import { pgTuning, type PgTuning, type StoreConfig } from '../config/config.ts';
import type { DB } from './schema.ts';
import { runMigrations } from './migrations.ts';
import { requestLogSqliteDdl } from './request-log.migration.ts';
import { GroupCommitter } from './group-commit.ts';
import { SqliteCheckpointer } from './sqlite-checkpointer.ts';
import { assertNotInTransaction, CONNECTION_WAIT_MS, guardedDialect } from './tx-guard.ts';
import { hookedTx } from './tx-hooks.ts';

export type DialectName = 'sqlite' | 'postgres';
export type Tx = Transaction<DB>;

/**
 * The root handle, for reads: a write through it does not compile. Writes go through a
 * transaction (`store.tx`) or, for one statement that must commit by itself (a lock-out
 * counter, a lease, a "used" mark), through `store.autocommit`.
 */
export type ReadDb = Omit<Kysely<DB>, 'insertInto' | 'updateTable' | 'deleteFrom' | 'replaceInto' | 'mergeInto' | 'transaction'>;

/** The root handle for one self-committing write statement; refused inside a transaction, like any root query. */
export type AutoCommit = Kysely<DB> & { readonly __autocommit: true };

/** Where a repository may write: inside a transaction, or one statement on its own. */
export type Writer = Tx | AutoCommit;

export interface Store {
  readonly db: ReadDb;
  readonly autocommit: AutoCommit;
  readonly dialect: DialectName;
  /** Runs fn in a write transaction: BEGIN IMMEDIATE on SQLite, retried on PostgreSQL deadlocks. */
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What the transactions of one PostgreSQL store share in this process. */
export interface PgShared {
  /** Reference numbers reserved for this process: next to hand out, and the end of the block. */
  refs: { next: bigint; end: bigint };
}

const pgTransactions = new WeakMap<object, PgShared>();

/** The process-wide state of the store a PostgreSQL transaction belongs to (undefined on SQLite). */
export function pgShared(tx: Tx): PgShared | undefined {
  return pgTransactions.get(tx);
}

/** Adds FOR UPDATE on PostgreSQL; SQLite's single writer already excludes others. */
export function forUpdate<Q extends { forUpdate(): Q }>(tx: Tx, qb: Q): Q {
  return pgTransactions.has(tx) ? qb.forUpdate() : qb;
}

export function isPostgres(tx: Tx): boolean {
  return pgTransactions.has(tx);
}

// bigint columns come back as strings from pg; every bigint here is a safe integer.
pg.types.setTypeParser(20, (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${v} exceeds the safe integer range`);
  return n;
});

const STORE_ERROR = Symbol('mpandco.storeError');

/** Marks an error as raised by the PostgreSQL driver for the store (a query, or a connection wanted). */
export function asStoreError<E>(e: E): E {
  if (e !== null && typeof e === 'object') (e as Record<symbol, unknown>)[STORE_ERROR] = true;
  return e;
}

/**
 * The database could not be reached or dropped the connection: PostgreSQL shutting down or
 * restarting (57P01 to 57P03), a connection exception (class 08), or, raised by the store's
 * driver, the socket refused, reset or closed under a query (or before it, between two
 * statements of a transaction). The same socket codes from anything else (an outbound call
 * that let its error escape) are not the database, and stay what they are. Nothing of a
 * transaction it ended was committed unless its COMMIT had been answered, so the caller may
 * retry (with its Idempotency-Key where it has one).
 */
export function isStoreUnreachable(e: unknown): boolean {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (/^57P0[123]$/.test(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (!(e as Record<symbol, unknown> | null)?.[STORE_ERROR]) return false;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return true;
  // The driver's own words: the socket ended, or a query on a connection that had lost it.
  return typeof message === 'string'
    && /^(Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable)$/.test(message);
}

/** A query waited CONNECTION_WAIT_MS for a database connection (overload, or a transaction waiting for itself). */
export class ConnectionWaitError extends Error {
  readonly code = 'CONNECTION_WAIT';
  constructor(ms: number) {
    super(`no database connection became free within ${ms} ms`);
  }
}

/**
 * A mutex for SQLite's one connection, as Kysely's own driver keeps, whose waiters give
 * up after `waitMs`: a root query inside a transaction (with the guard off) then fails
 * instead of waiting for ever for the connection its own transaction holds.
 */
class ConnectionMutex {
  private locked = false;
  private waiters: { resolve: () => void; timer: NodeJS.Timeout }[] = [];
  constructor(private readonly waitMs: number) {}
  async lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new ConnectionWaitError(this.waitMs));
        }, this.waitMs),
      };
      this.waiters.push(waiter);
    });
  }
  unlock(): void {
    const next = this.waiters.shift();
    if (!next) {
      this.locked = false;
      return;
    }
    clearTimeout(next.timer);
    next.resolve();
  }
}

const STATEMENT_CACHE_SIZE = 500;
const BUSY_TIMEOUT_MS = 10_000;
const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate');

// better-sqlite3 binds every JS number as a REAL, so `balance_minor + ?` would add in
// floating point and round past 2^53. Integers are bound as 64-bit integers instead.
const exactInteger = (p: unknown): unknown => (typeof p === 'number' && Number.isInteger(p) ? BigInt(p) : p);

/** better-sqlite3 behind Kysely, with prepared statements cached by their SQL text. */
class CachingSqliteConnection implements DatabaseConnection {
  private readonly cache = new Map<string, Database.Statement>();
  constructor(private readonly database: Database.Database) {}

  private statement(sqlText: string): Database.Statement {
    let stmt = this.cache.get(sqlText);
    if (!stmt) {
      stmt = this.database.prepare(sqlText);
      if (this.cache.size >= STATEMENT_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(sqlText, stmt);
    }
    return stmt;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.statement(query.sql);
    const params = (query.parameters as unknown[]).map(exactInteger);
    if (stmt.reader) return { rows: stmt.all(...params) as R[] };
    const { changes, lastInsertRowid } = stmt.run(...params);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with SQLite here');
  }
}

/** Write transactions start with BEGIN IMMEDIATE: the write lock is taken before any read. */
class ImmediateSqliteDriver implements Driver {
  private readonly mutex = new ConnectionMutex(CONNECTION_WAIT_MS);
  private readonly connection: CachingSqliteConnection;
  constructor(private readonly database: Database.Database) {
    this.connection = new CachingSqliteConnection(database);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }
  /**
   * With several processes on one file, another may hold the write lock. SQLite's own
   * busy handler would sleep here with the whole event loop stopped; instead we try
   * without waiting and retry asynchronously, so this process keeps reading requests
   * (and growing its next group) until the lock is free.
   */
  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    const started = Date.now();
    this.database.pragma('busy_timeout = 0');
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await conn.executeQuery(BEGIN_IMMEDIATE);
          return;
        } catch (e) {
          if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() - started > BUSY_TIMEOUT_MS) throw e;
          await new Promise((r) => (attempt < 20 ? setImmediate(r) : setTimeout(r, 1)));
        }
      }
    } finally {
      this.database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }
  async destroy(): Promise<void> {
    this.database.close();
  }
}

function sqliteDialect(database: Database.Database): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ImmediateSqliteDriver(database),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

export function openSqlite(file: string): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  database.pragma('foreign_keys = ON');
  // Durability comes from synchronous=FULL on the WAL. Checkpoints run in a thread of their
  // own (SqliteCheckpointer); SQLite's automatic one, inside a COMMIT on the event loop, is
  // only a safety net for when that thread falls behind (40 MB of WAL instead of 4 MB). More
  // cache keeps the hot pages of accounts and intents in memory.
  database.pragma('wal_autocheckpoint = 10000');
  database.pragma('cache_size = -65536');
  database.pragma('mmap_size = 268435456');
  return database;
}

/** The request log's own file beside the store's: `sandbox.sqlite` keeps its log in `sandbox-requests.sqlite`. */
export function requestLogFile(file: string): string {
  return `${file.replace(/\.sqlite$/, '')}-requests.sqlite`;
}

// On SQLite the request log (src/request-log) lives in a database file of its own, attached to
// each connection as `log`: its rows (1 to 3 KB a call, a quarter of the pages a payment's
// group wrote to the WAL) no longer go through the money's WAL and its flush at every COMMIT,
// and its own COMMITs do not wait for the disk (synchronous=NORMAL: a power cut may lose the
// last calls logged, as a crash of the process already does; the file stays consistent).
// Its statements name `request_log` unqualified: SQLite finds a table in `main` first, then in
// the attached files, so they are the same on both stores. Migration 0061 moves the rows an
// older store kept in `main`.

function attachRequestLog(database: Database.Database, logFile: string, writer: boolean): void {
  database.prepare('attach database ? as log').run(logFile);
  database.pragma('log.synchronous = NORMAL');
  database.pragma('log.cache_size = -8192');
  if (!writer) return;
  database.pragma('log.journal_mode = WAL');
  for (const ddl of requestLogSqliteDdl('log')) database.exec(ddl);
}

const RETRYABLE_PG = new Set(['40P01', '40001']);

/**
 * What the store reports that no caller is waiting for: a PostgreSQL connection lost while
 * idle in the pool, a failed SQLite checkpoint. Nothing is lost by either (the pool opens
 * another connection; the next checkpoint copies what this one did not), but an operator
 * wants to know. By default, a line on standard error.
 */
export type StoreWarning = (message: string, detail: { err: unknown }) => void;

const warnOnStderr: StoreWarning = (message, { err }) => {
  process.stderr.write(`mpandco store: ${message}: ${err instanceof Error ? err.message : String(err)}\n`);
};

export async function openStore(cfg: StoreConfig, fileName: string, warn: StoreWarning = warnOnStderr): Promise<Store> {
  if (cfg.databaseUrl) return openPostgres(cfg.databaseUrl, cfg.pgSchema ?? 'public', cfg.pg ?? pgTuning(), warn);
  const file = path.join(cfg.dataDir, fileName);
  const logFile = requestLogFile(file);
  const database = openSqlite(file);
  try {
    attachRequestLog(database, logFile, true);
  } catch (e) {
    database.close();
    throw e;
  }
  const db = new Kysely<DB>({ dialect: guardedDialect(sqliteDialect(database)) });
  // One writer: one group at a time (BEGIN IMMEDIATE is retried while another process writes).
  const committer = new GroupCommitter({
    begin: (body) => db.transaction().execute(body), lanes: 1, maxGroup: 256, retryable: () => false,
  });
  // Reads through the root handle take a connection of their own: a WAL reader sees the last
  // COMMIT and never waits for the writer, so a read does not queue behind a group of
  // payments, and a root read inside a transaction (with the guard off) cannot wait for the
  // connection its own transaction holds. It refuses writes (query_only).
  let reader: Database.Database | undefined;
  try {
    reader = openSqlite(file);
    attachRequestLog(reader, logFile, false);
    reader.pragma('query_only = ON');
  } catch (e) {
    reader?.close();
    database.close();
    throw e;
  }
  const readDb = new Kysely<DB>({ dialect: guardedDialect(sqliteDialect(reader)) });
  const checkpointFailed = (err: unknown) => warn('a WAL checkpoint failed; the next one will try again', { err });
  const checkpointers = [new SqliteCheckpointer(file, undefined, checkpointFailed), new SqliteCheckpointer(logFile, undefined, checkpointFailed)];
  return storeOver(db, 'sqlite', committer, readDb, async () => {
    await Promise.all(checkpointers.map((c) => c.close()));
  }, () => {
    // Kysely closes a driver only if it was ever used: a reader that served no read would
    // stay open (and with it, SQLite keeps the file's other descriptors of this process).
    reader.close();
    database.close();
  });
}

const watched = new WeakSet<pg.PoolClient>();
const lost = new WeakSet<pg.PoolClient>();

/**
 * A connection lost while checked out never goes back to the pool. The pool listens for a
 * connection's 'error' only while it is idle: lost under a caller (between the statements of
 * a transaction, say), its 'error' event had no listener and would end the process. And a
 * backend ended under a query (57P01) fails the query before its socket's end is heard: the
 * connection still looks usable when it is released, and the pool would hand it to the next
 * caller, who would fail too. Each is marked lost here and released with an error, which
 * makes the pool close it; the caller has its own error already (a 503, see errors.ts).
 */
function watchLoss(client: pg.PoolClient): pg.PoolClient {
  if (!watched.has(client)) {
    watched.add(client);
    client.on('error', () => lost.add(client));
    const query = client.query as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const result = query.apply(client, args);
      // (This handler runs before the caller's: the error is marked before anyone reads it.)
      if (result instanceof Promise) result.catch((e: unknown) => { if (isStoreUnreachable(asStoreError(e))) lost.add(client); });
      return result;
    };
  }
  const release = client.release;
  // (Kysely passes a boolean: true for a connection it discards.)
  client.release = (err?: Error | boolean) => release(err || (lost.has(client) ? new Error('PostgreSQL connection lost') : undefined));
  return client;
}

async function openPostgres(url: string, schema: string, tuning: PgTuning, warn: StoreWarning): Promise<Store> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const boot = new pg.Client({ connectionString: url });
  await boot.connect();
  try {
    await boot.query(`create schema if not exists "${schema}"`);
  } catch (e) {
    // Two processes creating the schema at once: the loser sees a unique violation.
    if ((e as { code?: string }).code !== '23505') throw e;
  } finally {
    await boot.end();
  }
  const poolSize = tuning.pool;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECTION_WAIT_MS,
    options: `-c search_path="${schema}"`,
    // MPANDCO_PG_NAMED=0: every statement unnamed, for a pooler that cannot keep prepared statements.
    Client: process.env.MPANDCO_PG_NAMED === '0' ? pg.Client : NamingClient,
    // Which connections are whose in pg_stat_activity: one name per environment's schema.
    application_name: `mpandco ${schema}`,
  });
  // A connection idle in the pool can die (PostgreSQL restarted, a failover, a pooler's or
  // the server's idle timeout, pg_terminate_backend). The pool drops it and opens another
  // when one is next needed; without a listener, its 'error' event would end the process.
  // (Its error carries the whole client, prepared statements included: only what says why is kept.)
  pool.on('error', (err: Error & { code?: string }) => warn('an idle PostgreSQL connection was lost; the pool will open another', {
    err: Object.assign(new Error(err.message), { code: err.code }),
  }));
  // A pool that found no free connection within CONNECTION_WAIT_MS fails as SQLite's wait does.
  const waiting = {
    connect: () => pool.connect().then(watchLoss, (e: Error) => {
      throw e?.message === 'timeout exceeded when trying to connect' ? new ConnectionWaitError(CONNECTION_WAIT_MS) : asStoreError(e);
    }),
    end: () => pool.end(),
  };
  const db = new Kysely<DB>({ dialect: guardedDialect(new PostgresDialect({ pool: waiting })) });
  const shared: PgShared = { refs: { next: 0n, end: 0n } };
  // Several groups at once, each on its own connection; a group stays short (its payers'
  // rows are locked until its COMMIT), and hot balances are credited once, at its end.
  const committer = new GroupCommitter({
    begin: (body) => db.transaction().execute((trx) => {
      pgTransactions.set(trx, shared);
      return body(trx);
    }),
    lanes: Math.max(1, Math.min(tuning.lanes, poolSize - 1)),
    maxGroup: tuning.maxGroup,
    minGroup: tuning.minGroup,
    retryable: (e) => RETRYABLE_PG.has((e as { code?: string })?.code ?? ''),
    unknownOutcome: isStoreUnreachable,
    mergeBoundaries: true,
  });
  return storeOver(db, 'postgres', committer);
}

/** The store over a dialect's handle: reads on the root (or a reader of its own), writes through the group committer. */
async function storeOver(
  db: Kysely<DB>, dialect: DialectName, committer: GroupCommitter, readDb: Kysely<DB> = db, beforeClose?: () => Promise<void>,
  afterClose?: () => void,
): Promise<Store> {
  const store: Store = {
    db: readDb,
    autocommit: db as AutoCommit,
    dialect,
    tx: (fn) => {
      assertNotInTransaction();
      return hookedTx((f) => committer.run(f), fn);
    },
    close: async () => {
      await beforeClose?.();
      if (readDb !== db) await readDb.destroy();
      await db.destroy();
      afterClose?.();
    },
  };
  try {
    await migrate(store);
  } catch (e) {
    // A store that cannot be migrated is not handed out: its connections (and SQLite's
    // checkpoint thread) are closed before the error goes up.
    await store.close().catch(() => {});
    throw e;
  }
  return store;
}

export async function migrate(store: Store): Promise<string[]> {
  return runMigrations({ dialect: store.dialect, db: store.autocommit, tx: (fn) => store.tx((tx) => fn(tx as never)) });
}

/** Unique-constraint violations in either dialect. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(e: unknown): boolean {
  const err = e as { code?: string };
  return err?.code === '23503' || err?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

export function isCheckViolation(e: unknown): boolean {
  const err = e as { code?: string };
  return err?.code === '23514' || err?.code === 'SQLITE_CONSTRAINT_CHECK';
}
