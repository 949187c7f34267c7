import { isSandbox, type Ctx } from '../context.ts';
import { checkPin, findUserByLogin, walletsOf } from '../accounts/accounts.service.ts';
import { isUniqueViolation, type Tx } from '../db/store.ts';
import { postEntry } from '../ledger/ledger.ts';
import { FormErrors } from '../shared/form.ts';
import { ValidationError } from '../shared/errors.ts';
import { moneyRefusal } from '../ledger/invariants.ts';
import { parseMoney } from '../shared/money.ts';
import { randomToken, sha256 } from '../shared/ids.ts';
import { notifyPayment } from '../mail/notify.ts';
import { mailKept } from '../mail/transport.ts';
import './wallet.messages.ts';

export const SEND_SHAPE = { recipient: null, amount: null, note: null, pin: null } as const;
export const SEND_ORDER = Object.keys(SEND_SHAPE);
const NOTE_MAX = 140;

export interface SendInput {
  recipient: string;
  amount: string;
  note: string;
}

export interface TransferPreview {
  sourceAccountId: string;
  sourceHandle: string;
  balanceMinor: number;
  recipientUserId: string;
  recipientName: string;
  recipientHandle: string;
  recipientAccountId: string;
  amountMinor: number;
  note: string;
}

export interface TransferResult {
  ref: string;
  amountMinor: number;
  recipientName: string;
  recipientHandle: string;
  at: number;
}

/** Adds the error of an amount field, or returns its minor units. */
export function amountOrError(raw: string, errors: FormErrors, path: string[] = ['amount']): number | undefined {
  const parsed = parseMoney(raw.trim());
  if (!parsed.ok) {
    errors.add(path, `money.${parsed.reason}`);
    return undefined;
  }
  if (parsed.minor <= 0) {
    errors.add(path, 'money.must_be_positive');
    return undefined;
  }
  return parsed.minor;
}

/** Everything but the PIN: who receives, how much, from which wallet. Moves nothing. */
export async function previewTransfer(ctx: Ctx, senderId: string, input: SendInput): Promise<TransferPreview> {
  const db = ctx.store.db;
  const errors = new FormErrors();
  const [source] = await walletsOf(db, senderId);
  if (!source) throw ValidationError.global('wallet.no_account');
  const login = input.recipient.trim();
  let recipient: Awaited<ReturnType<typeof findUserByLogin>>;
  let target: Awaited<ReturnType<typeof walletsOf>>[number] | undefined;
  if (!login) errors.add(['recipient'], 'wallet.recipient_required');
  else {
    recipient = await findUserByLogin(db, login);
    if (recipient && (recipient.kind === 'operator' || recipient.status !== 'active')) recipient = undefined;
    if (recipient?.id === senderId) errors.add(['recipient'], 'wallet.self');
    else if (recipient) [target] = await walletsOf(db, recipient.id);
    if (!recipient || (!target && recipient.id !== senderId)) errors.add(['recipient'], 'account.user_not_found');
  }
  const amountMinor = amountOrError(input.amount, errors);
  if (amountMinor !== undefined && amountMinor > Number(source.balance_minor)) errors.add(['amount'], 'ledger.insufficient_funds');
  const note = input.note.trim().replace(/\s+/g, ' ');
  if (note.length > NOTE_MAX) errors.add(['note'], 'common.too_long');
  errors.throwIfAny(SEND_SHAPE);
  return {
    sourceAccountId: source.id, sourceHandle: source.handle, balanceMinor: Number(source.balance_minor),
    recipientUserId: recipient!.id, recipientName: recipient!.business_name ?? recipient!.full_name,
    recipientHandle: target!.handle, recipientAccountId: target!.id, amountMinor: amountMinor!, note,
  };
}

const scopeOf = (senderId: string) => `wallet.send:${senderId}`;

/**
 * A confirmation form is good for one hour: well inside the 48 hours its used nonce is kept,
 * so an old page sent again is refused as expired, never run as new after the nonce is purged.
 */
export const CONFIRMATION_TTL_MS = 60 * 60 * 1000;
const STAMP_LENGTH = 9; // base-36 milliseconds, enough until the year 5138

