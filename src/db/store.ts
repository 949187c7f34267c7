import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  CompiledQuery, Kysely, PostgresDialect, SqliteAdapter, SqliteIntrospector,
  SqliteQueryCompiler, type DatabaseConnection, type Dialect, type Driver, type QueryResult, type Transaction,
} from 'kysely';
import type { StoreConfig } from '../config/config.ts';
import type { DB } from './schema.ts';
import { runMigrations } from './migrations.ts';
import { guardedBody, guardedDialect } from './tx-guard.ts';
import { hookedTx } from './tx-hooks.ts';

export type DialectName = 'sqlite' | 'postgres';
export type Tx = Transaction<DB>;

export interface Store {
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
  /** Runs fn in a write transaction: BEGIN IMMEDIATE on SQLite, retried on PostgreSQL deadlocks. */
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const pgTransactions = new WeakSet<object>();

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

/** A mutex for SQLite's one connection, as Kysely's own driver keeps. */
class ConnectionMutex {
  private locked = false;
  private waiters: (() => void)[] = [];
  async lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
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
  private readonly mutex = new ConnectionMutex();
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
  // Durability comes from synchronous=FULL on the WAL; a larger WAL before each checkpoint
  // (40 MB instead of 4 MB) means far fewer checkpoints in the write path, and more cache
  // keeps the hot pages of accounts and intents in memory.
  database.pragma('wal_autocheckpoint = 10000');
  database.pragma('cache_size = -65536');
  database.pragma('mmap_size = 268435456');
  return database;
}

interface Job {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

const MAX_GROUP = 256;
const SAVEPOINT = CompiledQuery.raw('savepoint grp');
const RELEASE = CompiledQuery.raw('release savepoint grp');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint grp');

/**
 * Group commit for SQLite. With synchronous=FULL every COMMIT waits for the disk, and
 * SQLite has one writer anyway, so transactions that arrive together run one after the
 * other inside one BEGIN IMMEDIATE ... COMMIT, each in its own savepoint: a failing one
 * rolls back alone, and every caller is answered only after the shared COMMIT is on disk.
 */
class GroupCommitter {
  private queue: Job[] = [];
  private scheduled = false;

  constructor(private readonly db: Kysely<DB>) {}

  run<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Let the requests already read from the sockets enqueue theirs before we start.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    const batch = this.queue.splice(0, MAX_GROUP);
    try {
      if (batch.length === 1) {
        const [job] = batch;
        await this.db.transaction().execute(job.fn).then(job.resolve, job.reject);
      } else if (batch.length > 1) {
        await this.runGroup(batch);
      }
    } finally {
      if (this.queue.length) setImmediate(() => void this.drain());
      else this.scheduled = false;
    }
  }

  private async runGroup(batch: Job[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const job of batch) {
          await trx.executeQuery(SAVEPOINT);
          try {
            const value = await job.fn(trx);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: true, value });
          } catch (e) {
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: false, value: e });
          }
        }
      });
    } catch (e) {
      for (const job of batch) job.reject(e);
      return;
    }
    batch.forEach((job, i) => (outcomes[i].ok ? job.resolve(outcomes[i].value) : job.reject(outcomes[i].value)));
  }
}

const RETRYABLE_PG = new Set(['40P01', '40001']);

export async function openStore(cfg: StoreConfig, fileName: string): Promise<Store> {
  if (cfg.databaseUrl) return openPostgres(cfg.databaseUrl, cfg.pgSchema ?? 'public');
  const database = openSqlite(path.join(cfg.dataDir, fileName));
  const db = new Kysely<DB>({ dialect: guardedDialect(sqliteDialect(database)) });
  const committer = new GroupCommitter(db);
  const store: Store = {
    db,
    dialect: 'sqlite',
    tx: (fn) => hookedTx((f) => committer.run(guardedBody(f)), fn),
    close: () => db.destroy(),
  };
  await migrate(store);
  return store;
}

async function openPostgres(url: string, schema: string): Promise<Store> {
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
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.MPANDCO_PG_POOL ?? 10),
    options: `-c search_path="${schema}"`,
  });
  const db = new Kysely<DB>({ dialect: guardedDialect(new PostgresDialect({ pool })) });
  const store: Store = {
    db,
    dialect: 'postgres',
    tx: (fn) => hookedTx(async (f) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute((trx) => {
            pgTransactions.add(trx);
            return guardedBody(f)(trx);
          });
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (!code || !RETRYABLE_PG.has(code) || attempt >= 5) throw e;
        }
      }
    }, fn),
    close: () => db.destroy(),
  };
  await migrate(store);
  return store;
}

export async function migrate(store: Store): Promise<string[]> {
  return runMigrations({ dialect: store.dialect, db: store.db, tx: (fn) => store.tx((tx) => fn(tx as never)) });
}

/** Unique-constraint violations in either dialect. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isCheckViolation(e: unknown): boolean {
  const err = e as { code?: string };
  return err?.code === '23514' || err?.code === 'SQLITE_CONSTRAINT_CHECK';
}
