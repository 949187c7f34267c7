import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseConnection, Dialect, Driver } from 'kysely';

// A query through the root handle (`ctx.store.db`) from inside `ctx.store.tx` would wait
// forever for SQLite's one connection, held by the transaction itself, and on PostgreSQL
// would run outside the transaction, unseen by its locks. Both fail at once instead.

const inTransaction = new AsyncLocalStorage<{ open: boolean }>();

export class RootHandleInTransactionError extends Error {
  constructor() {
    super('the root database handle was used inside a transaction: pass the transaction (tx) instead');
  }
}

/** Runs fn in no transaction body's context (work scheduled for later belongs to no caller). */
export function outsideTransaction<T>(fn: () => T): T {
  return inTransaction.exit(fn);
}

/** A transaction started from inside another's body would wait for itself: refused at once. */
export function assertNotInTransaction(): void {
  if (inTransaction.getStore()?.open) throw new RootHandleInTransactionError();
}

/** Runs a transaction's body so that the root handle refuses queries until the body settles. */
export function guardedBody<T, A>(fn: (tx: A) => Promise<T>): (tx: A) => Promise<T> {
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

/** The dialect with its connections guarded (a transaction's own queries take none). */
export function guardedDialect(inner: Dialect): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createDriver: () => guardedDriver(inner.createDriver()),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
  };
}
