import { isOwnHttpsSite } from '../shared/input.ts';
import type { AppsTable } from '../db/schema.ts';
import { forUpdate, type Tx, type ReadDb } from '../db/store.ts';
import { writeAudit, type Actor } from '../audit/audit.service.ts';
import { revokeAppTokens } from '../oauth/tokens.ts';
import { FormErrors } from '../shared/form.ts';
import { NotFoundError } from '../shared/errors.ts';
import { defineMessages } from '../shared/i18n.ts';
import { mailUser } from '../mail/outbox.ts';

export const appAdminMsg = defineMessages({
  'bo.app_not_found': { es: 'No existe esa aplicación.', en: 'There is no such application.' },
  'bo.reason_required': { es: 'Indique el motivo.', en: 'Give the reason.' },
  'bo.reason_too_long': { es: 'El motivo admite hasta 500 caracteres.', en: 'The reason allows up to 500 characters.' },
  'bo.app_revoked': {
    es: 'La aplicación fue revocada; ya no admite cambios.', en: 'The application was revoked; it can no longer be changed.',
  },
  'bo.already_active': { es: 'La aplicación ya está activa en este ambiente.', en: 'The application is already active in this environment.' },
  'bo.home_not_https': {
    es: 'La URL del sitio de la aplicación debe ser HTTPS en el dominio propio del comercio.',
    en: "The application's home-page URL must be HTTPS on the merchant's own domain.",
  },
  'bo.no_pending_request': {
    es: 'Esta aplicación no tiene una solicitud de salida a producción pendiente.',
    en: 'This application has no pending going-live request.',
  },
  'bo.billing_already': { es: 'El API de facturación ya estaba en ese estado.', en: 'The billing API was already in that state.' },
  'bo.distribution_not_requested': {
    es: 'Esa cuenta no fue solicitada para distribuciones en esta aplicación.',
    en: 'That account was not requested for distributions on this application.',
  },
  'bo.distribution_already': { es: 'La cuenta ya tiene esa decisión.', en: 'The account already has that decision.' },
  'bo.status_wrong': {
    es: 'La aplicación está «{status}»; esta acción no aplica.', en: 'The application is "{status}"; this action does not apply.',
  },
});

export type App = AppsTable;
const REASON_SHAPE = { reason: null } as const;

/** Trims the operator's reason; required for decisions that tell the merchant "no". */
export function checkReason(raw: string | undefined, required: boolean): string | null {
  const reason = (raw ?? '').trim().replace(/\s+/g, ' ');
  const errors = new FormErrors();
  if (required && !reason) errors.add(['reason'], 'bo.reason_required');
  if (reason.length > 500) errors.add(['reason'], 'bo.reason_too_long');
  errors.throwIfAny({ ...REASON_SHAPE });
  return reason || null;
}

function refuse(key: string, params?: Record<string, string>): never {
  new FormErrors().global(key, params).throwIfAny({ ...REASON_SHAPE });
  throw new Error('unreachable');
}

/** An app by its id or its client id, as operators paste either. */
export async function resolveAppId(db: ReadDb, ref: string): Promise<string> {
  const key = ref.trim();
  if (!key || key.length > 200) throw new NotFoundError('bo.app_not_found');
  const row = await db.selectFrom('apps').select('id')
    .where((eb) => eb.or([eb('id', '=', key), eb('client_id', '=', key)])).executeTakeFirst();
  if (!row) throw new NotFoundError('bo.app_not_found');
  return row.id;
}

async function lockApp(tx: Tx, appId: string): Promise<App> {
  const app = await forUpdate(tx, tx.selectFrom('apps').selectAll().where('id', '=', appId)).executeTakeFirst();
  if (!app) throw new NotFoundError('bo.app_not_found');
  if (app.status === 'revoked') refuse('bo.app_revoked');
  return app;
}

/** Turns the app on for the API (503 stops) and approves its pending going-live request. */
export async function activateApp(tx: Tx, actor: Actor, appId: string, reason: string | null, nowMs: number, production: boolean) {
  const app = await lockApp(tx, appId);
  if (app.ready) refuse('bo.already_active');
  if (production && !isOwnHttpsSite(app.home_url)) refuse('bo.home_not_https');
  await tx.updateTable('apps').set({ ready: 1, updated_at: nowMs }).where('id', '=', appId).execute();
  const pending = await tx.updateTable('golive_requests')
    .set({ status: 'approved', decided_at: nowMs, decided_by: actor.operatorId, reason })
    .where('app_id', '=', appId).where('status', '=', 'pending').returning('id').execute();
  await writeAudit(tx, actor, {
    action: 'golive.activate', targetType: 'app', targetId: appId, reason,
    details: { app: app.name, requests: pending.map((p) => p.id) },
  }, nowMs);
  await mailUser(tx, app.owner_user_id, 'golive_approved', { app: app.name }, nowMs);
}

