import type { Tx, ReadDb } from '../db/store.ts';

// The audit log is append-only: this module only inserts and reads, and migration
// 0002_audit_append_only makes the store refuse UPDATE and DELETE on the table.

export const AUDIT_ACTIONS = [
  'operator.create', 'operator.sign_in', 'codes.issue',
  'golive.activate', 'golive.refuse', 'billing.grant', 'billing.withdraw',
  'distribution.authorize', 'distribution.refuse',
  'app.suspend', 'app.reinstate', 'app.revoke', 'ledger.verify',
  // A business acting on its own apps and payments, on its pages.
  'app.create', 'app.update', 'app.rotate_secret', 'app.rotate_callback_secret', 'app.logo',
  'distribution.request', 'distribution.remove', 'billing.request', 'billing.refuse',
  'home_url.request', 'home_url.approve', 'home_url.refuse', 'payment.annul', 'payout.submit',
  // Money entering and leaving by bank, decided by an operator.
  'topup.confirm', 'topup.refuse', 'topup.import', 'withdrawal.export', 'withdrawal.paid', 'withdrawal.failed',
  // A business driving what the platform sends its apps: re-sends, test deliveries, its webhook.
  'callback.resend', 'callback.test', 'webhook.update', 'webhook.rotate_secret', 'webhook.remove',
  // The sandbox's developer tools, by a business or a person on their own pages, or by the command.
  'sandbox.clock_advance', 'sandbox.clock_reset', 'sandbox.unlock_pin', 'sandbox.test_payer',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Who acted, and through which door: an operator on the back-office pages or the admin
 * command, a business on its own pages, or a person on theirs (the user id of either
 * stands in operator_id).
 */
export interface Actor {
  operatorId: string;
  via: 'web' | 'cli' | 'merchant' | 'person';
}

export interface AuditInput {
  action: AuditAction;
  targetType: 'app' | 'user' | 'affiliation_codes' | 'ledger' | 'intent' | 'payout' | 'topup' | 'topup_import' | 'withdrawal' | 'withdrawal_export';
  targetId: string;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/** Writes one row in the caller's transaction, so the action and its record commit together. */
export async function writeAudit(tx: Tx, actor: Actor, a: AuditInput, nowMs: number): Promise<void> {
  await tx.insertInto('audit_log').values({
    operator_id: actor.operatorId,
    action: a.action,
    target_type: a.targetType,
    target_id: a.targetId,
    reason: a.reason ?? null,
    details_json: JSON.stringify({ via: actor.via, ...(a.details ?? {}) }),
    created_at: nowMs,
  }).execute();
}

export interface AuditRow {
  id: number;
  operatorId: string;
  operatorUsername: string | null;
  action: string;
  targetType: string;
  targetId: string;
  reason: string | null;
  details: Record<string, unknown>;
  createdAt: number;
}

export interface AuditQuery {
  action?: string;
  targetId?: string;
  limit: number;
  offset: number;
}

export async function listAudit(db: ReadDb, q: AuditQuery): Promise<{ rows: AuditRow[]; total: number }> {
  let base = db.selectFrom('audit_log as l');
  if (q.action) base = base.where('l.action', '=', q.action);
  if (q.targetId) base = base.where('l.target_id', '=', q.targetId);
  const [rows, count] = await Promise.all([
    base.leftJoin('users as u', 'u.id', 'l.operator_id')
      .select(['l.id', 'l.operator_id', 'u.username', 'l.action', 'l.target_type', 'l.target_id', 'l.reason', 'l.details_json', 'l.created_at'])
      .orderBy('l.id', 'desc').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      id: Number(r.id), operatorId: r.operator_id, operatorUsername: r.username ?? null, action: r.action,
      targetType: r.target_type, targetId: r.target_id, reason: r.reason, details: parseDetails(r.details_json),
      createdAt: Number(r.created_at),
    })),
  };
}

function parseDetails(json: string): Record<string, unknown> {
  try {
    const v = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}
