import type { Ctx } from '../context.ts';
import { isSandbox } from '../context.ts';
import type { UploadedFile } from '../http/body.ts';
import { writeAudit, type Actor } from '../audit/audit.service.ts';
import { ValidationError } from '../shared/errors.ts';
import { randomToken } from '../shared/ids.ts';
import { normalizeUsername } from '../accounts/validation.ts';
import { checkAppForm, type AppFormInput } from './app-form.ts';
import { fileAppRequest } from './app-requests.service.ts';
import { ownedAppOr404 } from './apps.settings.service.ts';

// Changing an app after it was created. The form's rules are the creation form's (in
// production: HTTPS on the business's own public domain); an app already live in production
// keeps its home URL until an operator checks the new one, because its payment redirect
// URLs are only accepted on that host.

export const EDIT_ORDER = ['name', 'description', 'homeUrl', 'redirectUris', 'logo'];
export type EditInput = Omit<AppFormInput, 'receivingAccount'>;

const merchant = (ownerId: string): Actor => ({ operatorId: ownerId, via: 'merchant' });

export async function updateApp(ctx: Ctx, ownerId: string, appId: string, input: EditInput, logo: UploadedFile | undefined) {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  if (app.status === 'revoked') throw ValidationError.global('apps.revoked_readonly');
  const a = await checkAppForm(ctx, ownerId, { ...input, receivingAccount: app.receiving_account_id }, logo);
  const holdHome = !isSandbox(ctx) && Boolean(app.ready) && a.homeUrl !== app.home_url;
  const redirectUris = JSON.stringify(a.redirectUris);
  const changes: Record<string, { from: string; to: string }> = {};
  const note = (field: string, from: string, to: string) => from !== to && (changes[field] = { from, to });
  note('name', app.name, a.name);
  note('description', app.description, a.description);
  if (!holdHome) note('home_url', app.home_url, a.homeUrl);
  note('redirect_uris', app.redirect_uris, redirectUris);
  if (a.logoPng) changes.logo = { from: app.has_logo ? 'png' : '', to: `png ${a.logoPng.length} B` };
  const now = ctx.clock.now();
  await ctx.store.tx(async (tx) => {
    await tx.updateTable('apps').set({
      name: a.name, description: a.description, redirect_uris: redirectUris, updated_at: now,
      ...(holdHome ? {} : { home_url: a.homeUrl }), ...(a.logoPng ? { logo_png: a.logoPng } : {}),
    }).where('id', '=', app.id).where('owner_user_id', '=', ownerId).execute();
    if (Object.keys(changes).length) {
      await writeAudit(tx, merchant(ownerId), { action: 'app.update', targetType: 'app', targetId: app.id, details: { app: a.name, changes } }, now);
    }
    if (holdHome) {
      const request = await fileAppRequest(tx, app.id, 'home_url', { homeUrl: a.homeUrl, previous: app.home_url }, now);
      await writeAudit(tx, merchant(ownerId), {
        action: 'home_url.request', targetType: 'app', targetId: app.id, details: { app: a.name, request, from: app.home_url, to: a.homeUrl },
      }, now);
    }
  });
  return { homeUrlPending: holdHome };
}

/** A new callback signing secret; calls signed with the old one stop verifying at once. */
export async function rotateCallbackSecret(ctx: Ctx, ownerId: string, appId: string): Promise<void> {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  const now = ctx.clock.now();
  await ctx.store.tx(async (tx) => {
    await tx.updateTable('apps').set({ callback_secret: randomToken(24), updated_at: now }).where('id', '=', app.id).execute();
    await writeAudit(tx, merchant(ownerId), { action: 'app.rotate_callback_secret', targetType: 'app', targetId: app.id, details: { app: app.name } }, now);
  });
}

/** Withdraws a distribution account: sales not yet executed that name it are no longer paid. */
export async function removeDistribution(ctx: Ctx, ownerId: string, appId: string, handleInput: string): Promise<void> {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  const handle = normalizeUsername(handleInput.replace(/^@/, '')).slice(0, 64);
  const now = ctx.clock.now();
  await ctx.store.tx(async (tx) => {
    const row = await tx.selectFrom('app_distribution_accounts as x').innerJoin('digital_accounts as d', 'd.id', 'x.account_id')
      .select(['x.account_id', 'x.status']).where('x.app_id', '=', app.id).where('d.handle', '=', handle).executeTakeFirst();
    if (!row) throw ValidationError.global('apps.dist_not_listed');
    await tx.deleteFrom('app_distribution_accounts').where('app_id', '=', app.id).where('account_id', '=', row.account_id).execute();
    await writeAudit(tx, merchant(ownerId), {
      action: 'distribution.remove', targetType: 'app', targetId: app.id, details: { app: app.name, account: handle, previous: row.status },
    }, now);
  });
}
