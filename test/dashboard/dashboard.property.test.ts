import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { DAY_MS } from '../../src/shared/clock.ts';
import { formatMinor } from '../../src/shared/money.ts';
import { dayOf, dayText, filterQuery, type Cursor, type Filter } from '../../src/dashboard/dashboard.filter.ts';
import { listPage, resolveFilter, totalsOf } from '../../src/dashboard/dashboard.service.ts';
import { WebClient } from '../onboarding/web-client.ts';
import { opArb, seed, type Row, type Seeded } from './seed.ts';
import { merchantWithToken, paidSale } from './fixtures.ts';

// Filters, totals and the CSV export of a randomly seeded account agree with what the seed
// did (an oracle written from the plan, not from the dashboard's code) and with the ledger.

const FILTER_STATES = ['created', 'authorized', 'executed', 'annulled', 'canceled', 'rejected', 'pending_load', 'processing', 'settled'] as const;

function effective(r: Row, now: number): string {
  return (r.stored === 'created' && r.kind !== 'payout' && r.expiresAt !== null && r.expiresAt <= now) ? 'canceled' : r.stored;
}

/** What a filter must select, by the words: own rows only, each field narrowing. */
function oracle(seeded: Seeded, f: Filter, now: number): Row[] {
  const payerIds = (login: string) => seeded.payers.filter((p) => [p.username, p.phone, p.document].includes(login)).map((p) => p.payer_id);
  const dayOfRow = (r: Row) => dayText(dayOf(r.createdAt));
  return seeded.rows.filter((r) => {
    const payout = r.kind === 'payout';
    if (f.type && f.type !== r.kind) return false;
    if (f.state && f.state !== effective(r, now)) return false;
    if (f.app && f.app !== r.appId) return false;
    if (f.from && dayOfRow(r) < f.from) return false;
    if (f.to && dayOfRow(r) > f.to) return false;
    if (f.minMinor !== undefined && r.cents < f.minMinor) return false;
    if (f.maxMinor !== undefined && r.cents > f.maxMinor) return false;
    if (f.payer && (payout || !payerIds(f.payer).includes(r.payerId ?? ''))) return false;
    if (f.q) {
      const q = f.q;
      const byRef = r.id === q || r.invoice === q || r.refs.some((x) => x === q || x === q.toUpperCase());
      const byPayer = !payout && payerIds(q).includes(r.payerId ?? '');
      const byAmount = /^\d+([.,]\d{1,2})?$/.test(q) && Math.round(Number(q.replace(',', '.')) * 100) === r.cents;
      if (!byRef && !byPayer && !byAmount) return false;
    }
    return true;
  }).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}

