import type { Ctx } from '../context.ts';
import { hashSecret, verifySecret } from '../accounts/secrets.ts';
import { isPin, isStrongPassword } from '../accounts/validation.ts';
import { FormErrors } from '../shared/form.ts';
import { signOutOthers } from './sessions.service.ts';
import './settings.messages.ts';
import type { ReadDb } from '../db/store.ts';

export const PASSWORD_SHAPE = { currentPassword: null, newPassword: null, confirmPassword: null } as const;
export const PIN_SHAPE = { password: null, newPin: null, confirmPin: null } as const;

/** The person's own password, checked at the slow hash's pace like a sign-in. */
export async function passwordMatches(db: ReadDb, userId: string, password: string): Promise<boolean> {
  const user = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return Boolean(user && password && password.length <= 128 && (await verifySecret(password, user.password_hash)));
}

export interface PasswordChange { currentPassword: string; newPassword: string; confirmPassword: string }

/**
 * A new password: the current one is required, and every other session of the person
 * ends in the same transaction (whoever else was signed in is out).
 */
export async function changePassword(ctx: Ctx, userId: string, keepSessionHash: string | undefined, input: PasswordChange): Promise<void> {
  const errors = new FormErrors();
  if (!(await passwordMatches(ctx.store.db, userId, input.currentPassword))) errors.add(['currentPassword'], 'settings.password_wrong');
  if (!isStrongPassword(input.newPassword)) errors.add(['newPassword'], 'account.password_weak');
  else if (input.newPassword === input.currentPassword) errors.add(['newPassword'], 'settings.same_password');
  if (input.confirmPassword !== input.newPassword) errors.add(['confirmPassword'], 'settings.mismatch');
  errors.throwIfAny(PASSWORD_SHAPE);
  const hash = await hashSecret(input.newPassword);
  await ctx.store.tx(async (tx) => {
    await tx.updateTable('users').set({ password_hash: hash, login_failed_count: 0 }).where('id', '=', userId).execute();
    await signOutOthers(tx, userId, keepSessionHash);
  });
}

export interface PinChange { password: string; newPin: string; confirmPin: string }

/** A new operations PIN, with the password: knowing it also lifts a PIN lock-out. */
export async function changePin(ctx: Ctx, userId: string, input: PinChange): Promise<void> {
  const errors = new FormErrors();
  if (!(await passwordMatches(ctx.store.db, userId, input.password))) errors.add(['password'], 'settings.password_wrong');
  if (!isPin(input.newPin)) errors.add(['newPin'], 'account.pin_invalid');
  if (input.confirmPin !== input.newPin) errors.add(['confirmPin'], 'settings.mismatch');
  errors.throwIfAny(PIN_SHAPE);
  const hash = await hashSecret(input.newPin, 'pin');
  await ctx.store.tx((tx) => tx.updateTable('users').set({ pin_hash: hash, pin_failed_count: 0, pin_locked_until: 0 })
    .where('id', '=', userId).execute());
}
