import { isSandbox, type Ctx } from '../context.ts';
import type { PayoutBatchesTable } from '../db/schema.ts';
import { forUpdate, isUniqueViolation, type Tx } from '../db/store.ts';
import type { ApiCaller } from '../oauth/bearer.ts';
import { postEntry } from '../ledger/ledger.ts';
import { nextRef } from '../ledger/refs.ts';
import { developerAccountId, SYSTEM, systemAccountId } from '../ledger/system-accounts.ts';
import { isEmail, isPhone, normalizeDocument, normalizePhone } from '../accounts/validation.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { moneyRefusal } from '../ledger/invariants.ts';
import { FormErrors } from '../shared/form.ts';
import { newId } from '../shared/ids.ts';
import { doc, text } from '../shared/input.ts';
import { MAX_MINOR, parseMoney } from '../shared/money.ts';
import { DAY_MS } from '../shared/clock.ts';
import { MAGIC } from '../test-mode/magic-values.ts';
import { advancedClocks, merchantOffset } from '../test-mode/test-clock.ts';
import { bankOf } from './banks.ts';
import { emitSettlement } from './payout.events.ts';
import './payout.messages.ts';

export type PayoutType = PayoutBatchesTable['type'];
export const PAYOUT_TYPES: readonly PayoutType[] = ['DISPERSION', 'DISPERSION_INSTANT_INTERBANK'];

/** Fee per item, in céntimos: interbank in 24 h, or instant at a higher fee. */
export const FEE_PER_ITEM_MINOR: Record<PayoutType, number> = { DISPERSION: 150, DISPERSION_INSTANT_INTERBANK: 500 };
/** How long a DISPERSION batch takes to settle with the banks. */
export const SETTLEMENT_MS: Record<PayoutType, number> = { DISPERSION: DAY_MS, DISPERSION_INSTANT_INTERBANK: 0 };
export const MAX_ITEMS = 1000;

const ITEM_SHAPE = { reference: null, nameAccount: null, identificationNumber: null, bankAccount: null, amount: null, phone: null, email: null };

export function readType(query: unknown): PayoutType {
  const t = text(doc(query).type)?.toUpperCase();
  if (!t || !PAYOUT_TYPES.includes(t as PayoutType)) throw ValidationError.global('payout.type_invalid');
  return t as PayoutType;
}

interface ItemInput {
  reference: string; nameAccount: string; identificationNumber: string; bankAccount: string; bankCode: string;
  amountMinor: number; phone: string | null; email: string | null;
}

function readItem(body: unknown): ItemInput {
  const f = doc(doc(body).multi_payment_item);
  const errors = new FormErrors();
  const reference = text(f.reference) ?? '';
  if (!reference) errors.add(['reference'], 'common.required');
  else if (reference.length > 100) errors.add(['reference'], 'common.too_long');
  const nameAccount = text(f.nameAccount) ?? '';
  if (!nameAccount) errors.add(['nameAccount'], 'common.required');
  else if (nameAccount.length > 120) errors.add(['nameAccount'], 'common.too_long');
  const identificationNumber = text(f.identificationNumber) ?? '';
  if (!identificationNumber) errors.add(['identificationNumber'], 'common.required');
  else if (!/^[VEPJG]\d{5,9}$/.test(normalizeDocument(identificationNumber))) errors.add(['identificationNumber'], 'payout.identification_invalid');
  const bankAccount = (text(f.bankAccount) ?? '').replace(/[\s-]/g, '');
  let bankCode = '';
  if (!bankAccount) errors.add(['bankAccount'], 'common.required');
  else if (!/^\d{20}$/.test(bankAccount)) errors.add(['bankAccount'], 'payout.bank_account_invalid');
  else {
    const bank = bankOf(bankAccount);
    if (!bank) errors.global('payout.bank_not_found');
    else bankCode = bank.code;
  }
  const amount = parseMoney(f.amount);
  if (!amount.ok) errors.add(['amount'], `money.${amount.reason}`);
  else if (amount.minor <= 0) errors.add(['amount'], 'money.must_be_positive');
  const phoneText = text(f.phone);
  const phone = phoneText ? normalizePhone(phoneText) : null;
  if (phone && !isPhone(phone)) errors.add(['phone'], 'account.phone_invalid');
  const email = text(f.email)?.toLowerCase() ?? null;
  if (email && !isEmail(email)) errors.add(['email'], 'account.email_invalid');
  errors.throwIfAny(ITEM_SHAPE);
  return { reference, nameAccount, identificationNumber, bankAccount, bankCode, amountMinor: amount.ok ? amount.minor : 0, phone, email };
}

