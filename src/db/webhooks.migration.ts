import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';

// The merchant's view of what the platform sends it: the callback log (each attempt's
// classified error and the retry it scheduled, re-sends, test deliveries) and webhooks
// (events written with the state change that causes them, delivered from the same rows).

type Dialect = 'sqlite' | 'postgres';
type AnyDb = Kysely<any>;

const CALLBACK_COLUMNS = [
  'id', 'intent_id', 'app_id', 'url', 'status', 'attempts', 'next_attempt_at', 'locked_until', 'locked_by', 'created_at', 'delivered_at',
];

/**
 * A test delivery belongs to no intent, so `callbacks.intent_id` becomes nullable. SQLite
 * cannot drop a NOT NULL: the table is rebuilt, its rows copied aside and back under
 * deferred foreign keys, so the attempts that point at them stay valid at commit.
 */
async function intentOptional(db: AnyDb, d: Dialect): Promise<void> {
  if (d === 'postgres') {
    await sql`alter table callbacks alter column intent_id drop not null`.execute(db);
    return;
  }
  const cols = sql.raw(CALLBACK_COLUMNS.join(', '));
  await sql`pragma defer_foreign_keys = on`.execute(db);
  await sql`create table callbacks_copy as select ${cols} from callbacks`.execute(db);
  await sql`drop table callbacks`.execute(db);
  await db.schema.createTable('callbacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('intent_id', 'text', (c) => c.references('payment_intents.id'))
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint').execute();
  await sql`insert into callbacks (${cols}) select ${cols} from callbacks_copy`.execute(db);
  await sql`drop table callbacks_copy`.execute(db);
  await db.schema.createIndex('callbacks_due').on('callbacks').columns(['status', 'next_attempt_at']).execute();
}

/** Columns every outbox row of the log has: who re-sent it, and from when its retries count again. */
function outboxExtras<T extends CreateTableBuilder<string, never>>(tb: T): T {
  return tb
    .addColumn('test', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('requeued_at', 'bigint')
    .addColumn('requeue_attempts', 'integer', (c) => c.notNull().defaultTo(0)) as T;
}

export function callbackLog(d: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await intentOptional(db, d);
      await db.schema.alterTable('callbacks').addColumn('test', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('callbacks').addColumn('requeued_at', 'bigint').execute();
      await db.schema.alterTable('callbacks').addColumn('requeue_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createIndex('callbacks_app_log').on('callbacks').columns(['app_id', 'created_at', 'id']).execute();
      // What kind of failure (dns, timeout, tls, refused, reset, http, blocked, network), the
      // retry the attempt scheduled and how long it took.
      await db.schema.alterTable('callback_attempts').addColumn('error_kind', 'text').execute();
      await db.schema.alterTable('callback_attempts').addColumn('next_attempt_at', 'bigint').execute();
      await db.schema.alterTable('callback_attempts').addColumn('duration_ms', 'integer').execute();
      await db.schema.createIndex('callback_attempts_callback').on('callback_attempts').columns(['callback_id', 'id']).execute();
    },
  };
}

export function webhooks(d: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      // The app's webhook: its endpoint, signing secret, and the event types it records
      // (",sale.executed,request.paid,": one LIKE finds a type). A `mpandco listen` session
      // records every type until events_listen_until.
      await db.schema.alterTable('apps').addColumn('webhook_url', 'text').execute();
      await db.schema.alterTable('apps').addColumn('webhook_secret', 'text').execute();
      await db.schema.alterTable('apps').addColumn('webhook_events', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('apps').addColumn('events_listen_until', 'bigint', (c) => c.notNull().defaultTo(0)).execute();

      const seq = (tb: CreateTableBuilder<string, never>) => (d === 'postgres'
        ? tb.addColumn('seq', 'bigserial', (c) => c.primaryKey())
        : tb.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement()));
      // An event and its delivery in one row: the state change writes one INSERT.
      // status: 'none' (recorded, no endpoint wants it), 'pending', 'delivered', 'failed'.
      await outboxExtras(seq(db.schema.createTable('events') as CreateTableBuilder<string, never>)
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('object_id', 'text', (c) => c.notNull())
        .addColumn('data_json', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at', 'bigint')).execute();
      await db.schema.createIndex('events_app').on('events').columns(['app_id', 'user_id', 'seq']).execute();
      await db.schema.createIndex('events_app_log').on('events').columns(['app_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('events_due').on('events').columns(['status', 'next_attempt_at']).execute();

      const serial = (tb: CreateTableBuilder<string, never>) => (d === 'postgres'
        ? tb.addColumn('id', 'bigserial', (c) => c.primaryKey())
        : tb.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()));
      await serial(db.schema.createTable('webhook_attempts') as CreateTableBuilder<string, never>)
        .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('error_kind', 'text')
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('duration_ms', 'integer')
        .addColumn('at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('webhook_attempts_event').on('webhook_attempts').columns(['event_id', 'id']).execute();
    },
  };
}
