import type { Ctx } from '../context.ts';
import { isSandbox } from '../context.ts';
import type { AppRequestsTable } from '../db/schema.ts';
import { isUniqueViolation, type Tx, type ReadDb } from '../db/store.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { ValidationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { ownedAppOr404 } from './apps.settings.service.ts';
import './apps.messages.ts';

// What a production business asks an operator about its app after creating it: the billing
// API, and a new home-page URL for an app that is already live (its redirect URLs must stay
// on a domain an operator has checked).

export type AppRequest = AppRequestsTable;

/** Files a pending request, or updates the payload of the one already pending of that kind. */
export async function fileAppRequest(tx: Tx, appId: string, kind: AppRequest['kind'], payload: Record<string, unknown>, nowMs: number): Promise<string> {
  const open = await tx.selectFrom('app_requests').select('id').where('app_id', '=', appId).where('kind', '=', kind)
    .where('status', '=', 'pending').executeTakeFirst();
  if (open) {
    await tx.updateTable('app_requests').set({ payload_json: JSON.stringify(payload), created_at: nowMs }).where('id', '=', open.id).execute();
    return open.id;
  }
  // Later than every earlier request of the app and kind, even within one millisecond, so "the latest" is one row.
  const last = await tx.selectFrom('app_requests').select((eb) => eb.fn.max('created_at').as('at')).where('app_id', '=', appId)
    .where('kind', '=', kind).executeTakeFirst();
  const id = newId();
  await tx.insertInto('app_requests').values({
    id, app_id: appId, kind, status: 'pending', payload_json: JSON.stringify(payload), reason: null,
    created_at: Math.max(nowMs, Number(last?.at ?? 0) + 1), decided_at: null, decided_by: null, seen_at: null,
  }).execute();
  return id;
}

/** "Solicitar API de facturación": production only, once at a time, for an app that does not have it. */
export async function requestBilling(ctx: Ctx, ownerId: string, appId: string): Promise<void> {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  if (isSandbox(ctx) || app.billing_enabled) throw ValidationError.global('apps.billing_not_needed');
  if (app.status !== 'active') throw ValidationError.global('apps.billing_app_inactive');
  const now = ctx.clock.now();
  try {
    await ctx.store.tx(async (tx) => {
      const pending = await tx.selectFrom('app_requests').select('id').where('app_id', '=', appId).where('kind', '=', 'billing')
        .where('status', '=', 'pending').executeTakeFirst();
      if (pending) throw ValidationError.global('apps.billing_already_requested');
      const id = await fileAppRequest(tx, appId, 'billing', {}, now);
      await writeAudit(tx, { operatorId: ownerId, via: 'merchant' }, {
        action: 'billing.request', targetType: 'app', targetId: appId, details: { app: app.name, request: id },
      }, now);
    });
  } catch (e) {
    // Two clicks at once: the unique index on pending requests lets one through.
    if (isUniqueViolation(e)) throw ValidationError.global('apps.billing_already_requested');
    throw e;
  }
}

/** The latest request of each kind for the app's page: pending, or the last decision and its reason. */
export async function latestRequests(db: ReadDb, appId: string): Promise<Partial<Record<AppRequest['kind'], AppRequest>>> {
  const rows = await db.selectFrom('app_requests').selectAll().where('app_id', '=', appId)
    .orderBy('created_at', 'desc').orderBy('id').limit(20).execute();
  const out: Partial<Record<AppRequest['kind'], AppRequest>> = {};
  for (const r of rows) out[r.kind] ??= r;
  return out;
}
