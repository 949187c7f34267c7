// PostgreSQL's own account of where a run's time goes, statement by statement: the figures of
// pg_stat_statements over a window of the executions, divided by the payments made in it.
// Used by `bench/scale.ts --pg-statements`. The module must be loaded by the server
// (shared_preload_libraries, a restart); the bench never changes the server's settings. It
// creates the extension in `public` when it is missing and drops it again afterwards.
// pg_stat_statements is one table for the whole server: the window's reset clears it for
// every database, so run this with nothing else using the server.
import { sql, type Kysely } from 'kysely';

type AnyDb = Kysely<any>;

export interface StatementCost {
  query: string;
  perUnit: number;
  usEach: number;
  usPerUnit: number;
  planUsPerUnit: number;
  walBytesPerUnit: number;
}

export interface StatementsWindow {
  seconds: number;
  units: number;
  statements: StatementCost[];
}

const HOW = 'pg_stat_statements is not loaded by this PostgreSQL server. As its superuser: '
  + "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'; then restart the server "
  + '(e.g. pg_ctlcluster 15 main restart); ALTER SYSTEM RESET shared_preload_libraries and a restart undo it.';

/** Refuses, with what to do, unless the server loads pg_stat_statements; creates the extension if needed. */
export async function prepareStatements(db: AnyDb): Promise<{ created: boolean }> {
  const loaded = (await sql<{ v: string }>`select current_setting('shared_preload_libraries') as v`.execute(db)).rows[0]?.v ?? '';
  if (!loaded.split(',').map((s) => s.trim()).includes('pg_stat_statements')) throw new Error(HOW);
  const had = (await sql`select 1 from pg_extension where extname = 'pg_stat_statements'`.execute(db)).rows.length > 0;
  if (!had) await sql`create extension pg_stat_statements schema public`.execute(db);
  return { created: !had };
}

export async function dropStatements(db: AnyDb): Promise<void> {
  await sql`drop extension if exists pg_stat_statements`.execute(db);
}

/**
 * Waits delayMs, clears the statistics, waits windowMs, and returns every statement of the
 * current database that ran in the window, costliest first, per unit counted by `count`.
 * Times are PostgreSQL's (execution includes waiting for row locks); planning is apart.
 */
export async function statementsWindow(db: AnyDb, count: () => Promise<number>, delayMs: number, windowMs: number): Promise<StatementsWindow> {
  await new Promise((r) => setTimeout(r, delayMs));
  await sql`select public.pg_stat_statements_reset()`.execute(db);
  const n0 = await count();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const rows = (await sql<{ query: string; calls: string; exec_ms: number; plan_ms: number; wal_bytes: string }>`
    select query, calls::text as calls, total_exec_time as exec_ms, total_plan_time as plan_ms, wal_bytes::text as wal_bytes
    from public.pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'`.execute(db)).rows;
  const seconds = (performance.now() - t0) / 1000;
  const units = (await count()) - n0;
  const per = (x: number) => (units ? x / units : NaN);
  const statements = rows.map((r) => {
    const calls = Number(r.calls);
    return {
      query: r.query.replace(/\s+/g, ' ').trim(),
      perUnit: per(calls),
      usEach: calls ? (r.exec_ms * 1000) / calls : 0,
      usPerUnit: per(r.exec_ms * 1000),
      planUsPerUnit: per(r.plan_ms * 1000),
      walBytesPerUnit: per(Number(r.wal_bytes)),
    };
  }).sort((a, b) => b.usPerUnit + b.planUsPerUnit - (a.usPerUnit + a.planUsPerUnit));
  return { seconds, units, statements };
}

/** A Markdown table of the costliest statements, and their total. */
export function statementsTable(w: StatementsWindow, top = 12, unit = 'payment'): string {
  const cut = (q: string) => `\`${(q.length > 90 ? `${q.slice(0, 87)}...` : q).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
  const total = (f: (s: StatementCost) => number) => w.statements.reduce((t, s) => t + f(s), 0);
  let out = `PostgreSQL's statements over ${w.seconds.toFixed(1)} s of the executions (${w.units} ${unit}s, pg_stat_statements), a ${unit}:\n\n`;
  out += `| statement | calls a ${unit} | µs each | µs a ${unit} | planning µs a ${unit} | WAL bytes a ${unit} |\n|---|---:|---:|---:|---:|---:|\n`;
  for (const s of w.statements.slice(0, top)) {
    out += `| ${cut(s.query)} | ${s.perUnit.toFixed(2)} | ${s.usEach.toFixed(1)} | ${s.usPerUnit.toFixed(1)} | ${s.planUsPerUnit.toFixed(1)} | ${Math.round(s.walBytesPerUnit)} |\n`;
  }
  out += `| all ${w.statements.length} statements | ${total((s) => s.perUnit).toFixed(2)} | | ${total((s) => s.usPerUnit).toFixed(1)} | ${
    total((s) => s.planUsPerUnit).toFixed(1)} | ${Math.round(total((s) => s.walBytesPerUnit))} |\n`;
  return out;
}
