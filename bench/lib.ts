// What the load scripts share: child processes, JSON calls, one autocannon measurement.
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';

export type Row = { name: string; rps: number; p50: number; p99: number; non2xx: number; errors: number };

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

/** Runs the real `mpandco` command; resolves with its standard output. */
export function cliOut(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/mpandco.js', ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
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
  const row = { name, rps: Math.round(r.requests.total / seconds), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
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
