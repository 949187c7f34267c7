// Loaded into the platform's process by `npm run bench -- --sql-timing FILE` (with
// `--import`, before the platform's own modules): times every SQLite statement the process
// runs, by its SQL text, on the thread that runs it. At each SIGUSR2 it appends what was timed
// since the last one to FILE as one JSON line, and starts again. The bench sends one before a
// measured scenario and one after it, so the second line is the scenario's. SQLite only:
// better-sqlite3 runs a statement on the event loop, so its time there is the process's own;
// a PostgreSQL query's time is a round trip.
import fs from 'node:fs';
import Database from 'better-sqlite3';

type Timed = { sql: string; calls: number; ns: number };
const FILE = process.env.BENCH_SQL_TIMING;
const timed = new Map<string, Timed>();

function time(sql: string, started: bigint): void {
  const ns = Number(process.hrtime.bigint() - started);
  const t = timed.get(sql);
  if (t) {
    t.calls++;
    t.ns += ns;
  } else timed.set(sql, { sql, calls: 1, ns });
}

if (FILE) {
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (this: Database.Database, source: string) {
    const stmt = prepare.call(this, source);
    const sql = source.replace(/\s+/g, ' ');
    for (const m of ['all', 'run', 'get', 'iterate'] as const) {
      const original = stmt[m] as (...a: unknown[]) => unknown;
      (stmt as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
        const started = process.hrtime.bigint();
        try {
          return original.apply(stmt, a);
        } finally {
          time(sql, started);
        }
      };
    }
    return stmt;
  } as typeof prepare;

  process.on('SIGUSR2', () => {
    fs.appendFileSync(FILE, `${JSON.stringify([...timed.values()])}\n`);
    timed.clear();
  });
}