async function pendingBatch(tx: Tx, caller: ApiCaller, type: PayoutType, nowMs: number) {
  const find = () => forUpdate(tx, tx.selectFrom('payout_batches').selectAll()
    .where('owner_user_id', '=', caller.user.id).where('type', '=', type).where('status', '=', 'PENDING_LOAD')).executeTakeFirst();
  const found = await find();
  if (found) return found;
  const batch = {
    id: newId(), ref: await nextRef(tx, 'MP', nowMs), owner_user_id: caller.user.id, app_id: caller.app.id, type,
    status: 'PENDING_LOAD', total_minor: 0, fee_minor: 0, item_count: 0, entry_id: null, created_at: nowMs, submitted_at: null,
  };
  await tx.insertInto('payout_batches').values(batch).execute();
  return batch;
}

/** Adds one item to the caller's batch of that type that is pending to load (creating it). */
export async function registerItem(ctx: Ctx, caller: ApiCaller, type: PayoutType, body: unknown) {
  const item = readItem(body);
  // A batch lives in its merchant's time (a sandbox test clock may run ahead).
  const offset = await merchantOffset(ctx, caller.user.id);
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.store.tx(async (tx) => {
        const now = ctx.clock.now() + offset;
        const batch = await pendingBatch(tx, caller, type, now);
        if (batch.item_count >= MAX_ITEMS) throw ValidationError.global('payout.batch_full', { max: MAX_ITEMS });
        // The batch total is bounded like any single amount, so that it (and its debit) stays exact.
        if (Number(batch.total_minor) + item.amountMinor > MAX_MINOR) {
          throw new ValidationError(new FormErrors().add(['amount'], 'payout.batch_total_too_large').toTree(ITEM_SHAPE));
        }
        const ref = await nextRef(tx, 'MP', now);
        await tx.insertInto('payout_items').values({
          id: newId(), batch_id: batch.id, ref, reference: item.reference, name_account: item.nameAccount,
          identification_number: item.identificationNumber, bank_account: item.bankAccount, bank_code: item.bankCode,
          amount_minor: item.amountMinor, phone: item.phone, email: item.email, status: 'APPROVED', created_at: now,
        }).execute();
        await tx.updateTable('payout_batches').set((eb) => ({
          total_minor: eb('total_minor', '+', item.amountMinor),
          fee_minor: eb('fee_minor', '+', FEE_PER_ITEM_MINOR[type]),
          item_count: eb('item_count', '+', 1),
        })).where('id', '=', batch.id).execute();
        return { ref, identification_number: item.identificationNumber, status: 'APPROVED' };
      });
    } catch (e) {
      // Two first items at once both tried to open the pending batch: the loser retries and joins it.
      if (!isUniqueViolation(e) || attempt >= 2) throw e;
    }
  }
}

export async function ownBatch(ctx: Ctx, caller: Pick<ApiCaller, 'user'>, id: string | undefined) {
  if (!id) throw new NotFoundError();
  const batch = await ctx.store.db.selectFrom('payout_batches').selectAll()
    .where((eb) => eb.or([eb('id', '=', id), eb('ref', '=', id)])).executeTakeFirst();
  if (!batch || batch.owner_user_id !== caller.user.id) throw new NotFoundError();
  return batch;
}

