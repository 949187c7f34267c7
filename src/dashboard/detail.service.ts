import type { Ctx } from '../context.ts';
import { annulIntent } from '../annulment/annulment.service.ts';
import { listAudit, writeAudit } from '../audit/audit.service.ts';
import { findIntent, type IntentRow } from '../payment-intents/payment-intent.repository.ts';
import { ANNUL_WINDOW_MS, canAnnul, effectiveState } from '../payment-intents/payment-intent.state.ts';
import { parseTransactions } from '../payment-intents/payment-intent.types.ts';
import { NotFoundError } from '../shared/errors.ts';
import { t, type Locale } from '../shared/i18n.ts';
import type { PageUser } from '../web/render.ts';
import { merchantNow } from '../test-mode/test-clock.ts';
import { confirmIdentity } from './confirm.ts';
import {
  appName, callbackAttempts, entriesWithReversals, ownIntentId, paymentsOf, peopleByIds, pendingCallbacks,
} from './detail.repository.ts';

/** One line of the detail's timeline, already in the reader's language. */
export interface TimelineEvent {
  at: number | null;
  text: string;
  detail?: string;
}

/** The intent of this account behind an id or reference; 404 for anything of anyone else. */
export async function ownIntentOr404(ctx: Ctx, ownerId: string, key: string): Promise<IntentRow> {
  const id = await ownIntentId(ctx.store.db, ownerId, key);
  const row = id ? await findIntent(ctx.store.db, id) : undefined;
  if (!row || row.owner_user_id !== ownerId) throw new NotFoundError();
  return row;
}

type Attempts = Awaited<ReturnType<typeof callbackAttempts>>;
type AuditRows = Awaited<ReturnType<typeof listAudit>>['rows'];

function timeline(row: IntentRow, state: string, attempts: Attempts, audit: AuditRows, locale: Locale): TimelineEvent[] {
  const ev = (at: number | null, key: string, params?: Record<string, string | number>, detail?: string): TimelineEvent =>
    ({ at, text: t(locale, key, params), detail });
  const list = [ev(row.created_at, 'dashboard.ev_created')];
  if (row.authorized_at !== null) list.push(ev(row.authorized_at, 'dashboard.ev_authorized'));
  if (row.executed_at !== null) list.push(ev(row.executed_at, 'dashboard.ev_executed'));
  if (row.annulled_at !== null) list.push(ev(row.annulled_at, 'dashboard.ev_annulled'));
  if (row.state === 'rejected') list.push(ev(null, 'dashboard.ev_rejected'));
  if (state === 'canceled') {
    const expired = row.state !== 'canceled' || (row.expires_at !== null && row.canceled_at === row.expires_at);
    list.push(ev(row.canceled_at ?? row.expires_at, expired ? 'dashboard.ev_expired' : 'dashboard.ev_canceled'));
  }
  for (const a of attempts) {
    const answer = a.status_code === null
      ? t(locale, 'dashboard.ev_callback_none', { error: a.error ?? '' })
      : t(locale, 'dashboard.ev_callback_answer', { code: Number(a.status_code) });
    list.push(ev(Number(a.at), 'dashboard.ev_callback', undefined, `${a.method} ${a.uri} · ${answer}`));
  }
  for (const r of audit) {
    const via = t(locale, r.details.confirmedWith === 'password' ? 'dashboard.via_password' : 'dashboard.via_pin');
    list.push(ev(r.createdAt, 'dashboard.ev_audit', { who: r.operatorUsername ?? r.operatorId, via }));
  }
  // Same-moment events keep the order they happen in (created, authorized, executed ...).
  return list.map((e, i) => ({ e, i })).sort((a, b) => (a.e.at ?? Infinity) - (b.e.at ?? Infinity) || a.i - b.i).map((x) => x.e);
}

/** Everything the detail page shows about one intent of the account. */
export async function intentDetail(ctx: Ctx, ownerId: string, key: string, locale: Locale) {
  const db = ctx.store.db;
  const row = await ownIntentOr404(ctx, ownerId, key);
  const now = await merchantNow(ctx, ownerId);
  const people = [row.payer_user_id, row.recipient_user_id].filter((x): x is string => !!x);
  const [payments, attempts, pending, app, persons, audit] = await Promise.all([
    paymentsOf(db, row.id), callbackAttempts(db, row.id), pendingCallbacks(db, row.id), appName(db, row.app_id),
    peopleByIds(db, people), listAudit(db, { targetId: row.id, limit: 50, offset: 0 }),
  ]);
  const ledger = await entriesWithReversals(db, payments.map((p) => p.entry_id));
  const state = effectiveState(row, now);
  const payer = persons.find((p) => p.id === (row.payer_user_id ?? row.recipient_user_id)) ?? null;
  return {
    row, state, app, payer, payments, ledger, pending,
    transactions: parseTransactions(row.transactions_json),
    timeline: timeline(row, state, attempts, audit.rows.filter((r) => r.action === 'payment.annul'), locale),
    canAnnul: canAnnul(row, now),
    annulUntil: row.executed_at === null ? null : row.executed_at + ANNUL_WINDOW_MS,
  };
}

/**
 * The dashboard's "Anular": the person confirms with their PIN or password (with its
 * lock-out), then the API's own annulment runs, writing the audit record in its transaction.
 */
export async function annulFromDashboard(ctx: Ctx, user: PageUser, key: string, secret: string, ip: string): Promise<IntentRow> {
  const row = await ownIntentOr404(ctx, user.id, key);
  const via = await confirmIdentity(ctx, user, secret);
  return annulIntent(ctx, { user: { id: user.id, username: user.username, kind: user.kind } }, row.id, (tx, annulled) => writeAudit(tx,
    { operatorId: user.id, via: 'merchant' },
    { action: 'payment.annul', targetType: 'intent', targetId: annulled.id, details: { confirmedWith: via, ip, total: annulled.total_minor } },
    annulled.annulled_at ?? ctx.clock.now()));
}
