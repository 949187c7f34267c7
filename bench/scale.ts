// Payments at scale: executions of authorized sales from many payers, to one shop ("hot
// merchant", --shops 1) or spread over many (--shops 100), on one or two nodes sharing the
// store, beside a bare Fastify route in the same run. Every execution is a durable COMMIT.
// Usage: node --import tsx bench/scale.ts [--shops 1 --payers 1000 --workers 2 --nodes 1 --duration 10 --connections 50
//   --executions 20000 --cpu --cpu-prof DIR --pg-statements] [--compare 'VAR=value ...' --compare 'VAR=value ...' --repeat N]
// (DATABASE_URL=... for PostgreSQL). Prints a Markdown table; bench/README.md keeps the figures. With --cpu (Linux), the CPU
// time of the servers, PostgreSQL and this process over 10 s of the executions (from the 3rd second), per payment, with
// the bytes the servers and PostgreSQL wrote to storage and, on PostgreSQL, the WAL it generated. With --pg-statements
// (PostgreSQL with pg_stat_statements loaded, see bench/pg-statements.ts), each statement's time and WAL a payment over
// the same window.
//
// --compare runs each setting in turn, --repeat times (A B A B ...), every run on fresh data with its own
// bare route, and ends with each setting's runs and medians: on a machine whose speed drifts, settings
// compared in alternation are compared at the same moments. A setting is environment variables for the
// servers; BUILD=DIR starts the servers of another checkout (e.g. a `git worktree` of an earlier commit,
// built with `npm run build`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { checkNewUser, insertUser } from '../src/accounts/accounts.service.ts';
import { envConfig } from '../src/config/config.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { changeState, openIntent } from '../src/payment-intents/intent.machine.ts';
import { openEnvironment } from '../src/platform.ts';
import { createMerchant } from '../src/sandbox/demo.ts';
import { addTestFunds } from '../src/sandbox/funds.ts';
import { dropStatements, prepareStatements, statementsTable, statementsWindow } from './pg-statements.ts';
import { cpuPerUnit, form, FORM, json, measure, start, table, type Row, dropBenchSchema } from './lib.ts';

const { values } = parseArgs({
  options: {
    shops: { type: 'string', default: '1' }, payers: { type: 'string', default: '1000' }, workers: { type: 'string', default: '1' },
    nodes: { type: 'string', default: '1' }, duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' },
    executions: { type: 'string', default: '20000' },
    cpu: { type: 'boolean', default: false },
    'pg-statements': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' }, // a directory: each server process writes a .cpuprofile there
    compare: { type: 'string', multiple: true },
    repeat: { type: 'string', default: '1' },
  },
});
const [SHOPS, PAYERS, WORKERS, NODES, DURATION, CONNECTIONS, EXECUTIONS, REPEAT] =
  ['shops', 'payers', 'workers', 'nodes', 'duration', 'connections', 'executions', 'repeat'].map((k) => Number(values[k as keyof typeof values]));
const STORE = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
if (values['pg-statements'] && STORE !== 'postgres') throw new Error('--pg-statements needs PostgreSQL (DATABASE_URL)');
const SALE = form({
  'paymentintent[intent]': 'sale', 'paymentintent[redirectUrls][returnUrl]': 'http://shop.test/ok',
  'paymentintent[redirectUrls][cancelUrl]': 'http://shop.test/ko', 'paymentintent[transactions][0][amount][total]': '0.01',
  'paymentintent[transactions][0][description]': 'Bench order', 'paymentintent[recipient]': '',
});

