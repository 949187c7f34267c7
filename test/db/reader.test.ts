import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../helpers/env.ts';

// Reads through the root handle do not queue behind a write transaction: on SQLite they take
// a reader connection of their own (WAL), on PostgreSQL another pool connection. They see
// what is committed, never a transaction still open.

describe('root reads while a write transaction is open', () => {
  let te: TestEnv;
  beforeAll(async () => {
    te = await testEnv();
  });
  afterAll(async () => te.close());

  const read = () => te.ctx.store.db.selectFrom('settings').select('value').where('key', '=', 'reader.test').execute();

  it('answer at once with the last commit, and see the transaction once it has committed', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((r) => (open = r));
    let inserted: () => void = () => {};
    const wrote = new Promise<void>((r) => (inserted = r));
    const writing = te.ctx.store.tx(async (tx) => {
      await tx.insertInto('settings').values({ key: 'reader.test', value: 'new' }).execute();
      inserted();
      await gate;
    });
    await wrote;
    const during = await Promise.race([read(), new Promise<'waited'>((r) => setTimeout(() => r('waited'), 2_000))]);
    expect(during).toEqual([]);
    open();
    await writing;
    expect(await read()).toEqual([{ value: 'new' }]);
  });
});
