import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseConnection, Dialect, Driver } from 'kysely';

// A query through the root handle (`ctx.store.db`) from inside `ctx.store.tx` would wait
// for SQLite's one connection, held by the transaction itself, and on PostgreSQL would run
// outside the transaction, unseen by its locks. With the guard on, both fail at once.
//
// The guard follows each transaction body through its awaits with an AsyncLocalStorage.
// On Node.js 20 that puts a hook on every promise of the process, about a fifth of a
// `show`'s CPU (docs/scaling.md). So it is on where code is written and tested (the test
// suite, `npm start`) and off under NODE_ENV=production, unless MPANDCO_TX_GUARD says
// otherwise (`1` on, `0` off). Without it the same mistake still ends: a wait for SQLite's
// connection, or for a PostgreSQL pool connection, gives up after CONNECTION_WAIT_MS.

export const txGuardOn = process.env.MPANDCO_TX_GUARD
  ? process.env.MPANDCO_TX_GUARD !== '0'
  : process.env.NODE_ENV !== 'production';

/** The longest a query waits for a database connection before it fails (MPANDCO_CONNECTION_WAIT_MS, 10 s). */
export const CONNECTION_WAIT_MS = Number(process.env.MPANDCO_CONNECTION_WAIT_MS) > 0 ? Number(process.env.MPANDCO_CONNECTION_WAIT_MS) : 10_000;

const inTransaction = new AsyncLocalStorage<{ open: boolean }>();

export class RootHandleInTransactionError extends Error {
  constructor() {
    super('the root database handle was used inside a transaction: pass the transaction (tx) instead');
  }
}

/** Runs fn in no transaction body's context (work scheduled for later belongs to no caller). */
export function outsideTransaction<T>(fn: () => T): T {
  return txGuardOn ? inTransaction.exit(fn) : fn();
}

/** A transaction started from inside another's body would wait for itself: refused at once. */
export function assertNotInTransaction(): void {
  if (txGuardOn && inTransaction.getStore()?.open) throw new RootHandleInTransactionError();
}

/** Runs a transaction's body so that the root handle refuses queries until the body settles. */
export function guardedBody<T, A>(fn: (tx: A) => Promise<T>): (tx: A) => Promise<T> {
  if (!txGuardOn) return fn;
  return (tx) => {
    const mark = { open: true };
    return inTransaction.run(mark, () => fn(tx)).finally(() => {
      mark.open = false;
    });
  };
}

function guardedDriver(inner: Driver): Driver {
  return {
    init: () => inner.init(),
    async acquireConnection(): Promise<DatabaseConnection> {
      if (inTransaction.getStore()?.open) throw new RootHandleInTransactionError();
      return inner.acquireConnection();
    },
    beginTransaction: (c, s) => inner.beginTransaction(c, s),
    commitTransaction: (c) => inner.commitTransaction(c),
    rollbackTransaction: (c) => inner.rollbackTransaction(c),
    releaseConnection: (c) => inner.releaseConnection(c),
    destroy: () => inner.destroy(),
    ...(inner.savepoint ? { savepoint: inner.savepoint.bind(inner) } : {}),
    ...(inner.rollbackToSavepoint ? { rollbackToSavepoint: inner.rollbackToSavepoint.bind(inner) } : {}),
    ...(inner.releaseSavepoint ? { releaseSavepoint: inner.releaseSavepoint.bind(inner) } : {}),
  };
}

/** The dialect with its connections guarded (a transaction's own queries take none); as it is with the guard off. */
export function guardedDialect(inner: Dialect): Dialect {
  if (!txGuardOn) return inner;
  return {
    createAdapter: () => inner.createAdapter(),
    createDriver: () => guardedDriver(inner.createDriver()),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
  };
}
