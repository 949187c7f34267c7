import { sql, type Kysely, type Migration } from 'kysely';

// The request log of each app (src/request-log): one row per API call made with the app's
// credentials, kept 7 days and at most a fixed number of rows per app, purged in batches.

type AnyDb = Kysely<any>;

export function requestLog(d: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('request_log')
        .addColumn('id', d === 'postgres' ? 'bigserial' : 'integer', (c) => (d === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        // The query string with its secrets redacted, without the '?'; '' when there is none.
        .addColumn('query', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('idempotency_key', 'text')
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('request_headers', 'text', (c) => c.notNull())
        .addColumn('request_body', 'text')
        .addColumn('request_truncated', 'integer', (c) => c.notNull())
        .addColumn('response_body', 'text')
        .addColumn('response_truncated', 'integer', (c) => c.notNull())
        .execute();
      // The app's page walks this index newest first; the per-app cap finds its boundary in it.
      await db.schema.createIndex('request_log_app').on('request_log').columns(['app_id', 'created_at', 'id']).execute();
      // The 7-day purge takes the oldest rows of every app from here.
      await db.schema.createIndex('request_log_created').on('request_log').columns(['created_at', 'id']).execute();
    },
  };
}

/**
 * SQLite keeps the request log in a file of its own, attached as `log` (see `openStore`), which
 * creates the table there. This moves the rows an older store kept in its main file, ids and
 * all (so links to an entry keep working), and drops the old table with its indexes. On
 * PostgreSQL the log stays where it is.
 */
export function requestLogOwnFile(d: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: AnyDb) {
      if (d !== 'sqlite') return;
      const { rows } = await sql`select 1 from main.sqlite_master where type = 'table' and name = 'request_log'`.execute(db);
      if (!rows.length) return;
      const columns = sql.raw(REQUEST_LOG_COLUMNS.join(', '));
      await sql`insert into log.request_log (${columns}) select ${columns} from main.request_log`.execute(db);
      await sql`drop table main.request_log`.execute(db);
    },
  };
}

const REQUEST_LOG_COLUMNS = ['id', 'app_id', 'created_at', 'method', 'path', 'query', 'status', 'duration_ms', 'idempotency_key',
  'request_id', 'request_headers', 'request_body', 'request_truncated', 'response_body', 'response_truncated'];

/**
 * The request log's table and indexes in SQLite's `schema` (the attached `log` file), as
 * migration 0040 made them: run at every open, so that a log file lost or new is made again.
 */
export function requestLogSqliteDdl(schema: string): string[] {
  return [
    `create table if not exists ${schema}.request_log ("id" integer primary key autoincrement, "app_id" text not null,
      "created_at" bigint not null, "method" text not null, "path" text not null, "query" text not null,
      "status" integer not null, "duration_ms" integer not null, "idempotency_key" text, "request_id" text not null,
      "request_headers" text not null, "request_body" text, "request_truncated" integer not null,
      "response_body" text, "response_truncated" integer not null)`,
    `create index if not exists ${schema}.request_log_app on request_log ("app_id", "created_at", "id")`,
    `create index if not exists ${schema}.request_log_created on request_log ("created_at", "id")`,
  ];
}
