import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstWallet } from '../../src/accounts/accounts.service.ts';
import { createPayer } from '../../src/sandbox/demo.ts';
import { DIALECT, testEnv, type TestEnv } from '../helpers/env.ts';

// On PostgreSQL the queries of src/db/prepared.ts go as named prepared statements (parsed and
// planned once per connection); MPANDCO_PG_NAMED=0 sends them unnamed, for poolers that cannot
// keep them. A statement that selects `*` is never named.

async function namedInSession(te: TestEnv, userId: string): Promise<{ wallet: string | undefined; named: string[] }> {
  return te.ctx.store.tx(async (tx) => {
    const wallet = (await firstWallet(tx, userId))?.id;
    if (DIALECT !== 'postgres') return { wallet, named: [] };
    const rows = await sql<{ statement: string }>`select statement from pg_prepared_statements where name like 'mp\\_%'`.execute(tx);
    return { wallet, named: rows.rows.map((r) => r.statement) };
  });
}

describe('named prepared statements', () => {
  let named: TestEnv;
  let unnamed: TestEnv;
  beforeAll(async () => {
    named = await testEnv();
    // The pool's kind of connection is chosen when the store opens, from the process's environment.
    process.env.MPANDCO_PG_NAMED = '0';
    try {
      unnamed = await testEnv();
    } finally {
      delete process.env.MPANDCO_PG_NAMED;
    }
  });
  afterAll(async () => {
    await named?.close();
    await unnamed?.close();
  });

  it('runs the hot queries named on PostgreSQL, with the same answers, and unnamed when MPANDCO_PG_NAMED=0', async () => {
    for (const te of [named, unnamed]) {
      const payer = await createPayer(te.ctx, 10_00);
      const expected = await te.ctx.store.db.selectFrom('digital_accounts').select('id').where('handle', '=', payer.digital_account)
        .executeTakeFirstOrThrow();
      // Twice: the second run of a named statement only binds and executes it.
      for (let i = 0; i < 2; i++) {
        const seen = await namedInSession(te, payer.payer_id);
        expect(seen.wallet).toBe(expected.id);
        if (DIALECT === 'postgres') {
          const wallets = seen.named.filter((s) => s.startsWith('select "id", "handle", "balance_minor" from "digital_accounts"'));
          expect(wallets.length).toBe(te === named ? 1 : 0);
          expect(seen.named.some((s) => s.includes('*'))).toBe(false);
        }
      }
    }
  });
});
