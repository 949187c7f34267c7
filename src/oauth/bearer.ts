import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { ForbiddenError, UnauthorizedError, UnavailableError } from '../shared/errors.ts';
import { sha256 } from '../shared/ids.ts';
import { defineMessages } from '../shared/i18n.ts';
import { prepared } from '../db/prepared.ts';
import { CheckCache } from './check-cache.ts';
import { firstWallet } from '../accounts/accounts.service.ts';

export const bearerMsg = defineMessages({
  'oauth.token_missing': {
    es: 'Se requiere un token de acceso (Authorization: Bearer).',
    en: 'An access token is required (Authorization: Bearer).',
  },
  'oauth.token_expired': { es: 'El token de acceso ha expirado.', en: 'The access token has expired.' },
  'oauth.token_invalid': { es: 'El token de acceso no es válido.', en: 'The access token is not valid.' },
  'oauth.app_suspended': {
    es: 'La aplicación está suspendida: {reason}',
    en: 'The application is suspended: {reason}',
  },
  'oauth.app_revoked': { es: 'La aplicación fue revocada: {reason}', en: 'The application was revoked: {reason}' },
  'oauth.app_not_enabled': {
    es: 'La aplicación aún no está habilitada en este ambiente. Solicite la activación.',
    en: 'The application is not enabled in this environment yet. Request its activation.',
  },
  'oauth.billing_not_granted': {
    es: 'La aplicación no tiene habilitado el API de facturación.',
    en: 'The application does not have the billing API enabled.',
  },
  'oauth.button_not_granted': {
    es: 'La aplicación no tiene habilitado el botón de pago.',
    en: 'The application does not have the payment button enabled.',
  },
});

// Every API call runs this lookup: prepared once, so a call pays only for SQLite's work.
const tokenLookup = prepared((db, tokenHash: string) => db.selectFrom('oauth_tokens as t')
  .innerJoin('apps as a', 'a.id', 't.app_id')
  .innerJoin('users as u', 'u.id', 't.user_id')
  .leftJoin('digital_accounts as r', 'r.id', 'a.receiving_account_id')
  .select([
    't.expires_at', 't.revoked_at', 't.kind', 't.secret_version as token_secret_version',
    'a.id as app_id', 'a.client_id', 'a.name', 'a.owner_user_id', 'a.receiving_account_id', 'a.home_url',
    'a.billing_enabled', 'a.button_enabled', 'a.ready', 'a.status', 'a.status_reason', 'a.secret_version',
    'a.callback_secret', 'u.id as user_id', 'u.username', 'u.kind as user_kind', 'u.status as user_status',
    'r.handle as receiving_handle',
  ])
  .where('t.token_hash', '=', tokenHash));

export interface ApiCaller {
  tokenHash: string;
  app: {
    id: string; client_id: string; name: string; owner_user_id: string; receiving_account_id: string;
    home_url: string; billing_enabled: number; button_enabled: number; ready: number; callback_secret: string;
  };
  user: { id: string; username: string; kind: string };
  /**
   * Where this caller's money lands and payouts leave from: the app's receiving account when
   * the app acts for its owner; the account's own first wallet when a third-party app acts for
   * another account (authorization-code grant), so that one account's funds never move through
   * another's wallet.
   */
  receivingAccountId: string;
  /** That account's handle (handles never change), so a new intent names it without a read. */
  receivingAccountHandle: string;
}

/** Idempotency-Keys belong to one app acting for one account. */
export const idempotencyScope = (caller: ApiCaller): string => `${caller.app.id}:${caller.user.id}`;

export type Permission = 'button' | 'billing';

/** The access token a call presents: its Authorization header, else its `access_token` query parameter. */
export function tokenOf(authorization: string | undefined, query: unknown): string | undefined {
  if (authorization) {
    // The documentation's profile page writes `Authorization: token <t>`: same meaning.
    const m = /^(?:Bearer|token)\s+([\x21-\x7e]{1,512})$/i.exec(authorization.trim());
    return m ? m[1] : undefined;
  }
  const q = (query as Record<string, unknown> | undefined)?.access_token;
  return typeof q === 'string' && q.length <= 512 ? q : undefined;
}