/** A setting to compare: its label and the servers' extra environment. */
type Setting = { label: string; env: Record<string, string> };
const settings: Setting[] = (values.compare ?? ['']).map((text) => {
  const env: Record<string, string> = {};
  for (const pair of text.split(/\s+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`--compare takes VAR=value pairs; got "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { label: text.trim() || 'as built', env };
});

type Run = {
  setting: Setting; bare: Row; execute: Row; cpuLine: string; statements: string; msPerPayment?: number; kbPerPayment?: number; walKb?: number; perCommit?: number; verify: boolean;
};

/** One run: fresh shops, payers and sales in a schema of its own, the bare route, then the executions. */
async function runOnce(setting: Setting, n: number): Promise<Run> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-bench-scale-'));
  const { BUILD, ...vars } = setting.env;
  const env = {
    ...process.env, LOG_LEVEL: 'warn', NODE_ENV: process.env.NODE_ENV ?? 'production', MPANDCO_SANDBOX_PATH: 'bench',
    MPANDCO_SANDBOX_TOKEN: 'bench-token', MPANDCO_PG_SCHEMA_PREFIX: `bench_scale_${process.pid}_${n}`, ...vars,
  };
  const bin = path.join(BUILD ? path.resolve(BUILD) : process.cwd(), 'bin/mpandco.js');
  // Setup, not timed: shops, payers (one password hash shared: the KDF is not what is measured), funds.
  const ctx = await openEnvironment(envConfig('sandbox', { dataDir }, env));
  const ports = Array.from({ length: NODES }, (_, i) => 18280 + i);
  let bare: Awaited<ReturnType<typeof start>> | undefined;
  let nodes: Awaited<ReturnType<typeof start>>[] = [];
  let finished = false;
  try {
    // Refused before the setup, with what to do, when the server does not load the module.
    if (values['pg-statements']) extensionCreated ||= (await prepareStatements(ctx.store.autocommit)).created;
    const shops = [];
    for (let i = 0; i < SHOPS; i++) shops.push(await createMerchant(ctx));
    const template = await checkNewUser({
      kind: 'personal', username: 'bench0', password: 'Bench-pass-1', pin: '1234', fullName: 'Bench Payer',
      document: 'V10000000', phone: '584120000000', email: 'bench0@example.com',
    });
    const payerIds: string[] = [];
    for (let i = 0; i < PAYERS; i += 100) {
      payerIds.push(...await ctx.store.tx(async (tx) => {
        const made: string[] = [];
        for (let j = i; j < Math.min(i + 100, PAYERS); j++) {
          const { user, accountId } = await insertUser(tx, {
            ...template, username: `bench${j}`, handle: `bench${j}`, document: `V${10_000_000 + j}`,
            phone: `58412${String(j).padStart(7, '0')}`, email: `bench${j}@example.com`,
          }, Date.now());
          await addTestFunds(tx, accountId, 1_000_00, Date.now());
          made.push(user.id);
        }
        return made;
      }));
    }

    bare = await start(['--import', 'tsx', 'bench/bare.ts', '18182'], env, 'READY');
    const profile = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`] : [];
    nodes = await Promise.all(ports.map((port) => start([...profile, bin, 'serve', '--env', 'sandbox', '--port', String(port),
      '--data-dir', dataDir, '--workers', String(WORKERS)], env, 'Sandbox demo payers')));
    const bareRow = await measure('bare Fastify GET /json', { url: 'http://127.0.0.1:18182/json', connections: CONNECTIONS, duration: DURATION });
    bare.child.kill();
    const base = `http://127.0.0.1:${ports[0]}`;
    const tokens = await Promise.all(shops.map(async (s) => (await json(`${base}/oauth/v2/token`, {
      method: 'POST', headers: FORM, body: form({ grant_type: 'urn:client_apps', client_id: s.client_id, client_secret: s.client_secret }),
    })).access_token as string));

    // Sales of one céntimo, round robin over the shops, each authorized by the next payer.
    const sales: { id: string; payer: string; token: string }[] = [];
    for (let i = 0; i < EXECUTIONS; i += 200) {
      const made = await Promise.all(Array.from({ length: Math.min(200, EXECUTIONS - i) }, async (_, j) => {
        const token = tokens[(i + j) % tokens.length];
        const intent = await json(`${base}/api/payment-intent/.json`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...FORM }, body: SALE });
        return { id: intent.id as string, payer: payerIds[(i + j) % payerIds.length], token };
      }));
      await ctx.store.tx(async (tx) => {
        for (const s of made) await changeState(tx, (await openIntent(tx, s.id, Date.now()))!, 'authorize', Date.now(), s.payer);
      });
      sales.push(...made);
    }

    const name = `execute sale: ${SHOPS === 1 ? 'hot merchant' : `spread over ${SHOPS} shops`}, ${PAYERS} payers, ${NODES} node(s) × ${WORKERS} process(es)`;
    const share = Math.ceil(sales.length / NODES);
    process.stderr.write(`measuring: ${name}${settings.length > 1 || REPEAT > 1 ? ` [${setting.label}]` : ''}\n`);
    const paid = async () => Number((await ctx.store.db.selectFrom('payments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    // PostgreSQL's commits of the whole database (its statistics lag up to a second a backend):
    // how many payments a COMMIT carries, i.e. the groups' size.
    const commits = STORE === 'postgres'
      ? async () => Number((await sql<{ n: string }>`select xact_commit as n from pg_stat_database where datname = current_database()`.execute(ctx.store.db)).rows[0].n)
      : undefined;
    // PostgreSQL's write-ahead log: bytes written since the server started (every database's).
    const walBytes = STORE === 'postgres'
      ? async () => Number((await sql<{ b: string }>`select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as b`.execute(ctx.store.db)).rows[0].b)
      : undefined;
    const cpu = values.cpu ? cpuPerUnit(paid, 3_000, 10_000, commits, walBytes) : undefined;
    const statements = values['pg-statements'] ? statementsWindow(ctx.store.autocommit, paid, 3_000, 10_000) : undefined;
    statements?.catch(() => undefined); // awaited below, after the executions; a failure surfaces there
    const runs = await Promise.all(ports.map((port, k) => {
      const mine = sales.slice(k * share, (k + 1) * share);
      let next = 0;
      return measure(`${name} [node ${k + 1}]`, {
        url: `http://127.0.0.1:${port}/api/payment-intent/execute/sale.json`, method: 'POST', connections: Math.ceil(CONNECTIONS / NODES),
        duration: DURATION, amount: mine.length,
        requests: [{
          setupRequest: (req) => {
            const s = mine[next++ % mine.length];
            return {
              ...req, path: `/api/payment-intent/execute/sale.json?id=${s.id}`, headers: { ...FORM, authorization: `Bearer ${s.token}` },
              body: form({ 'payment_execution[paymentIntent]': s.id, 'payment_execution[payer]': s.payer }),
            };
          },
        }],
      });
    }));
    const execute: Row = {
      name, requests: runs.reduce((t, r) => t + r.requests, 0), rps: runs.reduce((t, r) => t + r.rps, 0), p50: Math.max(...runs.map((r) => r.p50)), p99: Math.max(...runs.map((r) => r.p99)),
      non2xx: runs.reduce((t, r) => t + r.non2xx, 0), errors: runs.reduce((t, r) => t + r.errors, 0),
    };
    let cpuLine = '';
    let msPerPayment: number | undefined;
    let kbPerPayment: number | undefined;
    let walKb: number | undefined;
    let perCommit: number | undefined;
    if (cpu) {
      const c = await cpu;
      msPerPayment = c.groups.reduce((t, g) => t + (g.group === 'load generator' ? 0 : g.msPerUnit), 0);
      kbPerPayment = c.groups.reduce((t, g) => t + (g.group === 'load generator' ? 0 : g.kbWrittenPerUnit), 0);
      perCommit = c.committed ? c.units / c.committed : undefined;
      cpuLine = `CPU per payment over ${c.seconds.toFixed(1)} s of the executions (${c.units} payments, ${Math.round(c.units / c.seconds)}/s): ${
        c.groups.map((g) => `${g.group} ${g.msPerUnit.toFixed(2)} ms (${g.cores.toFixed(2)} cores${
          g.group === 'load generator' ? '' : `, ${g.kbWrittenPerUnit.toFixed(1)} KB written`})`).join(', ')}${
        c.committed ? `; ${c.committed} commits, ${perCommit!.toFixed(1)} payments a commit` : ''}${
        c.walKbPerUnit !== undefined ? `; PostgreSQL's WAL ${c.walKbPerUnit.toFixed(1)} KB a payment` : ''}\n`;
      walKb = c.walKbPerUnit;
    }
    const statementsText = statements ? statementsTable(await statements) : '';
    const report = await verifyLedger(ctx.store.db);
    process.stderr.write(`ledger verify: ${report.ok ? 'OK' : JSON.stringify(report.violations.slice(0, 3))}\n`);
    finished = true;
    return { setting, bare: bareRow, execute, cpuLine, statements: statementsText, msPerPayment, kbPerPayment, walKb, perCommit, verify: report.ok };
  } finally {
    // The extension this bench created goes after the last run, or after a run that failed (no run follows it).
    if (extensionCreated && (!finished || n === settings.length * REPEAT - 1)) await dropStatements(ctx.store.autocommit).catch(() => undefined);
    bare?.child.kill();
    for (const node of nodes) node.child.kill('SIGTERM');
    await Promise.all(nodes.map((node) => new Promise((r) => (node.child.exitCode !== null ? r(null) : node.child.once('exit', r)))));
    await ctx.store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await dropBenchSchema(env.MPANDCO_PG_SCHEMA_PREFIX);
  }
}

/** Whether --pg-statements created the extension (then the last run drops it). */
let extensionCreated = false;
const done: Run[] = [];
for (let round = 0; round < REPEAT; round++) {
  for (const setting of settings) done.push(await runOnce(setting, done.length));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
let out = `\n${new Date().toISOString().slice(0, 10)} · ${STORE} · ${os.cpus().length} cores (${cpuModel}) · ${CONNECTIONS} connections · ${DURATION} s\n\n`;
if (done.length === 1) {
  out += `${table([done[0]!.bare, done[0]!.execute])}\n${done[0]!.cpuLine ? `\n${done[0]!.cpuLine}` : ''}${done[0]!.statements ? `\n${done[0]!.statements}` : ''}`;
} else {
  out += `${done[0]!.execute.name}, ${settings.length} setting(s) in alternation, ${REPEAT} round(s)\n\n`;
  out += '| run | setting | bare req/s | execute req/s | p50 ms | p99 ms | non-2xx | payments a commit | CPU ms a payment (servers + database) | KB written a payment (servers + database) | WAL of PostgreSQL, KB a payment | verify |\n';
  out += '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n';
  done.forEach((r, i) => {
    out += `| ${i + 1} | ${r.setting.label} | ${r.bare.rps} | ${r.execute.rps} | ${r.execute.p50} | ${r.execute.p99} | ${r.execute.non2xx + r.execute.errors} | ${
      r.perCommit?.toFixed(1) ?? ''} | ${r.msPerPayment?.toFixed(2) ?? ''} | ${r.kbPerPayment?.toFixed(1) ?? ''} | ${r.walKb?.toFixed(1) ?? ''} | ${r.verify ? 'OK' : 'FAILED'} |\n`;
  });
  out += '\n| setting | runs | execute req/s, each | median | median p99 ms | median execute ÷ bare |\n|---|---:|---|---:|---:|---:|\n';
  for (const s of settings) {
    const mine = done.filter((r) => r.setting === s);
    out += `| ${s.label} | ${mine.length} | ${mine.map((r) => r.execute.rps).join(', ')} | ${median(mine.map((r) => r.execute.rps))} | ${
      median(mine.map((r) => r.execute.p99))} | ${(100 * median(mine.map((r) => r.execute.rps / r.bare.rps))).toFixed(1)} % |\n`;
  }
  done.forEach((r, i) => {
    if (r.statements) out += `\nRun ${i + 1} (${r.setting.label}): ${r.statements}`;
  });
}
process.stdout.write(out);
if (done.some((r) => !r.verify)) process.exitCode = 1;
