import type { Ctx } from '../context.ts';
import type { Locale } from '../shared/i18n.ts';
import { findUserByLogin, firstWallet } from '../accounts/accounts.service.ts';
import type { ApiCaller } from '../oauth/bearer.ts';
import { ForbiddenError, NotFoundError } from '../shared/errors.ts';
import { FormErrors } from '../shared/form.ts';
import { newId } from '../shared/ids.ts';
import { CURRENCY } from '../shared/money.ts';
import { parseIntentForm, type ParsedIntent } from './payment-intent.form.ts';
import { paginate, type PageRequest } from '../http/paginator.ts';
import { serializeIntents } from './payment-intent.serializer.ts';
import {
  countIntents, distributionAccounts, findIntentWithClock, listIntents, insertIntent, ownWalletByHandle, type IntentRow,
} from './payment-intent.repository.ts';
import type { StoredTransaction } from './payment-intent.types.ts';
import { mailUser } from '../mail/outbox.ts';
import { merchantNow } from '../test-mode/test-clock.ts';

type Account = { id: string; handle: string };

/** The caller's app must hold the permission the intent needs: sale = payment button, request = billing API. */
function checkPermission(caller: ApiCaller, intent: ParsedIntent['intent']): void {
  if (intent === 'sale' && !caller.app.button_enabled) throw new ForbiddenError('oauth.button_not_granted');
  if (intent === 'request' && !caller.app.billing_enabled) throw new ForbiddenError('oauth.billing_not_granted');
}

async function resolveDestinations(ctx: Ctx, caller: ApiCaller, parsed: ParsedIntent, errors: FormErrors): Promise<Account[]> {
  // The caller carries its receiving account's id and handle: the usual intent reads nothing here.
  const fallback = { id: caller.receivingAccountId, handle: caller.receivingAccountHandle };
  return Promise.all(parsed.transactions.map(async (t, i) => {
    if (!t.destinationHandle) return fallback;
    const own = await ownWalletByHandle(ctx.store.db, caller.user.id, t.destinationHandle);
    if (!own) errors.add(['transactions', i, 'digitalAccountDestination'], 'intent.destination_not_own');
    return own ?? { id: '', handle: '' };
  }));
}

/** Distribution accounts by handle; unknown ones are field errors, unauthorized ones a 403. */
async function resolveDistributions(ctx: Ctx, caller: ApiCaller, parsed: ParsedIntent, errors: FormErrors) {
  const handles = [...new Set(parsed.transactions.flatMap((t) => t.distributions.map((d) => d.handle)))];
  const rows = await distributionAccounts(ctx.store.db, caller.app.id, handles);
  const byHandle = new Map(rows.map((r) => [r.handle, r]));
  let forbidden: string | undefined;
  parsed.transactions.forEach((t, i) => t.distributions.forEach((d, j) => {
    const row = byHandle.get(d.handle);
    if (!row) errors.add(['transactions', i, 'distributions', j, 'digitalAccountDestination'], 'intent.distribution_account_unknown');
    else if (row.status !== 'authorized') forbidden ??= d.handle;
  }));
  if (forbidden) throw new ForbiddenError('intent.distribution_not_authorized', { handle: forbidden });
  return byHandle;
}

async function resolveRecipient(ctx: Ctx, caller: ApiCaller, parsed: ParsedIntent, errors: FormErrors): Promise<string | null> {
  if (parsed.intent !== 'request' || !parsed.recipient) return null;
  const user = await findUserByLogin(ctx.store.db, parsed.recipient);
  if (!user || user.kind === 'operator' || user.status !== 'active') {
    errors.add(['recipient'], 'intent.recipient_not_found');
    return null;
  }
  if (user.id === caller.user.id) {
    errors.add(['recipient'], 'intent.recipient_is_merchant');
    return null;
  }
  if (!(await firstWallet(ctx.store.db, user.id))) errors.add(['recipient'], 'intent.payer_no_wallet');
  return user.id;
}

