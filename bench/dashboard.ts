// The merchant dashboard on a business with a million payments: first page, filters,
// search, charts, detail and the CSV export, beside a bare Fastify route in the same run.
// Usage: node --import tsx bench/dashboard.ts [--rows 1000000 --duration 10 --connections 10]
// (DATABASE_URL=... for PostgreSQL). Prints Markdown; bench/README.md keeps the figures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { envConfig } from '../src/config/config.ts';
import { openEnvironment } from '../src/platform.ts';
import { seedDashboard } from './dashboard-seed.ts';
import { measure, start, table, type Row, dropBenchSchema } from './lib.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' } },
});
const ROWS = Number(values.rows);
const STORE = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-bench-dash-'));
const env = { ...process.env, LOG_LEVEL: 'warn', MPANDCO_SANDBOX_PATH: 'bench', MPANDCO_SANDBOX_TOKEN: 'bench-token', MPANDCO_PG_SCHEMA_PREFIX: `bench_dash_${process.pid}` };
const out: string[] = [];
const note = (line: string) => {
  out.push(line);
  process.stderr.write(`${line}\n`);
};

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

let t = performance.now();
const ctx = await openEnvironment(envConfig('sandbox', { dataDir, port: '0' }, env, true));
const seeded = await seedDashboard(ctx, ROWS);
await ctx.store.close();
note(`seeded ${ROWS.toLocaleString('en-US')} payments in ${((performance.now() - t) / 1000).toFixed(0)} s`);

const { child: bare } = await start(['--import', 'tsx', 'bench/bare.ts', '18181'], env, 'READY');
// The platform from its sources, one process, as `npm run dev -- serve` runs it, with its
// JavaScript heap capped: an export that kept rows in memory would run out of it.
const HEAP_MB = 128;
const { child: server } = await start([`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', 'src/cli/main.ts', 'serve', '--env', 'sandbox',
  '--port', '18090', '--data-dir', dataDir], env, 'Sandbox demo payers');
const base = 'http://127.0.0.1:18090';
const headers = { cookie: seeded.cookie, accept: 'text/html' };
const get = async (p: string) => {
  const r = await fetch(base + p, { headers });
  if (r.status !== 200) throw new Error(`GET ${p}: ${r.status}`);
  return r.text();
};

try {
  t = performance.now();
  await get('/dashboard');
  note(`first request (sums the closed days once): ${(performance.now() - t).toFixed(0)} ms`);
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    t = performance.now();
    await get('/dashboard');
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  note(`GET /dashboard one at a time, 100 requests: median ${times[50].toFixed(1)} ms, p95 ${times[95].toFixed(1)} ms, max ${times[99].toFixed(1)} ms`);

  const rows: Row[] = [];
  const run = async (name: string, url: string, h: Record<string, string> = headers) =>
    rows.push(await measure(name, { url, headers: h, connections: Number(values.connections), duration: Number(values.duration) }));
  await run('bare Fastify GET /json', 'http://127.0.0.1:18181/json', {});
  await run('GET /dashboard (first page, totals)', `${base}/dashboard`);
  await run('GET /dashboard?state=executed&type=sale', `${base}/dashboard?state=executed&type=sale`);
  await run('GET /dashboard?q=<payment reference>', `${base}/dashboard?q=${seeded.sampleRef}`);
  await run('GET /dashboard?payer=<username>', `${base}/dashboard?payer=${seeded.samplePayer}`);
  await run('GET /dashboard?min=100&max=150 (scan for totals)', `${base}/dashboard?min=100&max=150`);
  await run('GET /dashboard/charts (30 days)', `${base}/dashboard/charts`);
  await run('GET /dashboard/payments/:id (detail)', `${base}/dashboard/payments/${seeded.sampleIntent}`);

  // The export: every row, read as it streams, with the server's memory sampled meanwhile.
  const pid = server.pid!;
  const before = rssMb(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  t = performance.now();
  const res = await fetch(`${base}/dashboard/export.csv`, { headers });
  let bytes = 0;
  let lines = 0;
  // The server's memory at each quarter of the rows: flat means it does not grow with them.
  const quarters: string[] = [];
  for await (const chunk of res.body!) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines++;
    if (lines >= ((quarters.length + 1) * ROWS) / 4 && quarters.length < 3) quarters.push(`${rssMb(pid).toFixed(0)} MB`);
  }
  clearInterval(sampler);
  const seconds = (performance.now() - t) / 1000;
  note(`export.csv (server heap capped at ${HEAP_MB} MB): ${(lines - 1).toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s ` +
    `(${Math.round((lines - 1) / seconds).toLocaleString('en-US')} rows/s); server RSS ${before.toFixed(0)} MB before, ` +
    `${quarters.join(', ')} at 1/4, 1/2 and 3/4 of the rows, ${peak.toFixed(0)} MB at most, ${rssMb(pid).toFixed(0)} MB after`);

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  // Other work on the machine shows here: figures are only comparable through the bare route and this.
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stdout.write(`\n${new Date().toISOString().slice(0, 10)} · ${STORE} · ${os.cpus().length} cores (${cpu}) · 1 server process · ${ROWS.toLocaleString('en-US')} payments · ${values.connections} connections · ${values.duration} s per run · load average at the end ${load}\n\n`);
  for (const line of out) process.stdout.write(`- ${line}\n`);
  process.stdout.write(`\n${table(rows)}\n`);
} finally {
  bare.kill();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
  await dropBenchSchema(env.MPANDCO_PG_SCHEMA_PREFIX);
}
