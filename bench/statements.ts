// Statements per request: how many SQL statements (round trips on PostgreSQL) each hot API
// call sends to the store, counted at the driver, in one process, with nothing else running.
// Usage: node --import tsx bench/statements.ts [--runs 20]   (DATABASE_URL=... for PostgreSQL)
// Prints a Markdown table, and with --sql the statements of one execute.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { envConfig } from '../src/config/config.ts';
import { changeState, openIntent } from '../src/payment-intents/intent.machine.ts';
import { openEnvironment } from '../src/platform.ts';
import { createMerchant, createPayer } from '../src/sandbox/demo.ts';
import { dropBenchSchema, form, FORM } from './lib.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, sql: { type: 'boolean', default: false } } });
const RUNS = Number(values.runs);
const STORE = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

// Every statement either driver sends passes one of these.
const seen: string[] = [];
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const q = args[0] as string | { text: string };
  seen.push(typeof q === 'string' ? q : q.text);
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pgQuery;
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (this: Database.Database, source: string) {
  const stmt = prepare.call(this, source);
  for (const m of ['all', 'run', 'get', 'iterate'] as const) {
    const original = stmt[m] as (...a: unknown[]) => unknown;
    (stmt as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
      seen.push(source);
      return original.apply(stmt, a);
    };
  }
  return stmt;
} as typeof prepare;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-bench-stmts-'));
const env = { ...process.env, LOG_LEVEL: 'warn', MPANDCO_PG_SCHEMA_PREFIX: `bench_stmts_${process.pid}`, MPANDCO_AUTH_CACHE_MS: '2000' };
const ctx = await openEnvironment(envConfig('sandbox', { dataDir }, env));
const app = await buildApp(ctx);
const SALE = form({
  'paymentintent[intent]': 'sale', 'paymentintent[redirectUrls][returnUrl]': 'http://shop.test/ok',
  'paymentintent[redirectUrls][cancelUrl]': 'http://shop.test/ko', 'paymentintent[transactions][0][amount][total]': '0.01',
  'paymentintent[transactions][0][description]': 'Bench order', 'paymentintent[recipient]': '',
});

async function counted<T>(fn: () => Promise<T>): Promise<{ value: T; statements: string[] }> {
  seen.length = 0;
  const value = await fn();
  // Work a request leaves for after its answer (e-mail outbox, request log) is not its own.
  return { value, statements: [...seen] };
}

try {
  const shop = await createMerchant(ctx);
  const payers = await Promise.all(Array.from({ length: RUNS }, () => createPayer(ctx, 1_000_00)));
  const token = (await app.inject({
    method: 'POST', url: '/oauth/v2/token', headers: FORM,
    payload: form({ grant_type: 'urn:client_apps', client_id: shop.client_id, client_secret: shop.client_secret }),
  })).json().access_token as string;
  const auth = { authorization: `Bearer ${token}` };
  const rows: Record<string, number[]> = { token: [], create: [], show: [], list: [], execute: [] };
  let oneExecute: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    rows.token.push((await counted(() => app.inject({
      method: 'POST', url: '/oauth/v2/token', headers: FORM,
      payload: form({ grant_type: 'urn:client_apps', client_id: shop.client_id, client_secret: shop.client_secret }),
    }))).statements.length);
    const created = await counted(() => app.inject({ method: 'POST', url: '/api/payment-intent/.json', headers: { ...auth, ...FORM }, payload: SALE }));
    if (created.value.statusCode !== 200) throw new Error(`create answered ${created.value.statusCode}`);
    rows.create.push(created.statements.length);
    const id = created.value.json().id as string;
    const shown = await counted(() => app.inject({ method: 'GET', url: `/api/payment-intent/show.json?id=${id}`, headers: auth }));
    if (shown.value.statusCode !== 200) throw new Error(`show answered ${shown.value.statusCode}`);
    rows.show.push(shown.statements.length);
    const listed = await counted(() => app.inject({ method: 'GET', url: '/api/payment-intent/.json', headers: auth }));
    if (listed.value.statusCode !== 200) throw new Error(`list answered ${listed.value.statusCode}`);
    rows.list.push(listed.statements.length);
    const payer = payers[i];
    await ctx.store.tx(async (tx) => changeState(tx, (await openIntent(tx, id, Date.now()))!, 'authorize', Date.now(), payer.payer_id));
    const executed = await counted(() => app.inject({
      method: 'POST', url: `/api/payment-intent/execute/sale.json?id=${id}`, headers: { ...auth, ...FORM },
      payload: form({ 'payment_execution[paymentIntent]': id, 'payment_execution[payer]': payer.payer_id }),
    }));
    if (executed.value.statusCode !== 200) throw new Error(`execute answered ${executed.value.statusCode}: ${executed.value.body}`);
    rows.execute.push(executed.statements.length);
    oneExecute = executed.statements;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  process.stdout.write(`\n${new Date().toISOString().slice(0, 10)} · ${STORE} · statements per request (median of ${RUNS}, bearer cache on)\n\n`);
  process.stdout.write('| request | statements |\n|---|---:|\n');
  for (const [name, xs] of Object.entries(rows)) process.stdout.write(`| ${name} | ${median(xs)} |\n`);
  if (values.sql) process.stdout.write(`\nOne execute:\n${oneExecute.map((s, i) => `${i + 1}. ${s.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n')}\n`);
} finally {
  await app.close();
  await ctx.store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  await dropBenchSchema(env.MPANDCO_PG_SCHEMA_PREFIX);
}
