import { findUserByLogin, walletsOf } from '../accounts/accounts.service.ts';
import { movementsOf } from '../wallet/movements.ts';
import { parseTransactions } from '../payment-intents/payment-intent.types.ts';
import type { ReadDb } from '../db/store.ts';

// One search box for support: an account (username, phone, document or digital account),
// a payment (id or human reference P.../MP...), an intent or an app (id or client id).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REF = /^(P|MP|R|T)\d{13}$/i;

export async function lookup(db: ReadDb, raw: string) {
  const q = raw.trim();
  if (!q || q.length > 200) return { q, found: false as const };
  const [account, payment, intent, app] = await Promise.all([
    findAccount(db, q), findPayment(db, q), UUID.test(q) ? findIntent(db, q) : undefined, findApp(db, q),
  ]);
  return { q, found: Boolean(account || payment || intent || app), account, payment, intent, app };
}

async function findAccount(db: ReadDb, q: string) {
  let user = await findUserByLogin(db, q);
  if (!user) {
    const byHandle = await db.selectFrom('digital_accounts').select('user_id').where('handle', '=', q.toLowerCase()).executeTakeFirst();
    if (byHandle?.user_id) user = await db.selectFrom('users').selectAll().where('id', '=', byHandle.user_id).executeTakeFirst();
  }
  if (!user && UUID.test(q)) user = await db.selectFrom('users').selectAll().where('id', '=', q).executeTakeFirst();
  if (!user) return undefined;
  const [wallets, movements, apps] = await Promise.all([
    walletsOf(db, user.id),
    movementsOf(db, user.id, 20),
    db.selectFrom('apps').select(['id', 'name', 'status', 'ready']).where('owner_user_id', '=', user.id).orderBy('created_at').execute(),
  ]);
  const { password_hash: _p, pin_hash: _n, ...safe } = user;
  return { user: safe, wallets, movements, apps };
}

async function findPayment(db: ReadDb, q: string) {
  if (!UUID.test(q) && !REF.test(q)) return undefined;
  const key = UUID.test(q) ? q : q.toUpperCase();
  const payment = await db.selectFrom('payments as p')
    .innerJoin('users as payer', 'payer.id', 'p.payer_user_id')
    .innerJoin('digital_accounts as src', 'src.id', 'p.source_account_id')
    .innerJoin('digital_accounts as dst', 'dst.id', 'p.recipient_account_id')
    .select(['p.id', 'p.ref', 'p.intent_id', 'p.type', 'p.status', 'p.amount_minor', 'p.description', 'p.created_at', 'p.updated_at',
      'p.entry_id', 'payer.username as payer', 'src.handle as source', 'dst.handle as recipient'])
    .where((eb) => eb.or([eb('p.id', '=', key), eb('p.ref', '=', key)])).executeTakeFirst();
  const entry = await db.selectFrom('ledger_entries').selectAll()
    .where((eb) => (payment ? eb('id', '=', payment.entry_id) : eb('ref', '=', key))).executeTakeFirst();
  if (!payment && !entry) return undefined;
  const postings = entry
    ? await db.selectFrom('postings as p').innerJoin('digital_accounts as a', 'a.id', 'p.account_id')
      .select(['a.handle', 'p.amount_minor']).where('p.entry_id', '=', entry.id).orderBy('p.id').execute()
    : [];
  const reversal = entry
    ? await db.selectFrom('ledger_entries').select(['ref', 'created_at']).where('reverses_entry_id', '=', entry.id).executeTakeFirst()
    : undefined;
  return { payment, entry, postings, reversal };
}

async function findIntent(db: ReadDb, id: string) {
  const intent = await db.selectFrom('payment_intents as i')
    .innerJoin('apps as a', 'a.id', 'i.app_id')
    .innerJoin('users as o', 'o.id', 'i.owner_user_id')
    .leftJoin('users as payer', 'payer.id', 'i.payer_user_id')
    .leftJoin('users as r', 'r.id', 'i.recipient_user_id')
    .select(['i.id', 'i.intent', 'i.state', 'i.total_minor', 'i.return_url', 'i.cancel_url', 'i.transactions_json', 'i.created_at',
      'i.authorized_at', 'i.executed_at', 'i.annulled_at', 'i.canceled_at', 'i.expires_at', 'a.id as app_id', 'a.name as app_name',
      'o.username as owner', 'payer.username as payer', 'r.username as recipient'])
    .where('i.id', '=', id).executeTakeFirst();
  if (!intent) return undefined;
  const [payments, callbacks] = await Promise.all([
    db.selectFrom('payments').select(['id', 'ref', 'status', 'amount_minor']).where('intent_id', '=', id).orderBy('txn_index').execute(),
    db.selectFrom('callback_attempts').select(['uri', 'status_code', 'error', 'at']).where('intent_id', '=', id).orderBy('id').execute(),
  ]);
  const { transactions_json, ...rest } = intent;
  let transactions: { description: string; totalMinor: number; invoiceNumber: string | null }[] = [];
  try {
    transactions = parseTransactions(transactions_json);
  } catch {
    /* a malformed row is shown without its transactions */
  }
  return { intent: rest, transactions, payments, callbacks };
}

async function findApp(db: ReadDb, q: string) {
  return db.selectFrom('apps').select(['id', 'name', 'client_id', 'status', 'ready'])
    .where((eb) => eb.or([eb('id', '=', q), eb('client_id', '=', q)])).executeTakeFirst();
}
