import { isSandbox, type Ctx } from '../context.ts';
import { checkPin, walletsOf } from '../accounts/accounts.service.ts';
import { writeAudit, type Actor } from '../audit/audit.service.ts';
import { forUpdate, isUniqueViolation, type Tx } from '../db/store.ts';
import type { WithdrawalsTable } from '../db/schema.ts';
import { moneyRefusal } from '../ledger/invariants.ts';
import { postEntry, reverseEntry } from '../ledger/ledger.ts';
import { systemAccountId } from '../ledger/system-accounts.ts';
import { mailUser } from '../mail/outbox.ts';
import { BANKS } from '../payouts/banks.ts';
import { DAY_MS } from '../shared/clock.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { FormErrors } from '../shared/form.ts';
import { t } from '../shared/i18n.ts';
import { newId } from '../shared/ids.ts';
import { displayMoney } from '../shared/money.ts';
import { checkWithdrawal, maskAccount, WITHDRAW_SHAPE, type WithdrawInput } from './withdrawal.form.ts';
import './withdrawals.messages.ts';

const CARACAS_OFFSET_MS = 4 * 3600 * 1000;
/** The Caracas day a moment falls in, as the epoch milliseconds it starts at. */
export const dayStart = (ms: number) => Math.floor((ms - CARACAS_OFFSET_MS) / DAY_MS) * DAY_MS + CARACAS_OFFSET_MS;

/** What a person has withdrawn today (Caracas): failed withdrawals gave their money back and do not count. */
export async function usedToday(db: Ctx['store']['db'] | Tx, userId: string, nowMs: number) {
  const r = await db.selectFrom('withdrawals').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('amount_minor').as('s')])
    .where('user_id', '=', userId).where('status', '<>', 'failed').where('created_at', '>=', dayStart(nowMs)).executeTakeFirstOrThrow();
  return { n: Number(r.n), minor: Number(r.s ?? 0) };
}

const refusal = (path: string, key: string, params?: Record<string, string | number>): never => {
  throw new ValidationError(new FormErrors().add([path], key, params).toTree(WITHDRAW_SHAPE));
};

async function byNonce(db: Ctx['store']['db'], userId: string, nonce: string) {
  return db.selectFrom('withdrawals').select('id').where('user_id', '=', userId).where('nonce', '=', nonce).executeTakeFirst();
}

/**
 * Holds the amount and the fee at once, in one entry (wallet → withdrawals account and fee
 * account), after the PIN. The limits are checked under the wallet's lock, so two requests
 * at once cannot both pass them; the form's one-time nonce makes a resubmission a replay.
 */
export async function requestWithdrawal(ctx: Ctx, userId: string, input: WithdrawInput, pin: string, nonce: string): Promise<string> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) throw ValidationError.global('wallet.expired');
  const done = await byNonce(ctx.store.db, userId, nonce);
  if (done) return done.id;
  const user = await ctx.store.db.selectFrom('users').select(['document', 'full_name', 'business_name']).where('id', '=', userId).executeTakeFirstOrThrow();
  const errors = new FormErrors();
  const c = checkWithdrawal(input, user.document, errors);
  errors.throwIfAny(WITHDRAW_SHAPE);
  const now = ctx.clock.now();
  const pinCheck = await checkPin(ctx.store.autocommit, userId, pin, now, { sandbox: isSandbox(ctx) });
  if (!pinCheck.ok) refusal('pin', pinCheck.reason === 'locked' ? 'account.pin_locked' : 'account.pin_wrong', { minutes: pinCheck.minutes ?? 15 });
  const [wallet] = await walletsOf(ctx.store.db, userId);
  if (!wallet) throw ValidationError.global('wallet.no_account');
  const settings = ctx.config.wallet;
  const fee = settings.withdrawalFeeMinor;
  try {
    return await ctx.store.tx(async (tx) => {
      const [held] = await forUpdate(tx, tx.selectFrom('digital_accounts').select('balance_minor').where('id', '=', wallet.id)).execute();
      // The balance first: a withdrawal it cannot cover is refused as such, whatever the limits say.
      if (Number(held.balance_minor) < c.amountMinor + fee) refusal('amount', 'withdraw.funds', { total: displayMoney(c.amountMinor + fee) });
      const other = await tx.selectFrom('withdrawals').select('id').where('bank_account', '=', c.bankAccount)
        .where('user_id', '<>', userId).where('status', '<>', 'failed').executeTakeFirst();
      if (other) refusal('bankAccount', 'withdraw.account_of_other');
      const used = await usedToday(tx, userId, now);
      if (used.n >= settings.withdrawalDailyCount) refusal('amount', 'withdraw.daily_count', { max: settings.withdrawalDailyCount });
      if (used.minor + c.amountMinor > settings.withdrawalDailyMaxMinor) {
        refusal('amount', 'withdraw.daily_amount', { max: displayMoney(settings.withdrawalDailyMaxMinor), used: displayMoney(used.minor) });
      }
      const hold = await postEntry(tx, {
        kind: 'withdrawal', refPrefix: 'T', nowMs: now,
        description: t('es', 'withdraw.entry_hold', { bank: c.bankName, account: maskAccount(c.bankAccount) }),
        postings: [
          { accountId: wallet.id, amountMinor: -(c.amountMinor + fee) },
          { accountId: await systemAccountId(tx, 'withdrawals'), amountMinor: c.amountMinor },
          { accountId: await systemAccountId(tx, 'fees'), amountMinor: fee },
        ],
      });
      const id = newId();
      await tx.insertInto('withdrawals').values({
        id, user_id: userId, account_id: wallet.id, bank_account: c.bankAccount, bank_code: c.bankCode, holder_document: c.holderDocument,
        holder_name: user.business_name ?? user.full_name, amount_minor: c.amountMinor, fee_minor: fee, status: 'pending',
        hold_entry_id: hold.id, done_entry_id: null, export_id: null, nonce, reason: null, created_at: now,
        exported_at: null, decided_at: null, decided_by: null,
      }).execute();
      return id;
    });
  } catch (e) {
    if (moneyRefusal(e) === 'ledger.insufficient_funds') refusal('amount', 'withdraw.funds', { total: displayMoney(c.amountMinor + fee) });
    const key = moneyRefusal(e);
    if (key) refusal('amount', key);
    // The same form sent twice at once: the other one withdrew.
    if (isUniqueViolation(e)) {
      const first = await byNonce(ctx.store.db, userId, nonce);
      if (first) return first.id;
    }
    throw e;
  }
}

