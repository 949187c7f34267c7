import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RootHandleInTransactionError } from '../../src/db/tx-guard.ts';
import { DIALECT, testEnv, type TestEnv } from '../helpers/env.ts';

// The root handle inside a transaction used to hang forever on SQLite (its one connection
// is the transaction's) and to run outside the transaction on PostgreSQL.

describe('the root handle inside a transaction', () => {
  let te: TestEnv;
  beforeAll(async () => {
    te = await testEnv();
  });
  afterAll(async () => te.close());

  const settings = () => te.ctx.store.db.selectFrom('settings').select('key').where('key', '=', 'guard.test').execute();

  it('fails at once, and the transaction rolls back', async () => {
    const started = Date.now();
    const attempt = te.ctx.store.tx(async (tx) => {
      await tx.insertInto('settings').values({ key: 'guard.test', value: '1' }).execute();
      await te.ctx.store.db.selectFrom('settings').selectAll().execute();
    });
    await expect(attempt).rejects.toBeInstanceOf(RootHandleInTransactionError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await settings()).toEqual([]);
  });

  it('a self-committing write (store.autocommit) inside a transaction is refused the same way', async () => {
    const attempt = te.ctx.store.tx(async () => {
      await te.ctx.store.autocommit.insertInto('settings').values({ key: 'guard.auto', value: '1' }).execute();
    });
    await expect(attempt).rejects.toBeInstanceOf(RootHandleInTransactionError);
    expect(await te.ctx.store.db.selectFrom('settings').select('key').where('key', '=', 'guard.auto').execute()).toEqual([]);
  });

  it('the root handle offers no write: a write through it does not compile (npm run typecheck)', async () => {
    const db = te.ctx.store.db;
    // @ts-expect-error writes go through store.tx, or store.autocommit for one self-committing statement
    const write = db.insertInto;
    // @ts-expect-error as above
    const update = db.updateTable;
    // @ts-expect-error as above
    const remove = db.deleteFrom;
    // The type hides them. On SQLite the root handle is a reader connection of its own that
    // refuses a write at run time too (query_only); on PostgreSQL it is the pool that
    // store.autocommit also uses, and the guard above stops a misuse inside a transaction.
    expect([write, update, remove].every((f) => typeof f === 'function')).toBe(true);
    const castAway = db as unknown as typeof te.ctx.store.autocommit;
    const attempt = castAway.insertInto('settings').values({ key: 'guard.cast', value: '1' }).execute();
    if (DIALECT === 'sqlite') {
      expect(te.ctx.store.autocommit).not.toBe(db);
      await expect(attempt).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
      expect(await db.selectFrom('settings').select('key').where('key', '=', 'guard.cast').execute()).toEqual([]);
    } else {
      expect(te.ctx.store.autocommit).toBe(db);
      await attempt;
    }
  });

  it('a transaction started inside another is refused the same way', async () => {
    const nested = te.ctx.store.tx(async () => te.ctx.store.tx(async (inner) => inner.selectFrom('settings').selectAll().execute()));
    await expect(nested).rejects.toBeInstanceOf(RootHandleInTransactionError);
  });

  it('the root handle works again once the transaction has settled, and the transaction handle inside it', async () => {
    const inside = await te.ctx.store.tx(async (tx) => {
      await tx.insertInto('settings').values({ key: 'guard.test', value: '2' }).execute();
      return tx.selectFrom('settings').select('value').where('key', '=', 'guard.test').executeTakeFirstOrThrow();
    });
    expect(inside.value).toBe('2');
    expect(await settings()).toEqual([{ key: 'guard.test' }]);
  });
});
