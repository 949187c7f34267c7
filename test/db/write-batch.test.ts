import { sql, type CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/store.ts';
import { WriteBatch } from '../../src/db/write-batch.ts';
import { InvariantError } from '../../src/ledger/invariants.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { PAYMENT_STATUS } from '../../src/payments/payment.types.ts';
import { execute, openIntentToPay } from '../../src/payment-intents/intent.machine.ts';
import { paymentParties, type IntentRow } from '../../src/payment-intents/payment-intent.repository.ts';
import { DIALECT, testServer, type TestServer } from '../helpers/env.ts';
import { postForm, phpQuery } from '../helpers/http.ts';
import { approveAs, balanceOf, createSale, createUrl, merchantWithToken, payer, saleDoc, type Merchant } from '../payment-intents/fixtures.ts';

// A WriteBatch sends writes nobody waits on together: one statement on PostgreSQL (each
// write a data-modifying CTE), one by one on SQLite. Either way the same rows land, each
// write says how many rows it changed, and a failure is the failing write's own error.

/** The SQL texts a transaction sends, from here on. */
function recording(tx: Tx): string[] {
  const seen: string[] = [];
  const executor = tx.getExecutor() as { executeQuery: (q: CompiledQuery, id: unknown) => Promise<unknown> };
  const original = executor.executeQuery.bind(executor);
  executor.executeQuery = (q, id) => {
    seen.push(q.sql);
    return original(q, id);
  };
  return seen;
}

const setting = (s: TestServer, key: string) => s.ctx.store.db.selectFrom('settings').select('value').where('key', '=', key).execute();

describe('WriteBatch', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
    await s.ctx.store.autocommit.insertInto('settings').values([{ key: 'wb.old', value: 'old' }, { key: 'wb.taken', value: 'x' }]).execute();
  });
  afterAll(async () => s.close());

  it('lands every write with how many rows it changed; one statement on PostgreSQL', async () => {
    const { changed, sent } = await s.ctx.store.tx(async (tx) => {
      const batch = new WriteBatch(tx);
      const sent = recording(tx);
      const slots = [
        await batch.add(tx.insertInto('settings').values({ key: 'wb.a', value: 'a' }).compile()),
        await batch.add(tx.insertInto('settings').values([{ key: 'wb.b', value: 'b' }, { key: 'wb.c', value: 'c' }]).compile()),
        await batch.add(tx.updateTable('settings').set({ value: 'new' }).where('key', '=', 'wb.old').compile()),
        await batch.add(tx.updateTable('settings').set({ value: 'none' }).where('key', '=', 'wb.absent').compile()),
        // A literal that looks like a placeholder stays a literal when the writes are joined.
        await batch.add(sql`insert into settings (key, value) values (${'wb.lit'}, '$1 and ''$2''')`.compile(tx)),
      ];
      await batch.flush();
      return { changed: slots.map((x) => x.changed), sent: [...sent] };
    });
    expect(changed).toEqual([1, 2, 1, 0, 1]);
    if (DIALECT === 'postgres') {
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(/^with w1 as \(insert into "settings"/);
    } else {
      expect(sent).toHaveLength(5);
    }
    for (const [key, value] of [['wb.a', 'a'], ['wb.b', 'b'], ['wb.c', 'c'], ['wb.old', 'new'], ['wb.lit', "$1 and '$2'"]]) {
      expect(await setting(s, key)).toEqual([{ value }]);
    }
  });

  it('fails with the failing write\'s own error (not another table\'s), and the transaction keeps none of it', async () => {
    const wrong = new Error('ref_counters mapper');
    const right = new Error('settings mapper');
    const unique = (err: Error) => (e: unknown) => ((e as { code?: string }).code?.match(/23505|SQLITE_CONSTRAINT/) ? err : undefined);
    const failed = await s.ctx.store.tx(async (tx) => {
      const batch = new WriteBatch(tx);
      await batch.add(tx.insertInto('ref_counters').values({ name: 'wb.counter', value: 1 }).compile(), unique(wrong));
      await batch.add(tx.insertInto('settings').values({ key: 'wb.d', value: 'd' }).compile());
      await batch.add(tx.insertInto('settings').values({ key: 'wb.taken', value: 'again' }).compile(), unique(right));
      await batch.flush();
    }).then(() => undefined, (e: unknown) => e);
    expect(failed).toBe(right);
    expect(await setting(s, 'wb.d')).toEqual([]);
    expect(await setting(s, 'wb.taken')).toEqual([{ value: 'x' }]);
    expect(await s.ctx.store.db.selectFrom('ref_counters').select('value').where('name', '=', 'wb.counter').execute()).toEqual([]);
  });

  it('judges a write by its count once it is known; a throw there fails the batch and nothing of it stays', async () => {
    const refused = new Error('changed nothing');
    const seen: number[] = [];
    const failed = await s.ctx.store.tx(async (tx) => {
      const batch = new WriteBatch(tx);
      await batch.add(tx.insertInto('settings').values({ key: 'wb.e', value: 'e' }).compile());
      await batch.add(tx.updateTable('settings').set({ value: 'y' }).where('key', '=', 'wb.taken').compile(), undefined, {
        after: async (n) => { seen.push(n); },
      });
      await batch.add(tx.updateTable('settings').set({ value: 'z' }).where('key', '=', 'wb.nowhere').compile(), undefined, {
        after: async (n) => { seen.push(n); if (n !== 1) throw refused; },
      });
      await batch.flush();
    }).then(() => undefined, (e: unknown) => e);
    expect(failed).toBe(refused);
    expect(seen).toEqual([1, 0]);
    expect(await setting(s, 'wb.e')).toEqual([]);
    expect(await setting(s, 'wb.taken')).toEqual([{ value: 'x' }]);
  });

  it('sends a second write of the same row after the first (one statement cannot change a row twice)', async () => {
    await s.ctx.store.autocommit.insertInto('settings').values({ key: 'wb.twice', value: 'v' }).execute();
    const sent = await s.ctx.store.tx(async (tx) => {
      const batch = new WriteBatch(tx);
      const seen = recording(tx);
      const append = () => tx.updateTable('settings').set({ value: sql<string>`value || 'x'` }).where('key', '=', 'wb.twice').compile();
      await batch.add(append(), undefined, { key: 'settings:wb.twice' });
      await batch.add(tx.insertInto('settings').values({ key: 'wb.f', value: 'f' }).compile());
      await batch.add(append(), undefined, { key: 'settings:wb.twice' });
      await batch.flush();
      return [...seen];
    });
    expect(await setting(s, 'wb.twice')).toEqual([{ value: 'vxx' }]);
    expect(await setting(s, 'wb.f')).toEqual([{ value: 'f' }]);
    expect(sent).toHaveLength(DIALECT === 'postgres' ? 2 : 3);
  });

  describe('a sale\'s execution', () => {
    async function approvedSale(payerId: string): Promise<string> {
      const r = await createSale(s, m, '12.34');
      expect(r.status).toBe(200);
      await approveAs(s, r.body.id, payerId);
      return r.body.id as string;
    }

    async function executeLocked(id: string, stale?: IntentRow) {
      return s.ctx.store.tx(async (tx) => {
        const nowMs = s.clock.now();
        const opened = (await openIntentToPay(tx, id, { sandbox: true, realNowMs: nowMs }))!;
        const row = stale ?? opened.row;
        const parties = await paymentParties(tx, row.payer_user_id!, row.owner_user_id);
        const wallet = parties.get(row.payer_user_id!)!.wallet_id!;
        const sent = recording(tx);
        const done = await execute(tx, row, { userId: row.payer_user_id!, accountId: wallet }, nowMs, { sandbox: true, realNowMs: nowMs, app: opened.app, parties });
        return { done, sent: [...sent], row: opened.row };
      });
    }

    it('writes debit, entry, postings, payment, state and e-mails: one statement on PostgreSQL, the same rows on both stores', async () => {
      const p = await payer(s, 100_00);
      const id = await approvedSale(p.payer_id);
      const { done, sent } = await executeLocked(id);
      expect(done.ok).toBe(true);
      // Not SQLite's daily reference counter (its answer is the number).
      const writes = sent.filter((q) => !/^(select|insert into "ref_counters")/.test(q));
      const tables = ['digital_accounts', 'ledger_entries', 'postings', 'payments', 'payment_intents', 'mail_outbox'];
      if (DIALECT === 'postgres') {
        expect(writes).toHaveLength(1);
        for (const table of tables) expect(writes[0]).toContain(`"${table}"`);
        // The debit comes first: its row lock is taken before anything else is written.
        expect(writes[0]).toMatch(/^with w1 as \(update "digital_accounts"/);
      } else {
        expect(writes.map((q) => /^(?:insert into|update) "(\w+)"/.exec(q)?.[1])).toEqual(tables);
      }
      const payment = await s.ctx.store.db.selectFrom('payments').select(['ref', 'entry_id', 'amount_minor', 'status']).where('intent_id', '=', id)
        .executeTakeFirstOrThrow();
      expect({ amount: Number(payment.amount_minor), status: payment.status }).toEqual({ amount: 1234, status: PAYMENT_STATUS.completed });
      const postings = await s.ctx.store.db.selectFrom('postings').select('amount_minor').where('entry_id', '=', payment.entry_id).execute();
      expect(postings.map((x) => Number(x.amount_minor)).sort((a, b) => a - b)).toEqual([-1234, 1234]);
      const entry = await s.ctx.store.db.selectFrom('ledger_entries').select('ref').where('id', '=', payment.entry_id).executeTakeFirstOrThrow();
      expect(entry.ref).toBe(payment.ref);
      const intent = await s.ctx.store.db.selectFrom('payment_intents').select(['state', 'executed_at']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(intent.state).toBe('executed');
      expect(Number(intent.executed_at)).toBeGreaterThan(0);
      const mails = await s.ctx.store.db.selectFrom('mail_outbox').select('kind').where('params', 'like', `%${payment.ref}%`).execute();
      expect(mails.map((x) => x.kind).sort()).toEqual(['payment_received', 'payment_sent']);
      expect(await balanceOf(s, p.digital_account)).toBe(100_00 - 1234);
    });

    it('a stale row that slipped past the state check moves no money twice: the payment\'s unique key refuses it, and nothing of it stays', async () => {
      const p = await payer(s, 100_00);
      const id = await approvedSale(p.payer_id);
      const first = await executeLocked(id);
      expect(first.done.ok).toBe(true);
      const entriesBefore = await s.ctx.store.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const mailsBefore = await s.ctx.store.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      // The row as it was before the first execution: state 'authorized'.
      const stale = { ...first.row, state: 'authorized' as const };
      const again = await executeLocked(id, stale).then(() => undefined, (e: unknown) => e);
      expect(again).toBeInstanceOf(InvariantError);
      expect((again as InvariantError).invariant).toBe('execute_at_most_once');
      expect(await balanceOf(s, p.digital_account)).toBe(100_00 - 1234);
      const entriesAfter = await s.ctx.store.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const mailsAfter = await s.ctx.store.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(entriesAfter.n)).toBe(Number(entriesBefore.n));
      expect(Number(mailsAfter.n)).toBe(Number(mailsBefore.n));
      expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
    });

    it('a payer short of funds is refused with the debit\'s own rule once the batch is sent, and nothing of the payment stays', async () => {
      const p = await payer(s, 10_00);
      const id = await approvedSale(p.payer_id);
      const entriesBefore = await s.ctx.store.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const mailsBefore = await s.ctx.store.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const failed = await executeLocked(id).then(() => undefined, (e: unknown) => e);
      expect(failed).toBeInstanceOf(InvariantError);
      expect((failed as InvariantError).invariant).toBe('balance_must_not_go_negative');
      expect(await balanceOf(s, p.digital_account)).toBe(10_00);
      const intent = await s.ctx.store.db.selectFrom('payment_intents').select('state').where('id', '=', id).executeTakeFirstOrThrow();
      expect(intent.state).toBe('authorized');
      expect(await s.ctx.store.db.selectFrom('payments').select('id').where('intent_id', '=', id).execute()).toEqual([]);
      const entriesAfter = await s.ctx.store.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const mailsAfter = await s.ctx.store.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(entriesAfter.n)).toBe(Number(entriesBefore.n));
      expect(Number(mailsAfter.n)).toBe(Number(mailsBefore.n));
      expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
    });

    async function approvedTwoPartSale(payerId: string, second: string): Promise<string> {
      const [first] = saleDoc('30.00').paymentintent.transactions;
      const doc = saleDoc('30.00');
      doc.paymentintent.transactions = [first, { ...first, amount: { ...first.amount, total: second, details: { shipping: '0', tax: '0', subTotal: second } },
        description: 'Order 9, part 2', items: [{ ...first.items[0], price: second }] }];
      const r = await postForm(createUrl(s), phpQuery(doc), m.auth);
      expect(r.status).toBe(200);
      await approveAs(s, r.body.id, payerId);
      return r.body.id as string;
    }

    it('two transactions debit one payer twice: in two statements on PostgreSQL, both land', async () => {
      const p = await payer(s, 100_00);
      const id = await approvedTwoPartSale(p.payer_id, '20.00');
      const { done, sent } = await executeLocked(id);
      expect(done.ok).toBe(true);
      const writes = sent.filter((q) => !/^(select|insert into "ref_counters")/.test(q));
      expect(writes.filter((q) => /"digital_accounts"/.test(q))).toHaveLength(2);
      if (DIALECT === 'postgres') expect(writes).toHaveLength(2);
      expect(await balanceOf(s, p.digital_account)).toBe(100_00 - 50_00);
      const paid = await s.ctx.store.db.selectFrom('payments').select('amount_minor').where('intent_id', '=', id).orderBy('txn_index').execute();
      expect(paid.map((x) => Number(x.amount_minor))).toEqual([30_00, 20_00]);
      expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
    });

    it('two transactions, the second past the payer\'s funds: neither is paid', async () => {
      const p = await payer(s, 40_00);
      const id = await approvedTwoPartSale(p.payer_id, '20.00');
      const failed = await executeLocked(id).then(() => undefined, (e: unknown) => e);
      expect((failed as InvariantError).invariant).toBe('balance_must_not_go_negative');
      expect(await balanceOf(s, p.digital_account)).toBe(40_00);
      expect(await s.ctx.store.db.selectFrom('payments').select('id').where('intent_id', '=', id).execute()).toEqual([]);
      expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
    });
  });
});
