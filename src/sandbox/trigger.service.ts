import type { Ctx } from '../context.ts';
import { annulIntent } from '../annulment/annulment.service.ts';
import { payRequest, declineRequest } from '../billing/pay-request.service.ts';
import { eventStatus, type EventType } from '../callbacks/events.ts';
import { cancelIntent } from '../checkout/checkout.service.ts';
import type { ApiCaller } from '../oauth/bearer.ts';
import { executeSale } from '../payment-intents/execute-sale.service.ts';
import { openIntent } from '../payment-intents/intent.machine.ts';
import { firstWallet } from '../accounts/accounts.service.ts';
import { createIntent } from '../payment-intents/payment-intent.service.ts';
import { submitBatch, registerItem } from '../payouts/payout.service.ts';
import { MAGIC } from '../test-mode/magic-values.ts';
import { approveWithSandboxTester } from './approval.service.ts';
import { createPayer } from './demo.ts';
import { addTestFunds } from './funds.ts';

// `mpandco trigger <event>`: makes, in the sandbox, the real objects whose change produces
// that event (a sale approved by the test payer and executed, a request paid with a test
// payer's PIN, an instant payout batch...), through the same services as the API. The
// event is then recorded, delivered and listed like any other.

export const TRIGGERABLE: readonly EventType[] = [
  'sale.authorized', 'sale.executed', 'sale.annulled', 'intent.canceled', 'intent.expired',
  'request.paid', 'request.declined', 'payout.batch_settled', 'payout.item_failed',
];

const ACCEPTED_BANK_ACCOUNT = '01340000000000000000';

export interface Triggered {
  type: EventType;
  app: { id: string; client_id: string; name: string };
  /** The object the event is about: an intent, a batch or a payout item's ref. */
  objectId: string;
  /** The events it produced (none when the app records no event of that type). */
  events: { id: string; type: string }[];
  recorded: boolean;
}

/** The app acting for its owner, as its own token would: the same checks and account. */
export async function callerForApp(ctx: Ctx, appId: string): Promise<ApiCaller> {
  const a = await ctx.store.db.selectFrom('apps as a').innerJoin('users as u', 'u.id', 'a.owner_user_id')
    .innerJoin('digital_accounts as r', 'r.id', 'a.receiving_account_id')
    .select([
      'a.id', 'a.client_id', 'a.name', 'a.owner_user_id', 'a.receiving_account_id', 'a.home_url', 'a.billing_enabled',
      'a.button_enabled', 'a.ready', 'a.callback_secret', 'u.username', 'u.kind', 'r.handle',
    ])
    .where('a.id', '=', appId).executeTakeFirstOrThrow();
  return {
    tokenHash: '',
    app: {
      id: a.id, client_id: a.client_id, name: a.name, owner_user_id: a.owner_user_id, receiving_account_id: a.receiving_account_id,
      home_url: a.home_url, billing_enabled: a.billing_enabled, button_enabled: a.button_enabled, ready: a.ready, callback_secret: a.callback_secret,
    },
    user: { id: a.owner_user_id, username: a.username, kind: a.kind },
    receivingAccountId: a.receiving_account_id,
    receivingAccountHandle: a.handle,
  };
}

function intentDoc(caller: ApiCaller, intent: 'sale' | 'request', recipient = '') {
  const base = caller.app.home_url.replace(/\/+$/, '');
  return {
    paymentintent: {
      intent,
      redirectUrls: { returnUrl: `${base}/mpandco/ok`, cancelUrl: `${base}/mpandco/cancel` },
      transactions: [{
        amount: { total: '12.50', currency: 'VES', details: { shipping: '0', tax: '0', subTotal: '12.50' } },
        description: 'Pedido de prueba (mpandco trigger)', invoiceNumber: `TRG${Date.now() % 1_000_000}`,
        items: [{ name: 'Producto de prueba', quantity: '1', price: '12.50', sku: 'TRIGGER' }],
      }],
      recipient,
    },
  };
}

async function executedSale(ctx: Ctx, caller: ApiCaller): Promise<string> {
  const row = await createIntent(ctx, caller, intentDoc(caller, 'sale'));
  const approved = await approveWithSandboxTester(ctx, row.id);
  await executeSale(ctx, caller, { intentId: row.id, payerId: approved.payer_user_id! });
  return row.id;
}

