import { sql } from 'kysely';
import type { Store, ReadDb } from '../db/store.ts';
import { verifyLedger, type VerifyReport } from '../ledger/verify.ts';
import { listAudit, writeAudit, type Actor } from '../audit/audit.service.ts';
import { SYSTEM } from '../ledger/system-accounts.ts';

/**
 * Totals read straight from the stored balances: cheap enough for every page view. Sums are
 * exact (text from SQL, added as BigInt); the sandbox's per-developer system accounts are
 * shown as one line of each kind.
 */
export async function ledgerTotals(db: ReadDb) {
  const [byKind, system, counts] = await Promise.all([
    db.selectFrom('digital_accounts')
      .select(['kind', sql<string>`cast(sum(balance_minor) as text)`.as('total'), sql<number>`count(*)`.as('n')])
      .groupBy('kind').execute(),
    db.selectFrom('digital_accounts')
      .select([sql<string>`case when handle like ${`${SYSTEM.funding}.%`} then ${`${SYSTEM.funding}.*`}
        when handle like ${`${SYSTEM.payouts}.%`} then ${`${SYSTEM.payouts}.*`} else handle end`.as('line'),
        sql<string>`cast(sum(balance_minor) as text)`.as('total')])
      .where('kind', '=', 'system').groupBy('line').orderBy('line').execute(),
    db.selectFrom('ledger_entries').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  const pick = (k: string) => byKind.find((r) => r.kind === k);
  const walletMinor = BigInt(pick('wallet')?.total ?? 0);
  const systemMinor = BigInt(pick('system')?.total ?? 0);
  return {
    walletMinor: Number(walletMinor),
    systemMinor: Number(systemMinor),
    wallets: Number(pick('wallet')?.n ?? 0),
    entries: Number(counts.n),
    system: system.map((s) => ({ handle: s.line, balanceMinor: Number(s.total) })),
    balanced: walletMinor + systemMinor === 0n,
  };
}

/** Runs the full verification outside any transaction (it scans everything), then records it. */
export async function runVerification(store: Store, actor: Actor, nowMs: number): Promise<VerifyReport> {
  const report = await verifyLedger(store.db);
  await store.tx((tx) => writeAudit(tx, actor, {
    action: 'ledger.verify', targetType: 'ledger', targetId: 'ledger',
    details: {
      ok: report.ok, entries: report.entries, postings: report.postings, accounts: report.accounts,
      walletTotalMinor: report.walletTotalMinor, systemTotalMinor: report.systemTotalMinor,
      violations: report.violations.slice(0, 50),
    },
  }, nowMs));
  return report;
}

export async function lastVerification(db: ReadDb) {
  const { rows } = await listAudit(db, { action: 'ledger.verify', limit: 1, offset: 0 });
  return rows[0];
}
