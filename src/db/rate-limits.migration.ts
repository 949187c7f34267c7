import type { Kysely, Migration } from 'kysely';

// Rate-limit counters live in the store, so that every node behind a load balancer counts
// against the same limit: one row per route and client, holding the current window.

type AnyDb = Kysely<any>;

export function rateLimits(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('rate_limits')
        // "<METHOD> <route>|<client>": the route's own limit for one client address.
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('hits', 'integer', (c) => c.notNull())
        .addColumn('window_ends_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('rate_limits_window_ends').on('rate_limits').column('window_ends_at').execute();
    },
  };
}