async function lockWithdrawal(tx: Tx, id: string, allowed: WithdrawalsTable['status'][]): Promise<WithdrawalsTable> {
  const row = await forUpdate(tx, tx.selectFrom('withdrawals').selectAll().where('id', '=', id)).executeTakeFirst();
  if (!row) throw new NotFoundError('withdraw.not_found');
  if (!allowed.includes(row.status)) throw ValidationError.global('withdraw.wrong_status', { status: row.status });
  return row;
}

/** Every waiting withdrawal goes into one file for the bank; they wait there for paid or failed. */
export async function exportPending(tx: Tx, actor: Actor, nowMs: number): Promise<string> {
  const rows = await forUpdate(tx, tx.selectFrom('withdrawals').select(['id', 'amount_minor']).where('status', '=', 'pending').orderBy('created_at').limit(5000)).execute();
  if (!rows.length) throw ValidationError.global('withdraw.none_pending');
  const id = newId();
  const total = rows.reduce((s, r) => s + Number(r.amount_minor), 0);
  await tx.insertInto('withdrawal_exports').values({ id, operator_id: actor.operatorId, item_count: rows.length, total_minor: total, created_at: nowMs }).execute();
  await tx.updateTable('withdrawals').set({ status: 'exported', export_id: id, exported_at: nowMs })
    .where('id', 'in', rows.map((r) => r.id)).where('status', '=', 'pending').execute();
  await writeAudit(tx, actor, { action: 'withdrawal.export', targetType: 'withdrawal_export', targetId: id, details: { count: rows.length, totalMinor: total } }, nowMs);
  return id;
}

/** The bank paid: the held money leaves for the platform's bank account (settlement). */
export async function markPaid(tx: Tx, actor: Actor, id: string, nowMs: number): Promise<void> {
  const w = await lockWithdrawal(tx, id, ['exported']);
  const amount = Number(w.amount_minor);
  const entry = await postEntry(tx, {
    kind: 'withdrawal_paid', refPrefix: 'T', nowMs, description: t('es', 'withdraw.entry_paid'),
    postings: [{ accountId: await systemAccountId(tx, 'withdrawals'), amountMinor: -amount }, { accountId: await systemAccountId(tx, 'settlement'), amountMinor: amount }],
  });
  await tx.updateTable('withdrawals').set({ status: 'paid', done_entry_id: entry.id, decided_at: nowMs, decided_by: actor.operatorId }).where('id', '=', id).execute();
  await writeAudit(tx, actor, { action: 'withdrawal.paid', targetType: 'withdrawal', targetId: id, details: { amountMinor: amount, entry: entry.ref } }, nowMs);
  await mailUser(tx, w.user_id, 'withdrawal_paid', { amountMinor: amount, bank: BANKS[w.bank_code] ?? w.bank_code, account: maskAccount(w.bank_account) }, nowMs);
}

/** The bank could not pay (or an operator stops it): the hold is reversed, fee included. */
export async function markFailed(tx: Tx, actor: Actor, id: string, reason: string, nowMs: number): Promise<void> {
  const w = await lockWithdrawal(tx, id, ['pending', 'exported']);
  const back = await reverseEntry(tx, w.hold_entry_id, { kind: 'withdrawal_failed', description: t('es', 'withdraw.entry_failed'), nowMs });
  await tx.updateTable('withdrawals').set({ status: 'failed', reason, done_entry_id: back.id, decided_at: nowMs, decided_by: actor.operatorId }).where('id', '=', id).execute();
  const amount = Number(w.amount_minor);
  await writeAudit(tx, actor, { action: 'withdrawal.failed', targetType: 'withdrawal', targetId: id, reason, details: { amountMinor: amount, entry: back.ref } }, nowMs);
  await mailUser(tx, w.user_id, 'withdrawal_failed', { amountMinor: amount, returnedMinor: amount + Number(w.fee_minor), account: maskAccount(w.bank_account), reason }, nowMs);
}
