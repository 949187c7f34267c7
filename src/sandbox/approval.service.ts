import { randomInt } from 'node:crypto';
import type { Ctx } from '../context.ts';
import { checkNewUser, checkPin, firstWallet, insertUser } from '../accounts/accounts.service.ts';
import { addTestFunds } from './funds.ts';
import { randomPin } from './demo.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { FormErrors } from '../shared/form.ts';
import { randomCode } from '../shared/ids.ts';
import { appIsActive, changeState, openIntent, refusalOf } from '../payment-intents/intent.machine.ts';
import type { IntentRow } from '../payment-intents/payment-intent.repository.ts';
import { intentNow } from '../test-mode/test-clock.ts';
import '../billing/billing.messages.ts';
import '../checkout/checkout.messages.ts';

// The sandbox's automatic approval: a dedicated test payer authorizes a sale as if a
// customer had clicked "Autorizar" on the checkout page. Sandbox only.

export const SANDBOX_TESTER = 'sandbox.tester';
/** Extra test money added on top of what an intent needs, so a few approvals in a row can run. */
const TOP_UP_CUSHION_MINOR = 10_000_00;
const AUTORIZE_SHAPE = { id: null, payer: null, pin: null } as const;

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

async function findTester(ctx: Ctx) {
  const user = await ctx.store.db.selectFrom('users').select('id').where('username', '=', SANDBOX_TESTER).executeTakeFirst();
  if (!user) return undefined;
  const wallet = await firstWallet(ctx.store.db, user.id);
  return wallet ? { userId: user.id, accountId: wallet.id } : undefined;
}

/** The test payer, created on first use. Two first uses at once: the loser reads the winner's. */
async function ensureTester(ctx: Ctx): Promise<{ userId: string; accountId: string }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await findTester(ctx);
    if (found) return found;
    const checked = await checkNewUser({
      kind: 'personal', username: SANDBOX_TESTER, password: `Sbx-${randomCode(16)}7`, pin: randomPin(),
      fullName: 'Comprador de Prueba', document: `V${digits(8)}`, phone: `58416${digits(7)}`,
      email: 'sandbox.tester@example.com',
    });
    try {
      await ctx.store.tx((tx) => insertUser(tx, checked, ctx.clock.now()));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
    }
  }
  throw new Error('could not create the sandbox test payer');
}

type Outcome = { ok: true; row: IntentRow } | { ok: false; errors: FormErrors };

/** A sandbox person named by username or payer id (the `payer_info.id` of the API), with a wallet. */
async function findPayer(ctx: Ctx, ref: string): Promise<{ userId: string; accountId: string } | undefined> {
  if (ref.length > 100) return undefined;
  const user = await ctx.store.db.selectFrom('users').select('id')
    .where((eb) => eb.or([eb('username', '=', ref.toLowerCase()), eb('id', '=', ref)]))
    .where('kind', 'in', ['personal', 'business']).where('status', '=', 'active')
    .executeTakeFirst();
  if (!user) return undefined;
  const wallet = await firstWallet(ctx.store.db, user.id);
  return wallet ? { userId: user.id, accountId: wallet.id } : undefined;
}

/**
 * Approves a `created` sale as a sandbox payer: the test payer (its test funds topped up as
 * needed), or, with `payer` and that person's `pin`, the sandbox person of that username or
 * payer id, who must have the balance, as on the checkout page.
 */
export async function approveWithSandboxTester(
  ctx: Ctx, intentId: string | undefined, payerRef?: string, pin?: string,
): Promise<IntentRow> {
  if (!intentId) throw new ValidationError(new FormErrors().add(['id'], 'intent.id_required').toTree({ ...AUTORIZE_SHAPE }));
  if (ctx.env !== 'sandbox') throw new NotFoundError();
  const chosen = payerRef !== undefined;
  const tester = chosen ? await findPayer(ctx, payerRef) : await ensureTester(ctx);
  if (!tester) throw new ValidationError(new FormErrors().add(['payer'], 'intent.sandbox_payer_unknown').toTree({ ...AUTORIZE_SHAPE }));
  if (chosen) {
    // Another person's money is spent only with their consent: their operations PIN, with its lockout.
    const checked = pin ? await checkPin(ctx.store.autocommit, tester.userId, pin, ctx.clock.now(), { sandbox: true }) : undefined;
    if (!checked?.ok) {
      const errors = new FormErrors();
      if (!pin) errors.add(['pin'], 'billing.pin_required');
      else if (checked?.reason === 'locked') errors.add(['pin'], 'account.pin_locked', { minutes: checked.minutes ?? 15 });
      else errors.add(['pin'], 'account.pin_wrong');
      throw new ValidationError(errors.toTree({ ...AUTORIZE_SHAPE }));
    }
  }
  const now = await intentNow(ctx, intentId);
  const outcome = await ctx.store.tx(async (tx): Promise<Outcome> => {
    const row = await openIntent(tx, intentId, now);
    if (!row) throw new NotFoundError('intent.not_found');
    if (row.intent !== 'sale') return { ok: false, errors: new FormErrors().add(['id'], 'intent.not_a_sale') };
    const refused = refusalOf(row, 'authorize', now);
    if (refused) return { ok: false, errors: new FormErrors().global(refused) };
    // As on the checkout page: a suspended or revoked app's sales take no approvals.
    if (!(await appIsActive(tx, row.app_id))) return { ok: false, errors: new FormErrors().global('intent.app_unavailable') };
    if (row.owner_user_id === tester.userId) return { ok: false, errors: new FormErrors().add(['payer'], 'checkout.own_intent') };
    const wallet = await tx.selectFrom('digital_accounts').select('balance_minor').where('id', '=', tester.accountId)
      .executeTakeFirstOrThrow();
    const total = Number(row.total_minor);
    const balance = Number(wallet.balance_minor);
    if (balance < total) {
      if (chosen) return { ok: false, errors: new FormErrors().add(['payer'], 'intent.sandbox_payer_short') };
      // From the merchant's own test funding: no developer can use up everyone's.
      await addTestFunds(tx, tester.accountId, total - balance + TOP_UP_CUSHION_MINOR, now, 'Fondos de prueba (aprobación automática)', row.owner_user_id);
    }
    const approved = await changeState(tx, row, 'authorize', now, tester.userId);
    return approved.ok ? approved : { ok: false, errors: new FormErrors().global(approved.key) };
  });
  if (!outcome.ok) throw new ValidationError(outcome.errors.toTree({ ...AUTORIZE_SHAPE }));
  return outcome.row;
}
