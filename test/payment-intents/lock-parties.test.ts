import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/store.ts';
import { lockIntentToPay } from '../../src/payment-intents/payment-intent.repository.ts';
import { DIALECT, testServer, type TestServer } from '../helpers/env.ts';
import { approveAs, balanceOf, createSale, executeAs, merchantWithToken, payer, type Merchant } from './fixtures.ts';

// A payment's first statement locks the intent and reads, joined to it, the app, the test
// clock, the payer and the shop. On PostgreSQL a row that another transaction changed while
// this one waited for its lock is read again after that COMMIT, but the rows joined to it are
// not: when the payer changed meanwhile, the join no longer matches (PostgreSQL 15 returns no
// payer) or names the old one. The payment must then read payer and shop again: neither refuse
// the payer the intent names nor pay from the wallet of someone it no longer names.

describe('the intent locked with its payer and shop', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
  });
  afterAll(async () => s.close());

  async function approvedSale(payerId: string): Promise<string> {
    const r = await createSale(s, m, '12.34');
    expect(r.status).toBe(200);
    await approveAs(s, r.body.id, payerId);
    return r.body.id as string;
  }

  it('come in the lock\'s own statement, keyed by user id', async () => {
    const p = await payer(s, 100_00);
    const id = await approvedSale(p.payer_id);
    const found = await s.ctx.store.tx((tx) => lockIntentToPay(tx, id, true));
    expect(found?.row.payer_user_id).toBe(p.payer_id);
    const wallet = await s.ctx.store.db.selectFrom('digital_accounts').select('id').where('handle', '=', p.digital_account).executeTakeFirstOrThrow();
    expect(found?.parties?.get(p.payer_id)).toMatchObject({ id: p.payer_id, username: p.username, wallet_id: wallet.id });
    expect(found?.parties?.get(m.user_id)).toMatchObject({ id: m.user_id });
  });

  it('pays from the payer the locked row names, when another transaction changed it while the payment waited for the lock', async () => {
    const first = await payer(s, 100_00);
    const second = await payer(s, 100_00);
    const id = await approvedSale(first.payer_id);
    // Another transaction holds the intent's row, having named another payer: on PostgreSQL
    // a connection of its own (the store's groups may all be busy), on SQLite a write
    // transaction of the store (one writer: the payment waits for it whole).
    let release: () => Promise<void>;
    let xid = '';
    if (DIALECT === 'postgres') {
      const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(s.ctx.store.db)).rows[0].s;
      const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await other.connect();
      await other.query(`set search_path to "${schema}"`);
      await other.query('begin');
      await other.query('update payment_intents set payer_user_id = $1 where id = $2', [second.payer_id, id]);
      xid = (await other.query<{ x: string }>('select txid_current()::text as x')).rows[0].x;
      release = async () => {
        await other.query('commit');
        await other.end();
      };
    } else {
      let open: () => void = () => {};
      const gate = new Promise<void>((r) => (open = r));
      let changed: () => void = () => {};
      const holding = new Promise<void>((r) => (changed = r));
      const other = s.ctx.store.tx(async (tx: Tx) => {
        await tx.updateTable('payment_intents').set({ payer_user_id: second.payer_id }).where('id', '=', id).execute();
        changed();
        await gate;
      });
      await holding;
      release = async () => {
        open();
        await other;
      };
    }
    let paying: ReturnType<typeof executeAs>;
    try {
      paying = executeAs(s, m, id, second.payer_id);
      if (DIALECT === 'postgres') {
        // The payment's statement waits for the intent's row lock (the other's transaction id) before the other commits.
        const deadline = Date.now() + 10_000;
        for (;;) {
          const waiting = await sql<{ n: string }>`select count(*) as n from pg_locks
            where locktype = 'transactionid' and not granted and transactionid::text = ${xid}`.execute(s.ctx.store.db);
          if (Number(waiting.rows[0].n) > 0) break;
          if (Date.now() > deadline) throw new Error('the payment never waited for the lock');
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    } finally {
      await release();
    }
    const r = await paying;
    expect(r.status).toBe(200);
    expect(await balanceOf(s, first.digital_account)).toBe(100_00);
    expect(await balanceOf(s, second.digital_account)).toBe(100_00 - 1234);
  });
});