async function request(ctx: Ctx, caller: ApiCaller) {
  const payer = await createPayer(ctx, 1_000_00);
  const row = await createIntent(ctx, caller, intentDoc(caller, 'request', payer.username));
  return { row, payer };
}

async function payout(ctx: Ctx, caller: ApiCaller, bankAccount: string): Promise<string> {
  await ctx.store.tx((tx) => addTestFunds(tx, caller.receivingAccountId, 100_00, ctx.clock.now(), 'Fondos de prueba (mpandco trigger)'));
  const type = 'DISPERSION_INSTANT_INTERBANK';
  const item = (account: string, reference: string) => ({
    multi_payment_item: { reference, nameAccount: 'Proveedor de Prueba', identificationNumber: 'J123456789', bankAccount: account, amount: '10.00' },
  });
  const { ref } = await registerItem(ctx, caller, type, item(bankAccount, 'TRG-1'));
  if (bankAccount !== ACCEPTED_BANK_ACCOUNT) await registerItem(ctx, caller, type, item(ACCEPTED_BANK_ACCOUNT, 'TRG-2'));
  const { batch_id: batchId } = await ctx.store.db.selectFrom('payout_items').select('batch_id').where('ref', '=', ref).executeTakeFirstOrThrow();
  await submitBatch(ctx, caller, batchId);
  return bankAccount === ACCEPTED_BANK_ACCOUNT ? batchId : ref;
}

async function produce(ctx: Ctx, caller: ApiCaller, type: EventType): Promise<string> {
  switch (type) {
    case 'sale.authorized': {
      const row = await createIntent(ctx, caller, intentDoc(caller, 'sale'));
      await approveWithSandboxTester(ctx, row.id);
      return row.id;
    }
    case 'sale.executed': return executedSale(ctx, caller);
    case 'sale.annulled': {
      const id = await executedSale(ctx, caller);
      await annulIntent(ctx, caller, id);
      return id;
    }
    case 'intent.canceled': {
      const row = await createIntent(ctx, caller, intentDoc(caller, 'sale'));
      await cancelIntent(ctx, row.id);
      return row.id;
    }
    case 'intent.expired': {
      // Made as if created one expiry period ago, and opened at its expiry: it expires now.
      const past = ctx.clock.now() - ctx.config.requestExpiryMs - 1000;
      const row = await createIntent({ ...ctx, clock: { now: () => past } }, caller, intentDoc(caller, 'sale'));
      await ctx.store.tx((tx) => openIntent(tx, row.id, Number(row.expires_at)));
      return row.id;
    }
    case 'request.paid': {
      const { row, payer } = await request(ctx, caller);
      const wallet = await firstWallet(ctx.store.db, payer.payer_id);
      await payRequest(ctx, row, { accountId: wallet!.id, pin: payer.pin });
      return row.id;
    }
    case 'request.declined': {
      const { row, payer } = await request(ctx, caller);
      await declineRequest(ctx, payer.payer_id, row.id);
      return row.id;
    }
    case 'payout.batch_settled': return payout(ctx, caller, ACCEPTED_BANK_ACCOUNT);
    case 'payout.item_failed': return payout(ctx, caller, MAGIC.rejectedBankAccount);
  }
}

/** Produces `type` for the app; sandbox only. */
export async function trigger(ctx: Ctx, appId: string, type: EventType): Promise<Triggered> {
  if (ctx.env !== 'sandbox') throw new Error('mpandco trigger works only in the sandbox');
  const caller = await callerForApp(ctx, appId);
  const sub = await ctx.store.db.selectFrom('apps').select(['webhook_url', 'webhook_events', 'events_listen_until'])
    .where('id', '=', appId).executeTakeFirstOrThrow();
  const recorded = eventStatus(sub, type, ctx.clock.now()) !== undefined;
  const since = await ctx.store.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).where('app_id', '=', appId).executeTakeFirst();
  const objectId = await produce(ctx, caller, type);
  const events = await ctx.store.db.selectFrom('events').select(['id', 'type'])
    .where('app_id', '=', appId).where('seq', '>', Number(since?.seq ?? 0)).orderBy('seq').execute();
  return { type, app: { id: caller.app.id, client_id: caller.app.client_id, name: caller.app.name }, objectId, events, recorded };
}
