import { expect } from 'vitest';
import type { Ctx } from '../../src/context.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { SYSTEM } from '../../src/ledger/system-accounts.ts';
import { createPayer, type PayerCreds } from '../../src/sandbox/demo.ts';
import { confirmTopup, decideTopup, declareTopup } from '../../src/topups/topups.service.ts';
import { todayInCaracas } from '../../src/topups/topup.form.ts';
import type { WebClient as BoClient } from '../backoffice/web-client.ts';

export const person = (ctx: Ctx, fullName?: string): Promise<PayerCreds> => createPayer(ctx, 0, fullName ? { fullName } : undefined);

let nextRef = 4_000_000 + Math.floor(Math.random() * 1_000_000);
export const freshReference = () => String(nextRef++);

export async function declare(ctx: Ctx, userId: string, o: { reference?: string; amount: string; bank?: string }): Promise<string> {
  return declareTopup(ctx, userId, {
    method: 'transfer', bank: o.bank ?? '0102', reference: o.reference ?? freshReference(), amount: o.amount, paidOn: todayInCaracas(ctx.clock.now()),
  }, undefined);
}

/** Money into a production wallet the only way production has: a declared, confirmed top-up. */
export async function fund(ctx: Ctx, operatorId: string, userId: string, amount: string): Promise<string> {
  const id = await declare(ctx, userId, { amount });
  await decideTopup(ctx, (tx) => confirmTopup(tx, { operatorId, via: 'web' }, id, ctx.clock.now()));
  return id;
}

export async function balance(ctx: Ctx, handle: string): Promise<number> {
  const r = await ctx.store.db.selectFrom('digital_accounts').select('balance_minor').where('handle', '=', handle).executeTakeFirstOrThrow();
  return Number(r.balance_minor);
}

export const bank = (ctx: Ctx) => balance(ctx, SYSTEM.settlement);

/** ledger verify, which must find nothing wrong. */
export async function verifiedOk(ctx: Ctx) {
  const report = await verifyLedger(ctx.store.db);
  expect(report.violations).toEqual([]);
  return report;
}

/** A multipart form posted with the back-office client's cookies and CSRF token (a file upload). */
export async function postFile(web: BoClient, path: string, field: string, name: string, content: Buffer | string, type = 'text/csv') {
  const form = new FormData();
  form.append('_csrf', web.csrf);
  form.append(field, new Blob([typeof content === "string" ? content : new Uint8Array(content)], { type }), name);
  const res = await fetch(web.baseUrl + path, {
    method: 'POST', body: form, redirect: 'manual',
    headers: { cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'text/html' },
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}