/**
 * Submits a batch: one entry debits the caller's receiving account for the total and the
 * fees, crediting the payout clearing account and the fee account. At most once: the
 * batch row is locked and must still be pending. `onSubmitted` writes in that same
 * transaction (the dashboard's audit record).
 */
export async function submitBatch(
  ctx: Ctx, caller: Pick<ApiCaller, 'user' | 'receivingAccountId'>, id: string | undefined,
  onSubmitted?: (tx: Tx, batch: PayoutBatchesTable) => Promise<void>,
) {
  const owned = await ownBatch(ctx, caller, id);
  const offset = await merchantOffset(ctx, caller.user.id);
  return ctx.store.tx(async (tx) => {
    const now = ctx.clock.now() + offset;
    const batch = await forUpdate(tx, tx.selectFrom('payout_batches').selectAll().where('id', '=', owned.id)).executeTakeFirstOrThrow();
    if (batch.status !== 'PENDING_LOAD') throw ValidationError.global('payout.batch_not_pending');
    if (batch.item_count === 0) throw ValidationError.global('payout.batch_empty');
    const payouts = isSandbox(ctx) ? await developerAccountId(tx, 'payouts', batch.owner_user_id, now) : await systemAccountId(tx, 'payouts');
    const fees = await systemAccountId(tx, 'fees');
    const total = Number(batch.total_minor);
    const fee = Number(batch.fee_minor);
    let entry;
    try {
      entry = await postEntry(tx, {
        kind: 'payout', description: `Dispersión ${batch.ref}`, refPrefix: 'MP', nowMs: now,
        postings: [
          { accountId: caller.receivingAccountId, amountMinor: -(total + fee) },
          { accountId: payouts, amountMinor: total },
          { accountId: fees, amountMinor: fee },
        ],
      });
    } catch (e) {
      const refusal = moneyRefusal(e);
      if (refusal) throw ValidationError.global(refusal);
      throw e;
    }
    const settled = SETTLEMENT_MS[batch.type] === 0;
    await tx.updateTable('payout_batches').set({ status: settled ? 'SETTLED' : 'PROCESSING', entry_id: entry.id, submitted_at: now })
      .where('id', '=', batch.id).execute();
    await tx.updateTable('payout_items').set({ status: settled ? 'SETTLED' : 'PROCESSING' }).where('batch_id', '=', batch.id).execute();
    if (settled) await settle(ctx, tx, { ...batch, entry_id: entry.id }, now);
    const submitted = await tx.selectFrom('payout_batches').selectAll().where('id', '=', batch.id).executeTakeFirstOrThrow();
    await onSubmitted?.(tx, submitted);
    return submitted;
  });
}

type SettleBatch = Pick<PayoutBatchesTable, 'id' | 'ref' | 'owner_user_id' | 'total_minor' | 'entry_id'>;

/**
 * The money leaves the platform for the banks: from the clearing account the submission
 * credited to the outside world, which in the sandbox is the developer's own funding account.
 * In the sandbox an item to the magic rejected account is refused by its bank: it ends
 * REJECTED and its amount goes back from the clearing account to the account that paid the
 * batch, in an entry of its own (the fee stays charged, as a bank charges a returned transfer).
 */
