import type { Kysely, Migration } from 'kysely';

// The sandbox's developer tools (src/test-mode, src/sandbox): each business account's test
// clock, and the test payers a business made with their credentials. Production has the
// same (empty) tables and never reads them.

type AnyDb = Kysely<any>;

/**
 * One test-clock offset per business account, and indexes for the two passes it moves: the
 * expiry of waiting intents and the settlement of processing payout batches read only what is
 * due, never the whole table (before, the expiry pass had no index to use).
 */
export function sandboxClocks(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('sandbox_clocks')
        .addColumn('owner_user_id', 'text', (c) => c.primaryKey())
        .addColumn('offset_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('payment_intents_expiry').on('payment_intents').columns(['state', 'expires_at']).execute();
      await db.schema.createIndex('payout_batches_due').on('payout_batches').columns(['status', 'submitted_at']).execute();
    },
  };
}

/** Sandbox people a business made as its test payers, with the password and PIN shown to it. */
export function sandboxTestPayers(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('sandbox_test_payers')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('owner_user_id', 'text', (c) => c.notNull())
        .addColumn('password', 'text', (c) => c.notNull())
        .addColumn('pin', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sandbox_test_payers_owner').on('sandbox_test_payers').columns(['owner_user_id', 'created_at']).execute();
    },
  };
}
