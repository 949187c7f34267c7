import type { FastifyRequest } from 'fastify';
import { randomInt } from 'node:crypto';
import type { Ctx } from '../../src/context.ts';
import { checkNewUser, insertUser } from '../../src/accounts/accounts.service.ts';
import { insertApp } from '../../src/apps/apps.service.ts';
import { createOperator } from '../../src/backoffice/operators.service.ts';
import { consumeCode, issueCodes } from '../../src/onboarding/codes.service.ts';
import { authenticateApi, type Permission } from '../../src/oauth/bearer.ts';
import { issueTokens } from '../../src/oauth/tokens.ts';
import { DomainError } from '../../src/shared/errors.ts';

export const OP_PASSWORD = 'Operador2026';

export async function makeOperator(ctx: Ctx, username = 'ops.ana'): Promise<{ id: string; username: string; password: string }> {
  const op = await createOperator(ctx, { username, password: OP_PASSWORD, fullName: 'Ana Operadora' });
  return { ...op, password: OP_PASSWORD };
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

export interface Business {
  userId: string;
  username: string;
  password: string;
  code: string;
  accountId: string;
  handle: string;
}

/** A production business registered the way production allows: with a code an operator issued. */
export async function productionBusiness(ctx: Ctx, operatorId: string, name = `tienda${digits(5)}`): Promise<Business> {
  const password = 'Comercio2026';
  const now = ctx.clock.now();
  const [code] = await ctx.store.tx((tx) => issueCodes(tx, 'commercial', 1, operatorId, now));
  const checked = await checkNewUser({
    kind: 'business', username: name, password, pin: '1234', fullName: 'Rep Legal', businessName: `${name} C.A.`,
    document: `J${digits(9)}`, phone: `58424${digits(7)}`, email: `${name}@example.com`, affiliationCode: code,
  });
  return ctx.store.tx(async (tx) => {
    const { user, accountId } = await insertUser(tx, checked, now);
    const used = await consumeCode(tx, code, 'commercial', user.id, now, true);
    if (!used.ok) throw new Error(used.key);
    return { userId: user.id, username: name, password, code, accountId, handle: checked.handle };
  });
}

export async function productionApp(ctx: Ctx, b: Business, homeUrl = 'https://shop.example.com') {
  return ctx.store.tx((tx) => insertApp(tx, {
    ownerUserId: b.userId, name: `App de ${b.username}`, description: 'Tienda en línea', homeUrl,
    receivingAccountId: b.accountId, sandbox: ctx.env === 'sandbox',
  }, ctx.clock.now()));
}

export async function accessToken(ctx: Ctx, appId: string, userId: string): Promise<string> {
  const pair = await issueTokens(ctx.store.autocommit, {
    appId, userId, secretVersion: 1, nowMs: ctx.clock.now(), accessTtlSec: 3600, refreshIdleSec: 86400,
  });
  return pair.access_token;
}

/** What the API would answer before reaching a handler: 200, or the bearer check's status. */
export async function apiStatus(ctx: Ctx, token: string, permission?: Permission): Promise<number> {
  const request = { headers: { authorization: `Bearer ${token}` }, query: {} } as unknown as FastifyRequest;
  try {
    await authenticateApi(ctx, request, permission);
    return 200;
  } catch (e) {
    if (e instanceof DomainError) return e.status;
    throw e;
  }
}

export async function auditActions(ctx: Ctx): Promise<{ action: string; operator_id: string; target_id: string; reason: string | null }[]> {
  return ctx.store.db.selectFrom('audit_log').select(['action', 'operator_id', 'target_id', 'reason']).orderBy('id').execute();
}