async function settle(ctx: Ctx, tx: Tx, batch: SettleBatch, nowMs: number) {
  const submitted = await tx.selectFrom('postings as p').innerJoin('digital_accounts as a', 'a.id', 'p.account_id')
    .select(['a.id', 'a.handle', 'p.amount_minor']).where('p.entry_id', '=', batch.entry_id ?? '').execute();
  const clearing = submitted.find((p) => p.handle.startsWith(SYSTEM.payouts));
  if (!clearing) throw new Error(`payout batch ${batch.id} has no clearing posting`);
  const rejectedMinor = isSandbox(ctx) ? await returnRejected(tx, batch, clearing.id, submitted, nowMs) : 0;
  const totalMinor = Number(batch.total_minor) - rejectedMinor;
  let settledEntryId: string | null = null;
  if (totalMinor > 0) {
    // Production pays out of the platform's bank account; the sandbox, into the developer's own.
    const outside = isSandbox(ctx) ? await developerAccountId(tx, 'funding', batch.owner_user_id, nowMs) : await systemAccountId(tx, 'settlement');
    const entry = await postEntry(tx, {
      kind: 'payout_settlement', description: `Liquidación ${batch.ref}`, refPrefix: 'MP', nowMs,
      postings: [{ accountId: clearing.id, amountMinor: -totalMinor }, { accountId: outside, amountMinor: totalMinor }],
    });
    settledEntryId = entry.id;
  }
  await tx.updateTable('payout_batches').set({ status: 'SETTLED', settled_entry_id: settledEntryId }).where('id', '=', batch.id).execute();
  await tx.updateTable('payout_items').set({ status: 'SETTLED' }).where('batch_id', '=', batch.id).where('status', '!=', 'REJECTED').execute();
  await emitSettlement(tx, batch.id, nowMs);
}

/** Sandbox: the items to the magic rejected account, marked REJECTED and paid back; returns their total. */
async function returnRejected(
  tx: Tx, batch: SettleBatch, clearingId: string, submitted: { id: string; amount_minor: number }[], nowMs: number,
): Promise<number> {
  const rejected = await tx.selectFrom('payout_items').select(['id', 'ref', 'amount_minor'])
    .where('batch_id', '=', batch.id).where('bank_account', '=', MAGIC.rejectedBankAccount).execute();
  if (rejected.length === 0) return 0;
  const payer = submitted.find((p) => Number(p.amount_minor) < 0);
  if (!payer) throw new Error(`payout batch ${batch.id} has no debited account`);
  let total = 0;
  for (const item of rejected) {
    const amount = Number(item.amount_minor);
    await postEntry(tx, {
      kind: 'payout_rejected', description: `Dispersión rechazada por el banco ${item.ref} (${batch.ref})`, refPrefix: 'R', nowMs,
      postings: [{ accountId: clearingId, amountMinor: -amount }, { accountId: payer.id, amountMinor: amount }],
    });
    total += amount;
  }
  await tx.updateTable('payout_items').set({ status: 'REJECTED' }).where('id', 'in', rejected.map((i) => i.id)).execute();
  return total;
}

/**
 * Settles every DISPERSION batch whose 24 hours have passed. Safe to run from several
 * processes. In the sandbox, a batch whose owner's test clock runs ahead is due (and
 * settled) at its owner's time.
 */
export async function settleDue(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now();
  const clocks = await advancedClocks(ctx);
  const offsets = new Map(clocks.map((c) => [c.ownerUserId, c.offsetMs]));
  const dueQuery = () => ctx.store.db.selectFrom('payout_batches').select(['id', 'owner_user_id'])
    .where('status', '=', 'PROCESSING').orderBy('submitted_at').limit(100);
  const due = await dueQuery().where('submitted_at', '<=', now - SETTLEMENT_MS.DISPERSION).execute();
  for (const c of clocks) {
    due.push(...await dueQuery().where('owner_user_id', '=', c.ownerUserId)
      .where('submitted_at', '<=', now + c.offsetMs - SETTLEMENT_MS.DISPERSION).execute());
  }
  let n = 0;
  for (const id of new Set(due.map((b) => b.id))) {
    n += await ctx.store.tx(async (tx) => {
      const b = await forUpdate(tx, tx.selectFrom('payout_batches').selectAll().where('id', '=', id)).executeTakeFirstOrThrow();
      if (b.status !== 'PROCESSING') return 0;
      await settle(ctx, tx, b, now + (offsets.get(b.owner_user_id) ?? 0));
      return 1;
    });
  }
  return n;
}