describe('dashboard filters, totals and export agree with the seed and the ledger', () => {
  let s: TestServer;
  let seeded: Seeded;
  let web: WebClient;

  beforeAll(async () => {
    s = await testServer();
    const [plan] = fc.sample(fc.array(opArb, { minLength: 45, maxLength: 45 }), { numRuns: 1, seed: 20261126 });
    seeded = await seed(s, plan);
    // Another business paid by the same people, for the same amounts: never to appear.
    const other = await merchantWithToken(s);
    for (const r of seeded.rows.filter((x) => x.kind === 'sale').slice(0, 5)) await paidSale(s, other, seeded.payers[0].payer_id, formatMinor(r.cents));
    web = new WebClient(s.baseUrl);
    await web.signIn(seeded.m.username, seeded.m.password);
  }, 240_000);
  afterAll(async () => s?.close());

  const filterArb = () => {
    const rows = seeded.rows;
    const days = [...new Set(rows.map((r) => dayText(dayOf(r.createdAt))))].sort();
    const pick = <T>(xs: T[]) => fc.constantFrom(...xs);
    const qArb = fc.oneof(
      pick(rows.flatMap((r) => [...r.refs, r.invoice ?? r.id, r.id])),
      pick(rows.map((r) => formatMinor(r.cents).replace('.', ','))),
      pick(seeded.payers.flatMap((p) => [p.username, p.phone, p.document])),
    );
    const gens: Record<string, fc.Arbitrary<unknown>> = {
      state: pick([...FILTER_STATES]), type: pick(['sale', 'request', 'payout'] as const), app: pick(seeded.apps.map((a) => a.id)),
      from: pick(days), to: pick(days), minMinor: fc.integer({ min: 0, max: 60_000 }), maxMinor: fc.integer({ min: 0, max: 90_000 }),
      payer: pick(seeded.payers.map((p) => p.username)), q: qArb,
    };
    // A few fields at a time, as people filter; whole-day filters on state, app and type (answered
    // from the daily totals) are half the runs.
    const some = (keys: string[], most: number) => fc.subarray(keys, { maxLength: most })
      .chain((chosen) => fc.record(Object.fromEntries(chosen.map((k) => [k, gens[k]]))));
    return fc.oneof(some(['state', 'type', 'app', 'from', 'to'], 2), some(Object.keys(gens), 3)) as fc.Arbitrary<Filter>;
  };

  it('every filter lists, pages, totals and exports exactly the rows the seed made', async () => {
    const now = s.clock.now();
    await fc.assert(fc.asyncProperty(filterArb(), fc.integer({ min: 1, max: 9 }), async (f, pageSize) => {
      const expected = oracle(seeded, f, now);
      const resolved = await resolveFilter(s.ctx, seeded.m.user_id, f);
      const seen: string[] = [];
      let after: Cursor | undefined;
      for (let guard = 0; guard < 200; guard++) {
        const page = await listPage(s.ctx, resolved, after, pageSize);
        expect(page.rows.length).toBeLessThanOrEqual(pageSize);
        seen.push(...page.rows.map((r) => r.id));
        if (!page.next) break;
        after = page.next;
      }
      expect(seen).toEqual(expected.map((r) => r.id));

      const totals = await totalsOf(s.ctx, seeded.m.user_id, f, resolved);
      expect(totals.n).toBe(expected.length);
      expect(totals.totalMinor).toBe(expected.reduce((sum, r) => sum + r.cents, 0));
      for (const t of totals.byState) {
        const inState = expected.filter((r) => effective(r, now) === t.state);
        expect([t.state, t.n, t.totalMinor]).toEqual([t.state, inState.length, inState.reduce((sum, r) => sum + r.cents, 0)]);
      }

      const csv = await web.get(`/dashboard/export.csv?${filterQuery(f)}`);
      const lines = csv.html.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).filter(Boolean);
      expect(lines.map((l) => l.split(';').at(-1))).toEqual(expected.map((r) => r.id));
      const csvCents = lines.reduce((sum, l) => sum + Number(l.split(';').at(-3)!.replace(',', '')), 0);
      expect(csvCents).toBe(totals.totalMinor);
    }), { numRuns: 60, seed: 4242 });
  });

  it('the paid and annulled rows of any filter match the ledger entries of the account', async () => {
    const now = s.clock.now();
    const account = (await s.ctx.store.db.selectFrom('digital_accounts').select('id').where('user_id', '=', seeded.m.user_id).executeTakeFirstOrThrow()).id;
    // What the ledger moved on the merchant's account for each intent: its entries and their reversals.
    const moved = await s.ctx.store.db.selectFrom('payments as pay')
      .innerJoin('ledger_entries as e', (j) => j.on((eb) => eb.or([eb('e.id', '=', eb.ref('pay.entry_id')), eb('e.reverses_entry_id', '=', eb.ref('pay.entry_id'))])))
      .innerJoin('postings as p', 'p.entry_id', 'e.id')
      .select(['pay.intent_id', sql<number>`sum(p.amount_minor)`.as('net'), sql<number>`sum(case when e.reverses_entry_id is null then p.amount_minor else 0 end)`.as('paid')])
      .where('p.account_id', '=', account).groupBy('pay.intent_id').execute();
    const ledger = new Map(moved.map((x) => [x.intent_id!, { net: Number(x.net), paid: Number(x.paid) }]));
    await fc.assert(fc.asyncProperty(filterArb(), async (f) => {
      const resolved = await resolveFilter(s.ctx, seeded.m.user_id, f);
      const totals = await totalsOf(s.ctx, seeded.m.user_id, f, resolved);
      const rows = oracle(seeded, f, now).filter((r) => r.kind !== 'payout');
      const executed = rows.filter((r) => r.stored === 'executed');
      const annulled = rows.filter((r) => r.stored === 'annulled');
      const sum = (xs: Row[], k: 'net' | 'paid') => xs.reduce((n, r) => n + (ledger.get(r.id)?.[k] ?? 0), 0);
      expect(totals.byState.find((t) => t.state === 'executed')?.totalMinor ?? 0).toBe(sum(executed, 'net'));
      expect(sum(annulled, 'net')).toBe(0);
      expect(totals.byState.find((t) => t.state === 'annulled')?.totalMinor ?? 0).toBe(sum(annulled, 'paid'));
      for (const r of rows.filter((x) => x.stored === 'created')) expect(ledger.has(r.id)).toBe(false);
    }), { numRuns: 40, seed: 777 });
  });

  it('spans enough days that closed days come from the daily totals and the rest live', async () => {
    const first = Math.min(...seeded.rows.map((r) => r.createdAt));
    expect(s.clock.now() - first).toBeGreaterThan(6 * DAY_MS);
    const rolled = await s.ctx.store.db.selectFrom('dashboard_rollups').select('until_day').where('owner_user_id', '=', seeded.m.user_id).executeTakeFirst();
    expect(rolled && rolled.until_day > dayOf(first)).toBe(true);
  });
});
