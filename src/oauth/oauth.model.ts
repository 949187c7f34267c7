import OAuth2Server from '@node-oauth/oauth2-server';
import type { Ctx } from '../context.ts';
import { randomToken, safeEqual, sha256 } from '../shared/ids.ts';
import { AUTH_CACHE_MAX_ENTRIES } from './bearer.ts';
import { CheckCache } from './check-cache.ts';
import { issueTokens, revokeFamily } from './tokens.ts';
import { findClient, findCode, findToken, grantSourceRevoked, lockPerson, markCodeUsed, markRefreshUsed } from './oauth.repository.ts';
import './oauth.messages.ts';

const { InvalidClientError, InvalidGrantError } = OAuth2Server;

export const CLIENT_APPS_GRANT = 'urn:client_apps';
export const SUPPORTED_GRANTS = [CLIENT_APPS_GRANT, 'refresh_token', 'authorization_code'] as const;
export const API_SCOPE = 'API';

/** What the library calls a client: one of our apps. */
export interface OAuthClient extends OAuth2Server.Client {
  id: string;
  grants: string[];
  secretVersion: number;
  ownerUserId: string;
}

/** What the library calls a user: the account the token acts for, and the token family it continues. */
export interface Grantee extends OAuth2Server.User {
  id: string;
  familyId?: string;
  /** The code or refresh token this exchange started from (hashes), checked again when its tokens are saved. */
  codeHash?: string;
  refreshHash?: string;
}

/**
 * The clock of record is ctx.clock (tests move it). The library compares expiry dates with the
 * wall clock, so it is handed the same remaining lifetime measured from the wall clock; the
 * authoritative check against ctx.clock is done here first.
 */
function wallDate(ctx: Ctx, atMs: number): Date {
  return new Date(Date.now() + (atMs - ctx.clock.now()));
}

/** What the token endpoint keeps of an active client of an active owner. */
interface ActiveClient {
  id: string;
  secretHash: string;
  secretVersion: number;
  ownerUserId: string;
}

/**
 * Clients found active, kept for the bearer check's bound (MPANDCO_AUTH_CACHE_MS): a
 * suspended or revoked app, a disabled owner or a rotated secret stops getting tokens on
 * every node within it (and a token issued meanwhile with the old secret's version stops
 * working within it too). Kept only after a request that gave the right secret; the secret
 * is compared on every request.
 */
const activeClients = new CheckCache<ActiveClient>(AUTH_CACHE_MAX_ENTRIES);

async function getClient(ctx: Ctx, clientId: string, clientSecret: string | undefined): Promise<OAuthClient | null> {
  // Every app is a confidential client with a high-entropy secret: sha256 suffices (no scrypt on this hot path).
  if (!clientSecret || clientId.length > 200 || clientSecret.length > 200) return null;
  const now = ctx.clock.now();
  const secretHash = sha256(clientSecret);
  let client = activeClients.get(ctx, clientId, now);
  // Any other secret is looked up: a secret rotated a moment ago works at once.
  if (!client || !safeEqual(secretHash, client.secretHash)) {
    const row = await findClient(ctx.store.db, clientId);
    // The secret first: without it, nothing about the client is told.
    if (!row || !safeEqual(secretHash, row.secret_hash)) return null;
    if (row.status === 'suspended') throw new InvalidClientError('oauth.token.client_suspended');
    if (row.status === 'revoked') throw new InvalidClientError('oauth.token.client_revoked');
    if (row.owner_status !== 'active') return null;
    client = { id: row.id, secretHash: row.secret_hash, secretVersion: row.secret_version, ownerUserId: row.owner_user_id };
    activeClients.set(ctx, clientId, client, now);
  }
  return { id: client.id, grants: [...SUPPORTED_GRANTS], secretVersion: client.secretVersion, ownerUserId: client.ownerUserId };
}

async function getRefreshToken(ctx: Ctx, refreshToken: string) {
  const now = ctx.clock.now();
  const row = await findToken(ctx.store.db, sha256(refreshToken));
  if (!row || row.kind !== 'refresh') return null;
  if (row.revoked_at !== null) throw new InvalidGrantError('oauth.token.refresh_invalid');
  if (row.used_at !== null) {
    // A rotated token came back: someone holds a copy. End the whole family (RFC 9700 section 4.14.2).
    await revokeFamily(ctx.store.autocommit, row.family_id, now);
    throw new InvalidGrantError('oauth.token.refresh_reused');
  }
  if (row.secret_version !== row.app_secret_version || row.user_status !== 'active') {
    throw new InvalidGrantError('oauth.token.refresh_invalid');
  }
  if (row.expires_at <= now) throw new InvalidGrantError('oauth.token.refresh_expired');
  const user: Grantee = { id: row.user_id, familyId: row.family_id, refreshHash: sha256(refreshToken) };
  return {
    refreshToken, refreshTokenExpiresAt: wallDate(ctx, row.expires_at), scope: [API_SCOPE],
    client: { id: row.app_id, grants: [] }, user,
  };
}