const extractToken = (request: FastifyRequest): string | undefined => tokenOf(request.headers.authorization, request.query);

/** What a successful check found: the caller, and what each call still checks. */
interface Checked {
  caller: ApiCaller;
  tokenExpiresAt: number;
  billing: boolean;
  button: boolean;
}

/** At most this many tokens per environment and process; the oldest check is dropped first. */
export const AUTH_CACHE_MAX_ENTRIES = 10_000;
const checks = new CheckCache<Checked>(AUTH_CACHE_MAX_ENTRIES);

/**
 * 401 means exactly "get a new token" (missing or expired); an unknown or revoked token,
 * a suspended app or a missing permission is 403; a production app not yet activated, 503.
 *
 * A successful check is kept in this process for ctx.config.authCacheMs (MPANDCO_AUTH_CACHE_MS,
 * 2 s by default, 0 turns it off), so most calls skip the look-up: a revoked token, a
 * suspended or revoked app, a rotated client secret or a disabled user stops working on every
 * node within that bound. The token's own expiry is checked on every call, cached or not.
 */
export async function authenticateApi(ctx: Ctx, request: FastifyRequest, permission?: Permission): Promise<ApiCaller> {
  const token = extractToken(request);
  if (!token) throw new UnauthorizedError('oauth.token_missing');
  const tokenHash = sha256(token);
  const now = ctx.clock.now();
  let checked = checks.get(ctx, tokenHash, now);
  if (!checked) {
    checked = await lookUp(ctx, tokenHash, now);
    checks.set(ctx, tokenHash, checked, now);
  }
  if (checked.tokenExpiresAt <= now) throw new UnauthorizedError('oauth.token_expired');
  if (permission === 'billing' && !checked.billing) throw new ForbiddenError('oauth.billing_not_granted');
  if (permission === 'button' && !checked.button) throw new ForbiddenError('oauth.button_not_granted');
  return checked.caller;
}

/** The store's answer for a token: a caller, or the refusal (nothing refused is cached). */
async function lookUp(ctx: Ctx, tokenHash: string, now: number): Promise<Checked> {
  const [row] = await tokenLookup(ctx.store.db, tokenHash);
  if (!row || row.kind !== 'access') throw new ForbiddenError('oauth.token_invalid');
  if (row.revoked_at !== null || row.token_secret_version !== row.secret_version || row.user_status !== 'active') {
    throw new ForbiddenError('oauth.token_invalid');
  }
  if (row.status === 'suspended') throw new ForbiddenError('oauth.app_suspended', { reason: row.status_reason ?? '' });
  if (row.status === 'revoked') throw new ForbiddenError('oauth.app_revoked', { reason: row.status_reason ?? '' });
  if (row.expires_at <= now) throw new UnauthorizedError('oauth.token_expired');
  if (!row.ready) throw new UnavailableError('oauth.app_not_enabled');
  const caller: ApiCaller = {
    tokenHash,
    app: {
      id: row.app_id, client_id: row.client_id, name: row.name, owner_user_id: row.owner_user_id,
      receiving_account_id: row.receiving_account_id, home_url: row.home_url, billing_enabled: row.billing_enabled,
      button_enabled: row.button_enabled, ready: row.ready, callback_secret: row.callback_secret,
    },
    user: { id: row.user_id, username: row.username, kind: row.user_kind },
    ...(row.user_id === row.owner_user_id
      ? { receivingAccountId: row.receiving_account_id, receivingAccountHandle: row.receiving_handle ?? '' }
      : await delegatedReceiving(ctx, row.user_id)),
  };
  return { caller, tokenExpiresAt: Number(row.expires_at), billing: !!row.billing_enabled, button: !!row.button_enabled };
}

async function delegatedReceiving(ctx: Ctx, userId: string): Promise<Pick<ApiCaller, 'receivingAccountId' | 'receivingAccountHandle'>> {
  const w = await firstWallet(ctx.store.db, userId);
  return { receivingAccountId: w?.id ?? '', receivingAccountHandle: w?.handle ?? '' };
}