export async function refuseGolive(tx: Tx, actor: Actor, appId: string, reason: string, nowMs: number) {
  const app = await lockApp(tx, appId);
  const refused = await tx.updateTable('golive_requests')
    .set({ status: 'refused', decided_at: nowMs, decided_by: actor.operatorId, reason })
    .where('app_id', '=', appId).where('status', '=', 'pending').returning('id').execute();
  if (!refused.length) refuse('bo.no_pending_request');
  await writeAudit(tx, actor, {
    action: 'golive.refuse', targetType: 'app', targetId: appId, reason,
    details: { app: app.name, requests: refused.map((r) => r.id) },
  }, nowMs);
  await mailUser(tx, app.owner_user_id, 'golive_refused', { app: app.name, reason }, nowMs);
}

export async function setBilling(tx: Tx, actor: Actor, appId: string, enabled: boolean, reason: string | null, nowMs: number) {
  const app = await lockApp(tx, appId);
  if (Boolean(app.billing_enabled) === enabled) refuse('bo.billing_already');
  await tx.updateTable('apps').set({ billing_enabled: enabled ? 1 : 0, updated_at: nowMs }).where('id', '=', appId).execute();
  // Granting answers the business's pending request too, so its page shows the decision.
  if (enabled) {
    await tx.updateTable('app_requests').set({ status: 'approved', reason, decided_at: nowMs, decided_by: actor.operatorId })
      .where('app_id', '=', appId).where('kind', '=', 'billing').where('status', '=', 'pending').execute();
  }
  await writeAudit(tx, actor, {
    action: enabled ? 'billing.grant' : 'billing.withdraw', targetType: 'app', targetId: appId, reason,
    details: { app: app.name },
  }, nowMs);
  if (enabled) await mailUser(tx, app.owner_user_id, 'billing_granted', { app: app.name }, nowMs);
}

/** Authorizes or refuses one account the business asked to distribute funds to. */
export async function decideDistribution(
  tx: Tx, actor: Actor, appId: string, handle: string, decision: 'authorized' | 'refused', reason: string | null, nowMs: number,
) {
  const app = await lockApp(tx, appId);
  const row = await tx.selectFrom('app_distribution_accounts as d')
    .innerJoin('digital_accounts as a', 'a.id', 'd.account_id')
    .select(['d.account_id', 'd.status', 'a.handle'])
    .where('d.app_id', '=', appId).where('a.handle', '=', handle.trim().toLowerCase()).executeTakeFirst();
  if (!row) refuse('bo.distribution_not_requested');
  if (row.status === decision) refuse('bo.distribution_already');
  await tx.updateTable('app_distribution_accounts')
    .set({ status: decision, decided_at: nowMs, decided_by: actor.operatorId })
    .where('app_id', '=', appId).where('account_id', '=', row.account_id).execute();
  await writeAudit(tx, actor, {
    action: decision === 'authorized' ? 'distribution.authorize' : 'distribution.refuse', targetType: 'app', targetId: appId,
    reason, details: { app: app.name, account: row.handle, previous: row.status },
  }, nowMs);
}

const TRANSITIONS = {
  suspend: { from: ['active'], to: 'suspended', action: 'app.suspend' },
  reinstate: { from: ['suspended'], to: 'active', action: 'app.reinstate' },
  revoke: { from: ['active', 'suspended'], to: 'revoked', action: 'app.revoke' },
} as const;
export type StatusChange = keyof typeof TRANSITIONS;

/** Suspend (reversible), reinstate, or revoke (final). Tokens stop at once on suspend and revoke. */
export async function changeAppStatus(tx: Tx, actor: Actor, appId: string, change: StatusChange, reason: string, nowMs: number) {
  const app = await lockApp(tx, appId);
  const t = TRANSITIONS[change];
  if (!(t.from as readonly string[]).includes(app.status)) refuse('bo.status_wrong', { status: app.status });
  await tx.updateTable('apps')
    .set({ status: t.to, status_reason: t.to === 'active' ? null : reason, updated_at: nowMs })
    .where('id', '=', appId).execute();
  if (t.to !== 'active') await revokeAppTokens(tx, appId, nowMs);
  await writeAudit(tx, actor, {
    action: t.action, targetType: 'app', targetId: appId, reason, details: { app: app.name, previous: app.status },
  }, nowMs);
}
