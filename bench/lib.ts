// What the load scripts share: child processes, JSON calls, one autocannon measurement.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import autocannon from 'autocannon';

export type Row = { name: string; requests: number; rps: number; p50: number; p99: number; non2xx: number; errors: number };

/** Starts a process and resolves once its standard output shows `ready`. */
export function start(args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<{ child: ChildProcess; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes(ready)) resolve({ child, out });
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}:\n${out.slice(-2000)}`)));
  });
}

/** Runs the real `mpandco` command (of another checkout with `bin`); resolves with its standard output. */
export function cliOut(args: string[], env: NodeJS.ProcessEnv, bin = 'bin/mpandco.js'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`mpandco ${args.join(' ')} exited ${code}`))));
  });
}

export async function json(url: string, init: RequestInit = {}): Promise<any> {
  const r = await fetch(url, init);
  const body = await r.json();
  if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}

export const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * One autocannon run; completed requests over the run's real duration: from its start to its
 * last answer. (autocannon's own `duration` of a run with a fixed `amount` of requests ends on
 * its next half-second tick, which made the executions' figures jump by steps of 5 to 10 %.)
 */
export async function measure(name: string, opts: autocannon.Options): Promise<Row> {
  const started = performance.now();
  let lastAnswer = started;
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    run.on('response', () => {
      lastAnswer = performance.now();
    });
  });
  const seconds = Math.max(lastAnswer - started, 1) / 1000;
  const row = { name, requests: r.requests.total, rps: Math.round(r.requests.total / seconds), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
  process.stderr.write(`${name}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, non-2xx ${row.non2xx}, errors ${row.errors}\n`);
  return row;
}

export function table(rows: Row[]): string {
  return ['| scenario | req/s | p50 ms | p99 ms | non-2xx |', '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx + r.errors} |`)].join('\n');
}

/** Drops a run's PostgreSQL sandbox schema (nothing to do on SQLite). */
export async function dropBenchSchema(prefix: string): Promise<void> {
  if (!process.env.DATABASE_URL) return;
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists "${prefix}_sandbox" cascade`);
  await client.end();
}

/**
 * CPU time (user + system, seconds) and bytes written to storage (`write_bytes`: the pages a
 * process dirtied, its database log and checkpoints included) of this machine's processes, by
 * group, read from /proc (Linux).
 */
function cpuByGroup(): Map<string, { cpu: number; written: number }> {
  const tick = 100; // USER_HZ: 100 on Linux
  const out = new Map<string, { cpu: number; written: number }>();
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const group = Number(pid) === process.pid ? 'load generator'
        : cmd.includes('mpandco.js') ? 'servers'
          : comm.startsWith('postgres') || cmd.startsWith('postgres:') ? 'PostgreSQL' : undefined;
      if (!group) continue;
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const io = /^write_bytes: (\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'));
      out.set(`${group}\t${pid}`, { cpu: (Number(f[11]) + Number(f[12])) / tick, written: Number(io?.[1] ?? 0) });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * The CPU a unit of work costs: waits `delayMs`, then reads every server's, PostgreSQL's and
 * this process's CPU time and `count()` (e.g. payments in the database) at the start and end
 * of a window of `windowMs`. Gives, per group, the cores used and the milliseconds per unit;
 * with `commits` (PostgreSQL's committed transactions), how many the window saw.
 */
export async function cpuPerUnit(
  count: () => Promise<number>, delayMs: number, windowMs: number, commits?: () => Promise<number>, walBytes?: () => Promise<number>,
) {
  await new Promise((r) => setTimeout(r, delayMs));
  const c0 = await commits?.();
  const w0 = await walBytes?.();
  const n0 = await count();
  const a = cpuByGroup();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const b = cpuByGroup();
  const seconds = (performance.now() - t0) / 1000;
  const units = (await count()) - n0;
  const committed = commits && c0 !== undefined ? (await commits()) - c0 : undefined;
  const wal = walBytes && w0 !== undefined ? (await walBytes()) - w0 : undefined;
  const used = new Map<string, { cpu: number; written: number }>();
  for (const [key, t] of b) {
    const group = key.split('\t')[0]!;
    const before = a.get(key) ?? { cpu: 0, written: 0 };
    const sum = used.get(group) ?? { cpu: 0, written: 0 };
    used.set(group, { cpu: sum.cpu + t.cpu - before.cpu, written: sum.written + t.written - before.written });
  }
  return {
    seconds, units, committed, walKbPerUnit: wal !== undefined && units ? wal / 1024 / units : undefined,
    groups: [...used].map(([group, u]) => ({
      group, cores: u.cpu / seconds, msPerUnit: units ? (u.cpu * 1000) / units : NaN, kbWrittenPerUnit: units ? u.written / 1024 / units : NaN,
    })),
  };
}