async function revokeRefreshToken(ctx: Ctx, token: OAuth2Server.RefreshToken): Promise<boolean> {
  const now = ctx.clock.now();
  if (await markRefreshUsed(ctx.store.autocommit, sha256(token.refreshToken), now)) return true;
  // Lost a race with another use of the same token: that is reuse too.
  const familyId = (token.user as Grantee).familyId;
  if (familyId) await revokeFamily(ctx.store.autocommit, familyId, now);
  return false;
}

async function getAuthorizationCode(ctx: Ctx, code: string) {
  const now = ctx.clock.now();
  const row = await findCode(ctx.store.db, sha256(code));
  if (!row) return null;
  // Tokens obtained with a code form the family named after the code, so a replay can end them.
  const familyId = row.code_hash;
  if (row.used_at !== null) {
    await revokeFamily(ctx.store.autocommit, familyId, now);
    throw new InvalidGrantError('oauth.token.code_reused');
  }
  if (row.expires_at <= now) throw new InvalidGrantError('oauth.token.code_expired');
  if (row.user_status !== 'active') throw new InvalidGrantError('oauth.token.code_invalid');
  const user: Grantee = { id: row.user_id, familyId, codeHash: row.code_hash };
  return {
    authorizationCode: code, expiresAt: wallDate(ctx, row.expires_at), redirectUri: row.redirect_uri, scope: [row.scope],
    client: { id: row.app_id, grants: [] }, user,
    codeChallenge: row.code_challenge, codeChallengeMethod: row.code_challenge_method,
  };
}

async function saveToken(ctx: Ctx, token: OAuth2Server.Token, client: OAuthClient, user: Grantee) {
  // Through store.tx so that concurrent token requests share one durable commit (SQLite group commit).
  const pair = await ctx.store.tx(async (tx) => {
    if (user.codeHash || user.refreshHash) {
      // The person may have removed this app's access (or a reuse ended the family) since the
      // code or refresh token was redeemed: then nothing is issued.
      await lockPerson(tx, user.id);
      if (await grantSourceRevoked(tx, user)) {
        throw new InvalidGrantError(user.codeHash ? 'oauth.token.code_invalid' : 'oauth.token.refresh_invalid');
      }
    }
    return issueTokens(tx, {
      appId: client.id, userId: user.id, scope: API_SCOPE, familyId: user.familyId, secretVersion: client.secretVersion,
      nowMs: ctx.clock.now(), accessTtlSec: ctx.config.accessTokenTtlSec, refreshIdleSec: ctx.config.refreshTokenIdleSec,
      accessToken: token.accessToken, refreshToken: token.refreshToken,
    });
  });
  return { accessToken: pair.access_token, refreshToken: pair.refresh_token, scope: [API_SCOPE], client, user };
}

/** The library's model, backed by our tables. API calls are authenticated by bearer.ts, not by the library. */
export function oauthModel(ctx: Ctx) {
  const generate = async () => randomToken(32);
  return {
    generateAccessToken: generate,
    generateRefreshToken: generate,
    getClient: (id: string, secret: string) => getClient(ctx, id, secret),
    getRefreshToken: (token: string) => getRefreshToken(ctx, token),
    revokeToken: (token: OAuth2Server.RefreshToken) => revokeRefreshToken(ctx, token),
    getAuthorizationCode: (code: string) => getAuthorizationCode(ctx, code),
    revokeAuthorizationCode: async (code: OAuth2Server.AuthorizationCode) =>
      markCodeUsed(ctx.store.autocommit, sha256(code.authorizationCode), ctx.clock.now()),
    // Codes are issued by our consent page (authorize.service.ts), never through the library.
    saveAuthorizationCode: async () => false as const,
    saveToken: (token: OAuth2Server.Token, client: OAuth2Server.Client, user: OAuth2Server.User) =>
      saveToken(ctx, token, client as OAuthClient, user as Grantee),
    validateScope: async (_user: OAuth2Server.User, _client: OAuth2Server.Client, scope?: string[]) =>
      !scope || (scope.length === 1 && scope[0] === API_SCOPE) ? [API_SCOPE] : false as const,
    getAccessToken: async () => null,
  };
}

export type OAuthModel = ReturnType<typeof oauthModel>;
