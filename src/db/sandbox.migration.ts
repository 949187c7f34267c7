import type { Kysely, Migration } from 'kysely';

// The sandbox's developer tools (src/test-mode, src/sandbox): each business account's test
// clock. Production has the same (empty) table and never reads it.

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
