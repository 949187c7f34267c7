// Load scripts: token, create, show and execute against the platform, beside a bare
// Fastify route, in one run. Usage: npm run bench [-- --duration 10 --connections 50 --workers 2 --payers 100
//   --scenarios token,create,show,execute --warmup 0 --build DIR --cpu-prof DIR --sql-timing FILE]
// Prints a Markdown table; the figures in bench/README.md come from it. --scenarios runs only
// those (the bare route always runs); --warmup S runs each scenario S seconds unmeasured first;
// --build DIR starts the platform of another checkout (a `git worktree` of an earlier commit,
// built), so that two builds can be run in alternation by a shell loop; --cpu-prof DIR writes a
// V8 CPU profile of the platform's process (with --workers 1) into DIR when it stops;
// --sql-timing FILE times each SQLite statement of each measured scenario (bench/sql-timing.ts,
// --workers 1) and prints the costliest under the table, each scenario's lines kept in FILE.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { cliOut as cli, form, FORM, json, measure as run, start, type Row, dropBenchSchema } from './lib.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' },
    workers: { type: 'string', default: '1' },
    // Executions are spread over this many sandbox payers (1: all from the sandbox test payer).
    payers: { type: 'string', default: '100' },
    scenarios: { type: 'string', default: 'token,create,show,execute' },
    warmup: { type: 'string', default: '0' },
    build: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'sql-timing': { type: 'string' },
  },
});
const SQL_TIMING = values['sql-timing'] ? path.resolve(values['sql-timing']) : undefined;
if ((values['cpu-prof'] || SQL_TIMING) && values.workers !== '1') throw new Error('--cpu-prof and --sql-timing look at one server process: --workers 1');
if (SQL_TIMING && process.env.DATABASE_URL) throw new Error('--sql-timing times SQLite statements: run it without DATABASE_URL');
const SCENARIOS = new Set(values.scenarios.split(','));
for (const s of SCENARIOS) if (!['token', 'create', 'show', 'execute'].includes(s)) throw new Error(`unknown scenario "${s}"`);
const WARMUP = Number(values.warmup);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const STORE = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
const PAYERS = Number(values.payers);
const rows: Row[] = [];
const timings: { name: string; requests: number; statements: Timed[] }[] = [];
const measure = async (name: string, opts: autocannon.Options, platformCall = true) => {
  if (WARMUP > 0 && !opts.amount) await run(`${name} (warm-up)`, { connections: CONNECTIONS, duration: WARMUP, ...opts });
  const timed = SQL_TIMING !== undefined && platformCall;
  if (timed) await timingMark();
  const row = await run(name, { connections: CONNECTIONS, duration: DURATION, ...opts });
  rows.push(row);
  if (timed) timings.push({ name, requests: row.requests, statements: await timingMark() });
};

type Timed = { sql: string; calls: number; ns: number };
// Asks the platform's process for what it timed since the last mark (one more line in the file).
async function timingMark(): Promise<Timed[]> {
  const before = fs.existsSync(SQL_TIMING!) ? fs.readFileSync(SQL_TIMING!, 'utf8').split('\n').length : 1;
  platform.child.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const lines = fs.existsSync(SQL_TIMING!) ? fs.readFileSync(SQL_TIMING!, 'utf8').split('\n') : [''];
    if (lines.length > before) return JSON.parse(lines[lines.length - 2]) as Timed[];
  }
  throw new Error(`the platform wrote no timings to ${SQL_TIMING}`);
}

const SALE = form({
  'paymentintent[intent]': 'sale',
  'paymentintent[redirectUrls][returnUrl]': 'http://shop.test/ok',
  'paymentintent[redirectUrls][cancelUrl]': 'http://shop.test/ko',
  'paymentintent[transactions][0][amount][total]': '1.00',
  'paymentintent[transactions][0][amount][currency]': 'VES',
  'paymentintent[transactions][0][description]': 'Bench order',
  'paymentintent[transactions][0][items][0][name]': 'Harina PAN 1kg',
  'paymentintent[transactions][0][items][0][price]': '1.00',
  'paymentintent[recipient]': '',
});
// Sales of one céntimo for the execute run, so the sandbox test payer's funds cover them all.
const CENT_SALE = SALE.replace('%5Btotal%5D=1.00', '%5Btotal%5D=0.01').replace('%5Bprice%5D=1.00', '%5Bprice%5D=0.01');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-bench-'));
const env = {
  ...process.env, LOG_LEVEL: 'warn', NODE_ENV: process.env.NODE_ENV ?? 'production', MPANDCO_SANDBOX_PATH: 'bench', MPANDCO_SANDBOX_TOKEN: 'bench-token',
  MPANDCO_PG_SCHEMA_PREFIX: `bench_${process.pid}`, ...(SQL_TIMING ? { BENCH_SQL_TIMING: SQL_TIMING } : {}),
};
const WORKERS = Number(values.workers);
const bin = values.build ? path.join(path.resolve(values.build), 'bin/mpandco.js') : 'bin/mpandco.js';
const cliOut = (args: string[]) => cli(args, env, bin);
const bare = await start(['--import', 'tsx', 'bench/bare.ts', '18181'], env, 'READY');
// The platform exactly as `npm start` runs it, sandbox only, without per-request info logs.
const profile = [
  ...(values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(values['cpu-prof'])] : []),
  ...(SQL_TIMING ? ['--import', 'tsx', '--import', path.resolve('bench/sql-timing.ts')] : []),
];
const platform = await start([...profile, bin, 'serve', '--env', 'sandbox', '--port', '18080', '--data-dir', dataDir,
  '--workers', String(WORKERS)], env, 'Sandbox demo payers');
