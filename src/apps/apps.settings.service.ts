import type { Ctx } from '../context.ts';
import { isSandbox } from '../context.ts';
import type { UploadedFile } from '../http/body.ts';
import { isUniqueViolation } from '../db/store.ts';
import { FormErrors } from '../shared/form.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { normalizeUsername } from '../accounts/validation.ts';
import { writeAudit, type Actor } from '../audit/audit.service.ts';
import { insertApp, rotateSecret } from './apps.service.ts';
import { checkAppForm, checkLogoUpload, type AppFormInput } from './app-form.ts';
import { findOwnedApp, findWalletByHandle, type OwnedApp } from './apps.repository.ts';

export const DIST_SHAPE = { handle: null } as const;
export const LOGO_SHAPE = { logo: null } as const;

/** Every change a business makes to its apps is in the audit log, as operators' are. */
const merchant = (ownerId: string): Actor => ({ operatorId: ownerId, via: 'merchant' });

/** The app of this business, or 404: another business's app id must not reveal anything. */
export async function ownedAppOr404(ctx: Ctx, ownerId: string, appId: string): Promise<OwnedApp> {
  const app = await findOwnedApp(ctx.store.db, ownerId, appId);
  if (!app) throw new NotFoundError();
  return app;
}

/** Registers an app: sandbox apps are ready with billing on; production apps wait for an operator. */
export async function createApp(
  ctx: Ctx, ownerId: string, input: AppFormInput, logo: UploadedFile | undefined,
): Promise<{ appId: string; clientSecret: string }> {
  const a = await checkAppForm(ctx, ownerId, input, logo);
  const now = ctx.clock.now();
  const { app, clientSecret } = await ctx.store.tx(async (tx) => {
    const created = await insertApp(tx, {
      ownerUserId: ownerId, name: a.name, description: a.description, homeUrl: a.homeUrl,
      receivingAccountId: a.receivingAccountId, redirectUris: a.redirectUris, logoPng: a.logoPng, sandbox: isSandbox(ctx),
    }, now);
    await writeAudit(tx, merchant(ownerId), { action: 'app.create', targetType: 'app', targetId: created.app.id, details: { app: a.name } }, now);
    return created;
  });
  return { appId: app.id, clientSecret };
}

/** A new client secret; the old one and its tokens end at once (rotateSecret). */
export async function rotateAppSecret(ctx: Ctx, ownerId: string, appId: string): Promise<string> {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  const now = ctx.clock.now();
  return ctx.store.tx(async (tx) => {
    const secret = await rotateSecret(tx, appId, now);
    await writeAudit(tx, merchant(ownerId), { action: 'app.rotate_secret', targetType: 'app', targetId: appId, details: { app: app.name } }, now);
    return secret;
  });
}

export async function replaceLogo(ctx: Ctx, ownerId: string, appId: string, logo: UploadedFile | undefined): Promise<void> {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  const errors = new FormErrors();
  const png = checkLogoUpload(logo, errors, true);
  errors.throwIfAny(LOGO_SHAPE);
  const now = ctx.clock.now();
  await ctx.store.tx(async (tx) => {
    await tx.updateTable('apps').set({ logo_png: png, updated_at: now })
      .where('id', '=', appId).where('owner_user_id', '=', ownerId).execute();
    await writeAudit(tx, merchant(ownerId), { action: 'app.logo', targetType: 'app', targetId: appId, details: { app: app.name, bytes: png!.length } }, now);
  });
}

/**
 * Asks that a digital account (anyone's wallet) may receive distributions of this app's
 * sales. Authorized at once in the sandbox; pending for an operator in production.
 */
export async function requestDistribution(ctx: Ctx, ownerId: string, appId: string, handleInput: string): Promise<'authorized' | 'pending'> {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  const handle = normalizeUsername(handleInput.replace(/^@/, ''));
  const fail = (key: string): never => {
    throw new ValidationError(new FormErrors().add(['handle'], key).toTree(DIST_SHAPE));
  };
  const account = handle && handle.length <= 64 ? await findWalletByHandle(ctx.store.db, handle) : undefined;
  if (!account) return fail('apps.dist_unknown');
  if (account.id === app.receiving_account_id) return fail('apps.dist_receiving');
  const now = ctx.clock.now();
  const status = isSandbox(ctx) ? 'authorized' : 'pending';
  try {
    const inserted = await ctx.store.tx(async (tx) => {
      const res = await tx.insertInto('app_distribution_accounts').values({
        app_id: app.id, account_id: account.id, status, requested_at: now,
        decided_at: status === 'authorized' ? now : null, decided_by: null,
      }).onConflict((oc) => oc.columns(['app_id', 'account_id']).doNothing()).executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await writeAudit(tx, merchant(ownerId), {
        action: 'distribution.request', targetType: 'app', targetId: app.id, details: { app: app.name, account: handle, status },
      }, now);
      return true;
    });
    if (!inserted) return fail('apps.dist_duplicate');
  } catch (e) {
    if (isUniqueViolation(e)) return fail('apps.dist_duplicate');
    throw e;
  }
  return status;
}