/** The one-time nonce of a confirmation form: when it was issued, then 24 random bytes. */
export function newConfirmationNonce(nowMs: number): string {
  return nowMs.toString(36).padStart(STAMP_LENGTH, '0') + randomToken(24);
}

function nonceExpired(nonce: string, nowMs: number): boolean {
  const issued = parseInt(nonce.slice(0, STAMP_LENGTH), 36);
  return !Number.isSafeInteger(issued) || issued > nowMs + 60_000 || nowMs - issued > CONFIRMATION_TTL_MS;
}

async function replayed(tx: Tx | Ctx['store']['db'], senderId: string, nonce: string): Promise<TransferResult | undefined> {
  const row = await tx.selectFrom('idempotency_keys').select(['response_body'])
    .where('scope', '=', scopeOf(senderId)).where('key', '=', nonce).executeTakeFirst();
  return row?.response_body ? (JSON.parse(row.response_body) as TransferResult) : undefined;
}

/**
 * Sends money with the operations PIN. The confirmation form's one-time nonce is stored in
 * the same transaction as the entry, so a resubmitted form never moves money twice.
 */
export async function executeTransfer(ctx: Ctx, senderId: string, input: SendInput, pin: string, nonce: string): Promise<TransferResult> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) throw ValidationError.global('wallet.expired');
  const done = await replayed(ctx.store.db, senderId, nonce);
  if (done) return done;
  const p = await previewTransfer(ctx, senderId, input);
  const now = ctx.clock.now();
  if (nonceExpired(nonce, now)) throw ValidationError.global('wallet.expired');
  const pinCheck = await checkPin(ctx.store.autocommit, senderId, pin, now, { sandbox: isSandbox(ctx) });
  if (!pinCheck.ok) {
    const errors = new FormErrors();
    if (pinCheck.reason === 'locked') errors.add(['pin'], 'account.pin_locked', { minutes: pinCheck.minutes ?? 15 });
    else errors.add(['pin'], 'account.pin_wrong');
    errors.throwIfAny(SEND_SHAPE);
  }
  try {
    return await ctx.store.tx((tx) => moveMoney(tx, senderId, p, nonce, now, mailKept(ctx)));
  } catch (e) {
    const refusal = moneyRefusal(e);
    if (refusal) throw new ValidationError(new FormErrors().add(['amount'], refusal).toTree(SEND_SHAPE));
    // The same confirmation submitted twice at once: the other one moved the money.
    if (isUniqueViolation(e)) {
      const first = await replayed(ctx.store.db, senderId, nonce);
      if (first) return first;
    }
    throw e;
  }
}

async function moveMoney(tx: Tx, senderId: string, p: TransferPreview, nonce: string, now: number, kept: boolean): Promise<TransferResult> {
  const earlier = await replayed(tx, senderId, nonce);
  if (earlier) return earlier;
  const source = await tx.selectFrom('digital_accounts').select('handle').where('id', '=', p.sourceAccountId).executeTakeFirstOrThrow();
  const description = `@${source.handle} → @${p.recipientHandle}${p.note ? `: ${p.note}` : ''}`;
  const entry = await postEntry(tx, {
    kind: 'transfer', description, refPrefix: 'P', nowMs: now,
    postings: [{ accountId: p.sourceAccountId, amountMinor: -p.amountMinor }, { accountId: p.recipientAccountId, amountMinor: p.amountMinor }],
  });
  await notifyPayment(tx, { payerUserId: senderId, payeeUserId: p.recipientUserId, amountMinor: p.amountMinor, ref: entry.ref, nowMs: now, kept });
  const result: TransferResult = {
    ref: entry.ref, amountMinor: p.amountMinor, recipientName: p.recipientName, recipientHandle: p.recipientHandle, at: now,
  };
  await tx.insertInto('idempotency_keys').values({
    scope: scopeOf(senderId), key: nonce, request_hash: sha256(`${p.recipientAccountId}|${p.amountMinor}|${p.note}`),
    state: 'done', status_code: 200, response_body: JSON.stringify(result), response_headers: null, created_at: now,
  }).execute();
  return result;
}
