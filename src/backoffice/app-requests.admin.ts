import { forUpdate, type Tx, type ReadDb } from '../db/store.ts';
import { writeAudit, type Actor } from '../audit/audit.service.ts';
import { FormErrors } from '../shared/form.ts';
import { NotFoundError } from '../shared/errors.ts';
import { isOwnHttpsSite } from '../shared/input.ts';
import { mailUser } from '../mail/outbox.ts';
import './bo-requests.messages.ts';

// An operator's answer to what a business asked about its app after creating it: the
// billing API, or a new home-page URL for an app already live. A refusal needs a reason,
// which the business reads on its app's page.

function refuse(key: string, field?: 'reason'): never {
  const errors = new FormErrors();
  if (field) errors.add([field], key);
  else errors.global(key);
  errors.throwIfAny({ reason: null });
  throw new Error('unreachable');
}

export async function decideAppRequest(
  tx: Tx, actor: Actor, appId: string, requestId: string, decision: 'approved' | 'refused', reason: string | null, nowMs: number,
): Promise<string> {
  const app = await forUpdate(tx, tx.selectFrom('apps').select(['id', 'name', 'status', 'billing_enabled', 'owner_user_id']).where('id', '=', appId)).executeTakeFirst();
  if (!app) throw new NotFoundError('bo.app_not_found');
  const req = await forUpdate(tx, tx.selectFrom('app_requests').selectAll().where('id', '=', requestId).where('app_id', '=', appId)).executeTakeFirst();
  if (!req || req.status !== 'pending') refuse('bo.request_not_pending');
  if (decision === 'refused' && !reason) refuse('bo.reason_required', 'reason');
  if (app.status === 'revoked' && decision === 'approved') refuse('bo.app_revoked');
  const payload = JSON.parse(req.payload_json) as { homeUrl?: string };
  if (decision === 'approved' && req.kind === 'home_url') {
    if (!payload.homeUrl || !isOwnHttpsSite(payload.homeUrl)) refuse('bo.home_not_https');
    await tx.updateTable('apps').set({ home_url: payload.homeUrl, updated_at: nowMs }).where('id', '=', appId).execute();
  }
  if (decision === 'approved' && req.kind === 'billing' && !app.billing_enabled) {
    await tx.updateTable('apps').set({ billing_enabled: 1, updated_at: nowMs }).where('id', '=', appId).execute();
  }
  await tx.updateTable('app_requests').set({ status: decision, reason, decided_at: nowMs, decided_by: actor.operatorId })
    .where('id', '=', requestId).execute();
  const action = req.kind === 'billing' ? (decision === 'approved' ? 'billing.grant' : 'billing.refuse')
    : (decision === 'approved' ? 'home_url.approve' : 'home_url.refuse');
  await writeAudit(tx, actor, {
    action, targetType: 'app', targetId: appId, reason, details: { app: app.name, request: requestId, ...(payload.homeUrl ? { homeUrl: payload.homeUrl } : {}) },
  }, nowMs);
  if (req.kind === 'billing') {
    await mailUser(tx, app.owner_user_id, decision === 'approved' ? 'billing_granted' : 'billing_refused', { app: app.name, reason: reason ?? '' }, nowMs);
  }
  return action;
}

/** The requests of one app, newest first, for its review page. */
export async function appRequestsOf(db: ReadDb, appId: string) {
  const rows = await db.selectFrom('app_requests as r').leftJoin('users as o', 'o.id', 'r.decided_by')
    .select(['r.id', 'r.kind', 'r.status', 'r.payload_json', 'r.reason', 'r.created_at', 'r.decided_at', 'o.username as decided_by'])
    .where('r.app_id', '=', appId).orderBy('r.created_at', 'desc').limit(50).execute();
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload_json) as { homeUrl?: string; previous?: string } }));
}

/** Apps with a request waiting for an operator, oldest request first. */
export async function pendingAppRequests(db: ReadDb) {
  return db.selectFrom('app_requests as r').innerJoin('apps as a', 'a.id', 'r.app_id').innerJoin('users as u', 'u.id', 'a.owner_user_id')
    .select(['r.id', 'r.kind', 'r.created_at', 'r.payload_json', 'a.id as app_id', 'a.name as app_name', 'u.username as owner'])
    .where('r.status', '=', 'pending').orderBy('r.created_at').limit(200).execute();
}
