import { sql, type Expression, type ExpressionBuilder, type Insertable, type SqlBool } from 'kysely';
import type { DB, RequestLogTable } from '../db/schema.ts';
import type { DialectName, ReadDb, Writer } from '../db/store.ts';
import { statusRange, type LogCursor, type LogFilter } from './request-log.filter.ts';

// SQL of the request log. Every read starts from one app's rows and walks the index
// (app_id, created_at, id), newest first, so a page costs the same on a busy app.

export type NewLogRow = Insertable<RequestLogTable>;
type Eb = ExpressionBuilder<DB, 'request_log'>;

/** Which app each token (by its hash) belongs to; unknown hashes are left out. */
export async function appsOfTokens(db: ReadDb, tokenHashes: string[]): Promise<{ token_hash: string; app_id: string }[]> {
  if (!tokenHashes.length) return [];
  return db.selectFrom('oauth_tokens').select(['token_hash', 'app_id']).where('token_hash', 'in', tokenHashes).execute();
}

/** The apps behind these client ids, with what checks their secret. */
export async function clientsOf(db: ReadDb, clientIds: string[]): Promise<{ id: string; client_id: string; secret_hash: string }[]> {
  if (!clientIds.length) return [];
  return db.selectFrom('apps').select(['id', 'client_id', 'secret_hash']).where('client_id', 'in', clientIds).execute();
}

/** One multi-row INSERT. */
export async function insertLogRows(w: Writer, rows: NewLogRow[]): Promise<void> {
  if (rows.length) await w.insertInto('request_log').values(rows).execute();
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `column` contains `text`, whatever its case (ILIKE on PostgreSQL; SQLite's LIKE ignores ASCII case). */
function contains(d: DialectName, column: string, textValue: string): Expression<SqlBool> {
  const op = sql.raw(d === 'postgres' ? 'ilike' : 'like');
  return sql<SqlBool>`${sql.ref(column)} ${op} ${`%${escapeLike(textValue)}%`} escape '\\'`;
}

function matches(eb: Eb, d: DialectName, appId: string, f: LogFilter): Expression<SqlBool> {
  const all: Expression<SqlBool>[] = [eb('app_id', '=', appId)];
  if (f.method) all.push(eb('method', '=', f.method));
  if (f.path) all.push(contains(d, 'path', f.path));
  if (f.status) {
    const [lo, hi] = statusRange(f.status);
    all.push(eb('status', '>=', lo), eb('status', '<=', hi));
  }
  if (f.key) all.push(eb('idempotency_key', '=', f.key));
  if (f.q) {
    all.push(eb.or(['path', 'query', 'request_body', 'response_body', 'idempotency_key', 'request_id']
      .map((c) => contains(d, c, f.q!))));
  }
  return eb.and(all);
}

const LIST_COLUMNS = ['id', 'created_at', 'method', 'path', 'query', 'status', 'duration_ms', 'idempotency_key'] as const;

/** One page of an app's log, newest first, after the cursor; one more row than asked tells whether another page follows. */
export async function listLogRows(db: ReadDb, d: DialectName, appId: string, f: LogFilter, cursor: LogCursor | undefined, limit: number) {
  return db.selectFrom('request_log').select(LIST_COLUMNS)
    .where((eb) => {
      const base = matches(eb, d, appId, f);
      if (!cursor) return base;
      return eb.and([base, eb.or([
        eb('created_at', '<', cursor.createdAt),
        eb.and([eb('created_at', '=', cursor.createdAt), eb('id', '<', cursor.id)]),
      ])]);
    })
    .orderBy('created_at', 'desc').orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
}
export type LogListRow = Awaited<ReturnType<typeof listLogRows>>[number];

export async function findLogRow(db: ReadDb, appId: string, id: number) {
  return db.selectFrom('request_log').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
}

/** Deletes up to `batch` rows older than `cutoff`; returns how many. */
export async function deleteOlderThan(w: Writer, cutoff: number, batch: number): Promise<number> {
  const r = await w.deleteFrom('request_log').where('id', 'in', (eb) =>
    eb.selectFrom('request_log').select('id').where('created_at', '<', cutoff).limit(batch)).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The apps holding more than `cap` rows. */
export async function appsOverCap(db: ReadDb, cap: number): Promise<string[]> {
  const rows = await db.selectFrom('request_log').select('app_id').groupBy('app_id')
    .having((eb) => eb.fn.countAll(), '>', cap).execute();
  return rows.map((r) => r.app_id);
}

/** The newest row of the app past its first `cap` rows (newest first): it and everything older goes. */
export async function capBoundary(db: ReadDb, appId: string, cap: number): Promise<LogCursor | undefined> {
  const r = await db.selectFrom('request_log').select(['created_at', 'id']).where('app_id', '=', appId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').offset(cap).limit(1).executeTakeFirst();
  return r && { createdAt: Number(r.created_at), id: Number(r.id) };
}

/** Deletes up to `batch` of the app's rows at or before the boundary; returns how many. */
export async function deleteAtOrBefore(w: Writer, appId: string, boundary: LogCursor, batch: number): Promise<number> {
  const r = await w.deleteFrom('request_log').where('id', 'in', (eb) =>
    eb.selectFrom('request_log').select('id').where('app_id', '=', appId)
      .where((x) => x.or([
        x('created_at', '<', boundary.createdAt),
        x.and([x('created_at', '=', boundary.createdAt), x('id', '<=', boundary.id)]),
      ]))
      .limit(batch)).executeTakeFirst();
  return Number(r.numDeletedRows);
}
