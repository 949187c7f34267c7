// Seeds one business with N payments in bulk SQL (not through the API: a million API calls
// would take hours): intents, their payments and ledger entries, spread over the past year,
// paid by 10,000 payers through two apps. Postings are left out: the dashboard's list,
// totals and export do not read them.
import { sql } from 'kysely';
import type { Ctx } from '../src/context.ts';
import { insertApp } from '../src/apps/apps.service.ts';
import { createMerchant } from '../src/sandbox/demo.ts';
import { DAY_MS } from '../src/shared/clock.ts';
import { randomToken, sha256 } from '../src/shared/ids.ts';

export interface Seeded {
  userId: string;
  cookie: string;
  sampleRef: string;
  samplePayer: string;
  sampleIntent: string;
}

const PAYERS = 10_000;

/** Rows 1..n from a generator each dialect has: generate_series, or a recursive CTE. */
function series(d: 'sqlite' | 'postgres', n: number, select: string): string {
  return d === 'postgres'
    ? `${select.replace(/\bFROM_SERIES\b/, `FROM generate_series(1::bigint, ${n}) AS s(x)`)}`
    : `WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < ${n}) ${select.replace(/\bFROM_SERIES\b/, 'FROM s')}`;
}

export async function seedDashboard(ctx: Ctx, n: number): Promise<Seeded> {
  const d = ctx.store.dialect;
  // The writing handle: on SQLite the root reader refuses writes (ANALYZE included).
  const db = ctx.store.autocommit;
  const now = ctx.clock.now();
  const m = await createMerchant(ctx, { appName: 'Tienda en línea', businessName: 'Bodegón Bench, C.A.' });
  const account = (await db.selectFrom('digital_accounts').select('id').where('user_id', '=', m.user_id).executeTakeFirstOrThrow()).id;
  const second = await ctx.store.tx((tx) => insertApp(tx, {
    ownerUserId: m.user_id, name: 'Punto de venta', description: 'Caja', homeUrl: 'http://localhost:3000', receivingAccountId: account, sandbox: true,
  }, now));
  const hex = (w: number, e: string) => (d === 'postgres' ? `lpad(to_hex(${e}), ${w}, '0')` : `printf('%0${w}x', ${e})`);
  const pad = (w: number, e: string) => (d === 'postgres' ? `lpad((${e})::text, ${w}, '0')` : `printf('%0${w}d', ${e})`);
  const uuid = (tag: string, e = 'x') => `${hex(8, e)} || '-${tag}-4000-8000-' || ${hex(12, e)}`;
  const cat = (...parts: string[]) => parts.join(' || ');
  const run = (q: string) => ctx.store.tx((tx) => sql.raw(q).execute(tx));

  // Payers: users and their wallets, enough that a payer filter selects about a hundred payments.
  await run(`INSERT INTO users (id, kind, username, password_hash, full_name, document, phone, pin_failed_count, pin_locked_until,
      login_failed_count, login_locked_until, status, created_at)
    ${series(d, PAYERS, `SELECT ${uuid('0001')}, 'personal', ${cat("'bench_payer_'", pad(5, 'x'))}, 'x', ${cat("'Cliente '", pad(5, 'x'))},
      ${cat("'V9'", pad(7, 'x'))}, ${cat("'58414'", pad(7, 'x'))}, 0, 0, 0, 0, 'active', ${now - 400 * DAY_MS} FROM_SERIES`)}`);
  await run(`INSERT INTO digital_accounts (id, user_id, handle, name, currency, balance_minor, allow_negative, kind, created_at)
    ${series(d, PAYERS, `SELECT ${uuid('0002')}, ${uuid('0001')}, ${cat("'bench_payer_'", pad(5, 'x'))}, 'Cliente', 'VES', 0, 0, 'wallet', ${now - 400 * DAY_MS} FROM_SERIES`)}`);

  // The business's intents: newest is row 1, one every (year / n); 85 % paid, 5 % annulled, the rest canceled.
  const step = Math.floor((365 * DAY_MS) / n);
  const created = `(${now - 60_000} - x * ${step})`;
  const payer = `((x % ${PAYERS}) + 1)`;
  const state = `CASE WHEN x % 20 = 0 THEN 'annulled' WHEN x % 10 = 5 THEN 'canceled' ELSE 'executed' END`;
  const total = `(((x * 7919) % 200000) + 100)`;
  const paid = `x % 10 <> 5`;
  const invoice = cat("'INV-'", pad(7, 'x'));
  const json = cat(`'[{"id":"t1","totalMinor":'`, total, `',"currency":"VES","shippingMinor":0,"taxMinor":0,"subTotalMinor":'`, total,
    `',"description":"Pedido '`, pad(7, 'x'), `'","invoiceNumber":"'`, invoice, `'","destinationAccountId":"${account}","destinationHandle":"${m.digital_account}","items":[],"distributions":[]}]'`);
  const payerId = uuid('0001', payer);
  await run(`INSERT INTO payment_intents (id, app_id, owner_user_id, intent, state, payer_user_id, recipient_user_id, return_url, cancel_url,
      currency, total_minor, items_minor, shipping_minor, tax_minor, transactions_json, created_at, authorized_at, executed_at, annulled_at,
      canceled_at, expires_at)
    ${series(d, n, `SELECT ${uuid('1000')}, CASE WHEN x % 3 = 0 THEN '${second.app.id}' ELSE '${m.app_id}' END, '${m.user_id}',
      CASE WHEN x % 4 = 0 THEN 'request' ELSE 'sale' END, ${state}, ${payerId}, NULL, 'https://shop.example/ok', 'https://shop.example/ko',
      'VES', ${total}, ${total}, 0, 0, ${json}, ${created}, CASE WHEN ${paid} THEN ${created} + 60000 END,
      CASE WHEN ${paid} THEN ${created} + 60000 END, CASE WHEN x % 20 = 0 THEN ${created} + 120000 END,
      CASE WHEN x % 10 = 5 THEN ${created} + ${3 * DAY_MS} END, ${created} + ${3 * DAY_MS} FROM_SERIES`)}`);
  await run(`INSERT INTO ledger_entries (id, ref, kind, description, reverses_entry_id, created_at)
    ${series(d, n, `SELECT ${uuid('2000')}, ${cat("'P99'", pad(11, 'x'))}, 'sale', 'Pedido', NULL, ${created} + 60000 FROM_SERIES WHERE ${paid}`)}`);
  await run(`INSERT INTO payments (id, ref, intent_id, txn_index, entry_id, type, status, amount_minor, currency, description, payer_user_id,
      source_account_id, recipient_account_id, recipient_user_id, created_at, updated_at)
    ${series(d, n, `SELECT ${uuid('3000')}, ${cat("'P99'", pad(11, 'x'))}, ${uuid('1000')}, 0, ${uuid('2000')},
      CASE WHEN x % 4 = 0 THEN 2000 ELSE 1000 END, CASE WHEN x % 20 = 0 THEN 2000 ELSE 9000 END, ${total}, 'VES', 'Pedido', ${payerId},
      ${uuid('0002', payer)}, '${account}', '${m.user_id}', ${created} + 60000, ${created} + 60000 FROM_SERIES WHERE ${paid}`)}`);
  await (d === 'postgres' ? sql`VACUUM ANALYZE`.execute(db) : sql`ANALYZE`.execute(db));

  // A session for the business, as the sign-in page would start it.
  const sid = randomToken(32);
  await db.insertInto('sessions').values({ id_hash: sha256(sid), user_id: m.user_id, kind: 'user', expires_at: now + DAY_MS, created_at: now }).execute();
  // Row k is executed when k % 10 is not 5: take one near the middle.
  const k = Math.floor(n / 2) - (Math.floor(n / 2) % 10) + 1;
  return {
    userId: m.user_id, cookie: `mp_sid=${sid}`, sampleRef: `P99${String(k).padStart(11, '0')}`,
    samplePayer: 'bench_payer_00042', sampleIntent: `${k.toString(16).padStart(8, '0')}-1000-4000-8000-${k.toString(16).padStart(12, '0')}`,
  };
}
