import { formatMinor } from '../shared/money.ts';
import { randomInt } from 'node:crypto';
import type { Ctx } from '../context.ts';
import { checkNewUser, insertUser } from '../accounts/accounts.service.ts';
import { insertApp } from '../apps/apps.service.ts';
import { ValidationError } from '../shared/errors.ts';
import { randomCode } from '../shared/ids.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { MAGIC } from '../test-mode/magic-values.ts';
import { recordTestPayer } from '../test-mode/test-payers.ts';
import { addTestFunds } from './funds.ts';

export interface MerchantCreds {
  username: string;
  password: string;
  pin: string;
  user_id: string;
  digital_account: string;
  client_id: string;
  client_secret: string;
  app_id: string;
}

export interface PayerCreds {
  username: string;
  password: string;
  pin: string;
  phone: string;
  document: string;
  payer_id: string;
  digital_account: string;
  balance: string;
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/** A random PIN, never the sandbox's magic always-wrong one. */
export function randomPin(): string {
  for (;;) {
    const pin = digits(4);
    if (pin !== MAGIC.wrongPin) return pin;
  }
}

async function withRetries<T>(fn: () => Promise<T>): Promise<T> {
  // Random usernames, documents and phones can collide; try again with new ones.
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof ValidationError) || i >= 5) throw e;
    }
  }
}

export async function createMerchant(ctx: Ctx, fixed?: Partial<MerchantCreds> & { businessName?: string; appName?: string; homeUrl?: string }): Promise<MerchantCreds> {
  return withRetries(async () => {
    const suffix = randomCode(6, 'abcdefghijkmnopqrstuvwxyz23456789');
    const username = fixed?.username ?? `comercio_${suffix}`;
    const password = fixed?.password ?? `Sbx-${randomCode(10)}9`;
    const pin = fixed?.pin ?? randomPin();
    const checked = await checkNewUser({
      kind: 'business', username, password, pin,
      fullName: 'Representante Legal', businessName: fixed?.businessName ?? `Comercio ${suffix.toUpperCase()}, C.A.`,
      document: `J${digits(9)}`, phone: `58412${digits(7)}`, email: `${username}@example.com`,
    });
    const now = ctx.clock.now();
    return ctx.store.tx(async (tx) => {
      const { user, accountId } = await insertUser(tx, checked, now);
      const { app, clientSecret } = await insertApp(tx, {
        ownerUserId: user.id, name: fixed?.appName ?? `Tienda ${suffix}`, description: 'Aplicación de prueba',
        homeUrl: fixed?.homeUrl ?? 'http://localhost:3000', receivingAccountId: accountId, sandbox: ctx.env === 'sandbox',
      }, now);
      return {
        username, password, pin, user_id: user.id, digital_account: checked.handle,
        client_id: app.client_id, client_secret: clientSecret, app_id: app.id,
      };
    });
  });
}

/**
 * A sandbox person with test money (production: without). With `testPayerOf`, a business's
 * own test payer: funded from that business's test funding and listed, credentials included,
 * on its sandbox pages.
 */
export async function createPayer(
  ctx: Ctx, balanceMinor: number, fixed?: Partial<PayerCreds> & { fullName?: string; testPayerOf?: string },
): Promise<PayerCreds> {
  if (ctx.env !== 'sandbox' && balanceMinor > 0) throw new Error('test funds exist only in the sandbox');
  return withRetries(async () => {
    const suffix = randomCode(6, 'abcdefghijkmnopqrstuvwxyz23456789');
    const username = fixed?.username ?? `pagador_${suffix}`;
    const password = fixed?.password ?? `Sbx-${randomCode(10)}9`;
    const pin = fixed?.pin ?? randomPin();
    const phone = fixed?.phone ?? `58414${digits(7)}`;
    const document = fixed?.document ?? `V${digits(8)}`;
    const checked = await checkNewUser({
      kind: 'personal', username, password, pin, phone, document,
      fullName: fixed?.fullName ?? `Cliente ${suffix.toUpperCase()}`, email: `${username}@example.com`,
    });
    const now = ctx.clock.now();
    return ctx.store.tx(async (tx) => {
      const { user, accountId } = await insertUser(tx, checked, now);
      if (balanceMinor > 0) await addTestFunds(tx, accountId, balanceMinor, now, undefined, fixed?.testPayerOf);
      if (fixed?.testPayerOf) {
        await recordTestPayer(tx, { userId: user.id, ownerUserId: fixed.testPayerOf, password, pin, nowMs: now });
        await writeAudit(tx, { operatorId: fixed.testPayerOf, via: 'merchant' }, { action: 'sandbox.test_payer', targetType: 'user', targetId: user.id }, now);
      }
      return {
        username, password, pin, phone, document, payer_id: user.id, digital_account: checked.handle,
        balance: formatMinor(balanceMinor),
      };
    });
  });
}
