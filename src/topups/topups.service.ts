import type { Ctx } from '../context.ts';
import { walletsOf } from '../accounts/accounts.service.ts';
import { writeAudit, type Actor } from '../audit/audit.service.ts';
import { forUpdate, isUniqueViolation, type Tx } from '../db/store.ts';
import type { TopupsTable } from '../db/schema.ts';
import { moneyRefusal } from '../ledger/invariants.ts';
import { postEntry } from '../ledger/ledger.ts';
import { systemAccountId } from '../ledger/system-accounts.ts';
import { mailUser } from '../mail/outbox.ts';
import { BANKS } from '../payouts/banks.ts';
import type { UploadedFile } from '../http/body.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { FormErrors } from '../shared/form.ts';
import { t } from '../shared/i18n.ts';
import { newId } from '../shared/ids.ts';
import { checkTopup, TOPUP_SHAPE, type TopupInput } from './topup.form.ts';
import './topups.messages.ts';

/** Declarations one person may have waiting at once: enough for real life, not for flooding the queue. */
export const MAX_PENDING_PER_PERSON = 10;

const fail = (key: string, params?: Record<string, string | number>): never => {
  throw ValidationError.global(key, params);
};

/** A person declares a payment into the platform's bank account; it waits for an operator. */
export async function declareTopup(ctx: Ctx, userId: string, input: TopupInput, file: UploadedFile | undefined): Promise<string> {
  const now = ctx.clock.now();
  const c = checkTopup(input, file, now);
  const [wallet] = await walletsOf(ctx.store.db, userId);
  if (!wallet) fail('wallet.no_account');
  return ctx.store.tx(async (tx) => {
    const errors = new FormErrors();
    const same = await tx.selectFrom('topups').select(['user_id', 'status']).where('reference', '=', c.reference)
      .where('status', 'in', ['pending', 'confirmed']).execute();
    if (same.some((r) => r.status === 'confirmed')) errors.add(['reference'], 'topup.reference_credited');
    else if (same.some((r) => r.user_id === userId)) errors.add(['reference'], 'topup.reference_declared');
    const pending = await tx.selectFrom('topups').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId).where('status', '=', 'pending').executeTakeFirstOrThrow();
    if (Number(pending.n) >= MAX_PENDING_PER_PERSON) errors.global('topup.too_many_pending', { max: MAX_PENDING_PER_PERSON });
    errors.throwIfAny(TOPUP_SHAPE);
    const id = newId();
    await tx.insertInto('topups').values({
      id, user_id: userId, account_id: wallet.id, method: c.method, bank_code: c.bankCode, reference: c.reference,
      amount_minor: c.amountMinor, paid_on: c.paidOn, status: 'pending', reason: null, entry_id: null, import_id: null,
      created_at: now, decided_at: null, decided_by: null,
    }).execute();
    if (c.receipt) await tx.insertInto('topup_receipts').values({ topup_id: id, content_type: c.receipt.contentType, data: c.receipt.data }).execute();
    return id;
  });
}

async function lockPending(tx: Tx, id: string): Promise<TopupsTable> {
  const row = await forUpdate(tx, tx.selectFrom('topups').selectAll().where('id', '=', id)).executeTakeFirst();
  if (!row) throw new NotFoundError('topup.not_found');
  if (row.status !== 'pending') fail('topup.not_pending');
  return row;
}

/**
 * Credits the wallet from the bank-settlement account, at most once per bank reference:
 * checked here first for a clear refusal, and by the store's partial unique index for two
 * confirmations racing (the second one's transaction then rolls back whole).
 */
export async function confirmTopup(tx: Tx, actor: Actor, id: string, nowMs: number, importId: string | null = null): Promise<string> {
  const row = await lockPending(tx, id);
  const credited = await tx.selectFrom('topups').select('id').where('reference', '=', row.reference).where('status', '=', 'confirmed').executeTakeFirst();
  if (credited) fail('topup.reference_credited');
  const amount = Number(row.amount_minor);
  let entry;
  try {
    entry = await postEntry(tx, {
      kind: 'topup', refPrefix: 'T', nowMs,
      description: t('es', 'topup.entry_description', { bank: BANKS[row.bank_code] ?? row.bank_code, reference: row.reference }),
      postings: [{ accountId: await systemAccountId(tx, 'settlement'), amountMinor: -amount }, { accountId: row.account_id, amountMinor: amount }],
    });
  } catch (e) {
    const refusal = moneyRefusal(e);
    if (refusal) fail(refusal);
    throw e;
  }
  await tx.updateTable('topups').set({ status: 'confirmed', entry_id: entry.id, import_id: importId, decided_at: nowMs, decided_by: actor.operatorId })
    .where('id', '=', id).execute();
  await writeAudit(tx, actor, {
    action: 'topup.confirm', targetType: 'topup', targetId: id,
    details: { reference: row.reference, amountMinor: amount, entry: entry.ref, ...(importId ? { import: importId } : {}) },
  }, nowMs);
  await mailUser(tx, row.user_id, 'topup_confirmed', { amountMinor: amount, reference: row.reference, ref: entry.ref }, nowMs);
  return entry.ref;
}

export async function refuseTopup(tx: Tx, actor: Actor, id: string, reason: string, nowMs: number): Promise<void> {
  const row = await lockPending(tx, id);
  await tx.updateTable('topups').set({ status: 'refused', reason, decided_at: nowMs, decided_by: actor.operatorId }).where('id', '=', id).execute();
  await writeAudit(tx, actor, {
    action: 'topup.refuse', targetType: 'topup', targetId: id, reason,
    details: { reference: row.reference, amountMinor: Number(row.amount_minor) },
  }, nowMs);
  await mailUser(tx, row.user_id, 'topup_refused', { amountMinor: Number(row.amount_minor), reference: row.reference, reason }, nowMs);
}

/** Runs an operator's decision in its own transaction; a reference credited meanwhile is a clear refusal. */
export async function decideTopup(ctx: Ctx, run: (tx: Tx) => Promise<unknown>): Promise<void> {
  try {
    await ctx.store.tx(run);
  } catch (e) {
    if (isUniqueViolation(e)) fail('topup.reference_credited');
    throw e;
  }
}
