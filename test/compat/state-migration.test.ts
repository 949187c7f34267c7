import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { balanceOf, createSale, executeAs, merchantWithToken, payer, show } from '../payment-intents/fixtures.ts';

// Stores made before migration 0007 call an approved sale `approved` and keep its time in
// `approved_at`. Such a store, reopened by this version, executes those sales as `authorized`.

describe('migration 0007: stored `approved` intents become `authorized`', () => {
  const opened: TestServer[] = [];
  afterAll(async () => {
    for (const s of opened.reverse()) await s.close();
  });

  it('an intent approved before the upgrade executes after it, once', async () => {
    const before = await testServer({ keep: true });
    const m = await merchantWithToken(before);
    const buyer = await payer(before, 50_00);
    const sale = (await createSale(before, m, '12.34')).body;
    const approvedAt = before.clock.now();

    // Put the store back as the previous version left it.
    const db = before.ctx.store.autocommit;
    await sql`alter table payment_intents rename column authorized_at to approved_at`.execute(db);
    await sql`update payment_intents set state = 'approved', payer_user_id = ${buyer.payer_id}, approved_at = ${approvedAt} where id = ${sale.id}`.execute(db);
    await sql`delete from mpandco_migrations where name = '0007_intent_state_authorized'`.execute(db);
    const old = await sql<{ state: string }>`select state from payment_intents where id = ${sale.id}`.execute(db);
    expect(old.rows[0].state).toBe('approved');
    await before.close();

    const after = await testServer({ dataDir: before.dataDir, schemaPrefix: before.childEnv.MPANDCO_PG_SCHEMA_PREFIX });
    opened.push(after);
    const row = await after.ctx.store.db.selectFrom('payment_intents').select(['state', 'authorized_at'])
      .where('id', '=', sale.id).executeTakeFirstOrThrow();
    expect(row.state).toBe('authorized');
    expect(Number(row.authorized_at)).toBe(approvedAt);
    expect((await show(after, m, sale.id)).body.state).toBe('authorized');

    const executed = await executeAs(after, m, sale.id, buyer.payer_id);
    expect(executed.status).toBe(200);
    expect(executed.body.state).toBe('executed');
    expect((await executeAs(after, m, sale.id, buyer.payer_id)).status).toBe(400);
    expect(await balanceOf(after, buyer.digital_account)).toBe(50_00 - 12_34);
    expect((await verifyLedger(after.ctx.store.db)).ok).toBe(true);
  });
});
