import type { Ctx } from '../context.ts';
import { hashSecret } from '../accounts/secrets.ts';
import { isEmail, isStrongPassword } from '../accounts/validation.ts';
import { mailUser } from '../mail/outbox.ts';
import { HOUR_MS, MINUTE_MS } from '../shared/clock.ts';
import { FormErrors } from '../shared/form.ts';
import { randomToken, sha256 } from '../shared/ids.ts';
import { signOutOthers } from './sessions.service.ts';
import './settings.messages.ts';

export const RESET_TTL_MS = 30 * MINUTE_MS;
/** Links mailed to one account per hour at most; past that, requests quietly send nothing. */
export const RESETS_PER_HOUR = 3;
export const FORGOT_SHAPE = { email: null } as const;
export const RESET_SHAPE = { newPassword: null, confirmPassword: null } as const;

/**
 * Mails a reset link to each active account with this address. The answer is the same
 * whether or not one exists: only the address's format is judged.
 */
export async function requestPasswordReset(ctx: Ctx, emailRaw: string): Promise<string> {
  const email = emailRaw.trim().toLowerCase();
  if (!isEmail(email)) new FormErrors().add(['email'], 'account.email_invalid').throwIfAny(FORGOT_SHAPE);
  const users = await ctx.store.db.selectFrom('users').select('id')
    .where('email', '=', email).where('kind', 'in', ['personal', 'business']).where('status', '=', 'active').limit(10).execute();
  const now = ctx.clock.now();
  for (const { id } of users) {
    await ctx.store.tx(async (tx) => {
      const recent = await tx.selectFrom('password_resets').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', id).where('created_at', '>', now - HOUR_MS).executeTakeFirstOrThrow();
      if (Number(recent.n) >= RESETS_PER_HOUR) return;
      const token = randomToken(32);
      await tx.insertInto('password_resets').values({ token_hash: sha256(token), user_id: id, expires_at: now + RESET_TTL_MS, used_at: null, created_at: now }).execute();
      await mailUser(tx, id, 'password_reset', { url: `${ctx.config.publicUrl}/reset-password?token=${token}`, minutes: RESET_TTL_MS / MINUTE_MS }, now);
    });
  }
  return email;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Whether a link's token can still reset a password (unused, unexpired). */
export async function resetIsValid(ctx: Ctx, token: string): Promise<boolean> {
  if (!TOKEN.test(token)) return false;
  const row = await ctx.store.db.selectFrom('password_resets').select(['used_at', 'expires_at'])
    .where('token_hash', '=', sha256(token)).executeTakeFirst();
  return Boolean(row && row.used_at === null && Number(row.expires_at) > ctx.clock.now());
}

/**
 * Sets the new password once per link: one conditional UPDATE spends the token, so two
 * submissions at once cannot both succeed. Every session and every other link of the
 * person end in the same transaction. Returns false when the link no longer works.
 */
export async function resetPassword(ctx: Ctx, token: string, newPassword: string, confirmPassword: string): Promise<boolean> {
  const errors = new FormErrors();
  if (!isStrongPassword(newPassword)) errors.add(['newPassword'], 'account.password_weak');
  if (confirmPassword !== newPassword) errors.add(['confirmPassword'], 'settings.mismatch');
  if (!TOKEN.test(token)) return false;
  errors.throwIfAny(RESET_SHAPE);
  const hash = await hashSecret(newPassword);
  const now = ctx.clock.now();
  return ctx.store.tx(async (tx) => {
    const spent = await tx.updateTable('password_resets').set({ used_at: now })
      .where('token_hash', '=', sha256(token)).where('used_at', 'is', null).where('expires_at', '>', now)
      .returning('user_id').executeTakeFirst();
    if (!spent) return false;
    await tx.updateTable('users').set({ password_hash: hash, login_failed_count: 0, login_locked_until: 0 })
      .where('id', '=', spent.user_id).execute();
    await tx.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', spent.user_id).where('used_at', 'is', null).execute();
    await signOutOthers(tx, spent.user_id, undefined);
    return true;
  });
}
