import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Store } from '../db/store.ts';
import { verifyLedger, type VerifyReport } from '../ledger/verify.ts';
import { listAudit, writeAudit, type Actor } from '../audit/audit.service.ts';

/** Totals read straight from the stored balances: cheap enough for every page view. */
export async function ledgerTotals(db: Kysely<DB>) {
  const [byKind, system, counts] = await Promise.all([
    db.selectFrom('digital_accounts').select(['kind', sql<number>`sum(balance_minor)`.as('total'), sql<number>`count(*)`.as('n')])
      .groupBy('kind').execute(),
    db.selectFrom('digital_accounts').select(['handle', 'balance_minor']).where('kind', '=', 'system').orderBy('handle').execute(),
    db.selectFrom('ledger_entries').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  const pick = (k: string) => byKind.find((r) => r.kind === k);
  const walletMinor = Number(pick('wallet')?.total ?? 0);
  const systemMinor = Number(pick('system')?.total ?? 0);
  return {
    walletMinor,
    systemMinor,
    wallets: Number(pick('wallet')?.n ?? 0),
    entries: Number(counts.n),
    system: system.map((s) => ({ handle: s.handle, balanceMinor: Number(s.balance_minor) })),
    balanced: walletMinor + systemMinor === 0,
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

export async function lastVerification(db: Kysely<DB>) {
  const { rows } = await listAudit(db, { action: 'ledger.verify', limit: 1, offset: 0 });
  return rows[0];
}
