import type { Ctx } from '../context.ts';
import { DomainError } from '../shared/errors.ts';
import { MINUTE_MS } from '../shared/clock.ts';
import { randomToken, sha256 } from '../shared/ids.ts';
import { isAbsoluteHttpUrl, text, type Doc } from '../shared/input.ts';
import { API_SCOPE } from './oauth.model.ts';
import { findClient, insertCode, type ClientRow } from './oauth.repository.ts';
import './oauth.messages.ts';

// The authorization endpoint is ours rather than the library's AuthorizeHandler: that handler
// cannot validate a request without issuing a code (the consent page must show first), treats
// PKCE as optional (we require S256) and dates codes by the wall clock instead of ctx.clock.
// The code it leads to is still redeemed by the library's authorization_code grant.

export const CODE_TTL_MS = 10 * MINUTE_MS;

export interface AuthorizationRequest {
  client: ClientRow;
  redirectUri: string;
  state?: string;
  codeChallenge: string;
  scope: string;
}

export type AuthorizationCheck = { ok: true; req: AuthorizationRequest } | { ok: false; location: string };

/** Appends parameters to a registered redirect URI, keeping its own query. */
export function redirectWith(uri: string, params: Record<string, string | undefined>): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.append(k, v);
  return u.toString();
}

function registeredUris(client: ClientRow): string[] {
  try {
    const list: unknown = JSON.parse(client.redirect_uris);
    return Array.isArray(list) ? list.filter((u): u is string => typeof u === 'string') : [];
  } catch {
    return [];
  }
}

const STATE_RE = /^[\x20-\x7e]{1,500}$/;
const S256_CHALLENGE_RE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Checks an authorization request (query of GET, body of POST). An unknown client or a redirect
 * URI that is not registered exactly is shown to the person and never redirected to
 * (RFC 6749 section 4.1.2.1); any other problem goes back to the client as an error redirect.
 */
export async function checkAuthorization(ctx: Ctx, params: Doc): Promise<AuthorizationCheck> {
  const clientId = text(params.client_id);
  const client = clientId && clientId.length <= 200 ? await findClient(ctx.store.db, clientId) : undefined;
  if (!client || client.status !== 'active' || client.owner_status !== 'active') {
    throw new DomainError(400, { key: 'oauth.consent.invalid_client' });
  }
  const redirectUri = typeof params.redirect_uri === 'string' ? params.redirect_uri : undefined;
  if (!redirectUri || !registeredUris(client).includes(redirectUri) || !isAbsoluteHttpUrl(redirectUri)) {
    throw new DomainError(400, { key: 'oauth.consent.invalid_redirect' });
  }
  const rawState = typeof params.state === 'string' && params.state !== '' ? params.state : undefined;
  const state = rawState !== undefined && STATE_RE.test(rawState) ? rawState : undefined;
  const back = (error: string): AuthorizationCheck => ({ ok: false, location: redirectWith(redirectUri, { error, state }) });
  if (rawState !== undefined && state === undefined) return back('invalid_request');
  const responseType = text(params.response_type);
  if (!responseType) return back('invalid_request');
  if (responseType !== 'code') return back('unsupported_response_type');
  const challenge = text(params.code_challenge);
  if (text(params.code_challenge_method) !== 'S256' || !challenge || !S256_CHALLENGE_RE.test(challenge)) {
    return back('invalid_request');
  }
  const scope = text(params.scope) ?? API_SCOPE;
  if (scope !== API_SCOPE) return back('invalid_scope');
  return { ok: true, req: { client, redirectUri, state, codeChallenge: challenge, scope } };
}

/** The person approved: a single-use code, stored as a hash, valid for ten minutes. */
export async function approveAuthorization(ctx: Ctx, req: AuthorizationRequest, userId: string): Promise<string> {
  const code = randomToken(32);
  const now = ctx.clock.now();
  await insertCode(ctx.store.autocommit, {
    code_hash: sha256(code), app_id: req.client.id, user_id: userId, redirect_uri: req.redirectUri, scope: req.scope,
    code_challenge: req.codeChallenge, code_challenge_method: 'S256', expires_at: now + CODE_TTL_MS, used_at: null, revoked_at: null, created_at: now,
  });
  return redirectWith(req.redirectUri, { code, state: req.state });
}

export function denyAuthorization(req: AuthorizationRequest): string {
  return redirectWith(req.redirectUri, { error: 'access_denied', state: req.state });
}

/** The GET URL of the same authorization request, to come back to after signing in. */
export function authorizationUrl(req: AuthorizationRequest): string {
  const q = new URLSearchParams({
    response_type: 'code', client_id: req.client.client_id, redirect_uri: req.redirectUri,
    code_challenge: req.codeChallenge, code_challenge_method: 'S256', scope: req.scope,
  });
  if (req.state) q.set('state', req.state);
  return `/oauth/v2/auth?${q.toString()}`;
}
