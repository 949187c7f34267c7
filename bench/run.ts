// Load scripts: token, create, show and execute against the platform, beside a bare
// Fastify route, in one run. Usage: npm run bench [-- --duration 10 --connections 50 --workers 2 --payers 100
//   --scenarios token,create,show,execute --warmup 0 --build DIR]
// Prints a Markdown table; the figures in bench/README.md come from it. --scenarios runs only
// those (the bare route always runs); --warmup S runs each scenario S seconds unmeasured first;
// --build DIR starts the platform of another checkout (a `git worktree` of an earlier commit,
// built), so that two builds can be run in alternation by a shell loop.
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
  },
});
const SCENARIOS = new Set(values.scenarios.split(','));
for (const s of SCENARIOS) if (!['token', 'create', 'show', 'execute'].includes(s)) throw new Error(`unknown scenario "${s}"`);
const WARMUP = Number(values.warmup);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const STORE = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
const PAYERS = Number(values.payers);
const rows: Row[] = [];
const measure = async (name: string, opts: autocannon.Options) => {
  if (WARMUP > 0 && !opts.amount) await run(`${name} (warm-up)`, { connections: CONNECTIONS, duration: WARMUP, ...opts });
  rows.push(await run(name, { connections: CONNECTIONS, duration: DURATION, ...opts }));
};

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
  MPANDCO_PG_SCHEMA_PREFIX: `bench_${process.pid}`,
};
const WORKERS = Number(values.workers);
const bin = values.build ? path.join(path.resolve(values.build), 'bin/mpandco.js') : 'bin/mpandco.js';
const cliOut = (args: string[]) => cli(args, env, bin);
const bare = await start(['--import', 'tsx', 'bench/bare.ts', '18181'], env, 'READY');
// The platform exactly as `npm start` runs it, sandbox only, without per-request info logs.
const platform = await start([bin, 'serve', '--env', 'sandbox', '--port', '18080', '--data-dir', dataDir,
  '--workers', String(WORKERS)], env, 'Sandbox demo payers');
const base = 'http://127.0.0.1:18080';
try {
  await measure('bare Fastify GET /json', { url: 'http://127.0.0.1:18181/json' });

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