function storedTransactions(parsed: ParsedIntent, destinations: Account[], dist: Map<string, { id: string }>): StoredTransaction[] {
  return parsed.transactions.map((t, i) => ({
    id: newId(),
    totalMinor: t.totalMinor,
    currency: t.currency,
    shippingMinor: t.shippingMinor,
    taxMinor: t.taxMinor,
    subTotalMinor: t.subTotalMinor,
    description: t.description,
    invoiceNumber: t.invoiceNumber,
    destinationAccountId: destinations[i].id,
    destinationHandle: destinations[i].handle,
    items: t.items.map((x) => ({ name: x.name, quantity: x.quantity, priceMinor: x.priceMinor, sku: x.sku, currency: x.currency })),
    distributions: t.distributions.map((d) => ({
      accountId: dist.get(d.handle)!.id, handle: d.handle, amountMinor: d.amountMinor, description: d.description,
    })),
  }));
}

/**
 * Validates the whole create document and stores the intent in state `created`.
 * A request names its payer at once (payer = recipient); a sale learns it at approval.
 */
export async function createIntent(ctx: Ctx, caller: ApiCaller, body: unknown): Promise<IntentRow> {
  const errors = new FormErrors();
  const { parsed, shape } = parseIntentForm(body, errors, { production: ctx.env === 'production', homeUrl: caller.app.home_url });
  checkPermission(caller, parsed.intent);
  errors.throwIfAny(shape);
  const dist = await resolveDistributions(ctx, caller, parsed, errors);
  const destinations = await resolveDestinations(ctx, caller, parsed, errors);
  const recipientId = await resolveRecipient(ctx, caller, parsed, errors);
  errors.throwIfAny(shape);
  const txns = storedTransactions(parsed, destinations, dist);
  // The intent lives in its merchant's time (a sandbox test clock may run ahead); the e-mail leaves now.
  const now = await merchantNow(ctx, caller.user.id);
  const row: IntentRow = {
    id: newId(),
    app_id: caller.app.id,
    owner_user_id: caller.user.id,
    intent: parsed.intent!,
    state: 'created',
    payer_user_id: recipientId,
    recipient_user_id: recipientId,
    return_url: parsed.returnUrl,
    cancel_url: parsed.cancelUrl,
    currency: CURRENCY,
    total_minor: txns.reduce((s, t) => s + t.totalMinor, 0),
    items_minor: txns.reduce((s, t) => s + t.subTotalMinor, 0),
    shipping_minor: txns.reduce((s, t) => s + t.shippingMinor, 0),
    tax_minor: txns.reduce((s, t) => s + t.taxMinor, 0),
    transactions_json: JSON.stringify(txns),
    created_at: now,
    authorized_at: null,
    executed_at: null,
    annulled_at: null,
    canceled_at: null,
    expires_at: now + ctx.config.requestExpiryMs,
  };
  // Through store.tx so that concurrent creations share one durable commit (SQLite group commit).
  await ctx.store.tx(async (tx) => {
    await insertIntent(tx, row);
    if (row.intent === 'request' && recipientId) {
      await mailUser(tx, recipientId, 'payment_request', {
        merchant: caller.app.name, amountMinor: row.total_minor, description: txns[0]?.description ?? '', url: `${ctx.config.publicUrl}/wallet/requests/${row.id}`,
      }, ctx.clock.now());
    }
  });
  return row;
}

/** One intent of the calling account; another account's intent is as unknown as a missing one. */
export async function getOwnIntent(ctx: Ctx, caller: ApiCaller, id: string | undefined): Promise<{ row: IntentRow; nowMs: number }> {
  // Read together with the owner's test clock: the merchant time the answer is given at.
  const found = id ? await findIntentWithClock(ctx.store.db, id, ctx.env === 'sandbox') : undefined;
  if (!found || found.row.owner_user_id !== caller.user.id) throw new NotFoundError('intent.not_found');
  return { row: found.row, nowMs: ctx.clock.now() + found.offsetMs };
}

/** The calling account's intents, newest first, as the API's Paginator. */
export async function listOwnIntents(ctx: Ctx, caller: ApiCaller, page: PageRequest, locale: Locale) {
  const db = ctx.store.db;
  const [total, rows] = await Promise.all([
    countIntents(db, caller.user.id),
    listIntents(db, caller.user.id, page.offset, page.maxPerPage),
  ]);
  const data = await serializeIntents(ctx, db, rows, locale);
  return paginate(`${ctx.config.publicUrl}/api/payment-intent/.json`, page, total, data);
}
