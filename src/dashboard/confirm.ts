import { isSandbox, type Ctx } from '../context.ts';
import { checkPin, signIn } from '../accounts/accounts.service.ts';
import type { PageUser } from '../web/render.ts';
import { FormErrors } from '../shared/form.ts';
import './dashboard.messages.ts';

export const CONFIRM_SHAPE = { confirm: null } as const;

/**
 * A money-moving button on a page asks again who is there: the 4-digit operations PIN or
 * the account's password, each with its own lock-out after repeated failures (the same
 * counters the wallet and the sign-in page keep). Throws a 400 on the `confirm` field.
 */
export async function confirmIdentity(ctx: Ctx, user: PageUser, secret: string): Promise<'pin' | 'password'> {
  const now = ctx.clock.now();
  const fail = (key: string, params?: Record<string, number>): never => {
    new FormErrors().add(['confirm'], key, params).throwIfAny(CONFIRM_SHAPE);
    throw new Error('unreachable');
  };
  if (!secret) return fail('dashboard.confirm_required');
  if (/^\d{4}$/.test(secret)) {
    const pin = await checkPin(ctx.store.autocommit, user.id, secret, now, { sandbox: isSandbox(ctx) });
    if (pin.ok) return 'pin';
    return pin.reason === 'locked' ? fail('account.pin_locked', { minutes: pin.minutes ?? 15 }) : fail('account.pin_wrong');
  }
  const login = await signIn(ctx.store.autocommit, user.username, secret, now, [user.kind as 'business']);
  if (login.ok && login.user.id === user.id) return 'password';
  if (!login.ok && login.reason === 'locked') return fail('account.login_locked', { minutes: login.minutes ?? 15 });
  return fail(!login.ok && login.reason === 'disabled' ? 'account.disabled' : 'dashboard.password_wrong');
}