const base = 'http://127.0.0.1:18080';
try {
  await measure('bare Fastify GET /json', { url: 'http://127.0.0.1:18181/json' }, false);

  const seed = {
    client_id: /client_id (\S+)/.exec(platform.out)![1],
    client_secret: /client_secret (\S+)/.exec(platform.out)![1],
  };
  const tokenBody = form({ grant_type: 'urn:client_apps', client_id: seed.client_id, client_secret: seed.client_secret });
  if (SCENARIOS.has('token')) await measure('POST /oauth/v2/token (urn:client_apps)', { url: `${base}/oauth/v2/token`, method: 'POST', headers: FORM, body: tokenBody });

  const { access_token: token } = await json(`${base}/oauth/v2/token`, { method: 'POST', headers: FORM, body: tokenBody });
  const auth = { authorization: `Bearer ${token}` };
  if (SCENARIOS.has('create')) await measure('POST /api/payment-intent/.json (create sale)', {
    url: `${base}/api/payment-intent/.json`, method: 'POST', headers: { ...auth, ...FORM }, body: SALE,
  });

  const shown = await json(`${base}/api/payment-intent/.json`, { method: 'POST', headers: { ...auth, ...FORM }, body: SALE });
  if (SCENARIOS.has('show')) await measure('GET /api/payment-intent/show.json', { url: `${base}/api/payment-intent/show.json?id=${shown.id}`, headers: auth });

  // Execute: approve enough sales first through the sandbox helper (not timed), then run
  // each execution exactly once under load.
  // Real traffic comes from many payers: with --payers N the sales are approved, round
  // robin, by N sandbox people made with `mpandco sandbox payer --count N`.
  if (SCENARIOS.has('execute')) {
    const payers: string[] = PAYERS > 1 ? JSON.parse(await cliOut(['sandbox', 'payer', '--count', String(PAYERS), '--balance', '1000',
      '--json', '--data-dir', dataDir])).map((p: { username: string; pin: string }) => `${p.username}&pin=${p.pin}`) : [];
    const ids: string[] = [];
    const target = Number(process.env.BENCH_EXECUTIONS ?? 20_000);
    for (let i = 0; i < target; i += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, async (_, j) => {
        const intent = await json(`${base}/api/payment-intent/.json`, { method: 'POST', headers: { ...auth, ...FORM }, body: CENT_SALE });
        const who = payers.length ? `&payer=${payers[(i + j) % payers.length]}` : '';
        const approved = await json(`${base}/bench/payment-intent/autorize.json?access_token=bench-token&id=${intent.id}${who}`);
        return `${intent.id} ${approved.payer.payer_info.id}`;
      }));
      ids.push(...batch);
    }
    let next = 0;
    await measure('POST /api/payment-intent/execute/sale.json', {
      url: `${base}/api/payment-intent/execute/sale.json`, method: 'POST', headers: { ...auth, ...FORM },
      amount: ids.length,
      requests: [{
        setupRequest: (req) => {
          const [id, payer] = ids[next++ % ids.length].split(' ');
          return { ...req, path: `/api/payment-intent/execute/sale.json?id=${id}`, body: form({ 'payment_execution[paymentIntent]': id, 'payment_execution[payer]': payer }) };
        },
      }],
    });
  }
} finally {
  bare.child.kill();
  platform.child.kill('SIGTERM');
  await new Promise((r) => platform.child.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
  await dropBenchSchema(env.MPANDCO_PG_SCHEMA_PREFIX);
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(`\n${new Date().toISOString().slice(0, 10)} · ${STORE} · ${os.cpus().length} cores (${cpu}) · ${WORKERS} server process(es) · ${CONNECTIONS} connections · ${DURATION} s per run · executions from ${Math.max(PAYERS, 1)} payer(s)${values.build ? ` · build ${values.build}` : ''}\n\n`);
process.stdout.write('| scenario | req/s | p50 ms | p99 ms | non-2xx |\n|---|---:|---:|---:|---:|\n');
for (const r of rows) process.stdout.write(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx + r.errors} |\n`);
for (const t of timings) {
  const all = t.statements.reduce((n, s) => n + s.ns, 0);
  process.stdout.write(`\n${t.name}: ${t.requests} requests, ${(all / 1e3 / Math.max(t.requests, 1)).toFixed(0)} µs of SQLite statements a request\n\n`);
  process.stdout.write('| statement | a request | µs each | µs a request |\n|---|---:|---:|---:|\n');
  for (const s of t.statements.sort((a, b) => b.ns - a.ns).slice(0, 12)) {
    const sql = s.sql.length > 90 ? `${s.sql.slice(0, 87)}...` : s.sql;
    process.stdout.write(`| \`${sql.replace(/\|/g, '\\|')}\` | ${(s.calls / Math.max(t.requests, 1)).toFixed(2)} | ${(s.ns / s.calls / 1e3).toFixed(1)} | ${(s.ns / 1e3 / Math.max(t.requests, 1)).toFixed(1)} |\n`);
  }
}
