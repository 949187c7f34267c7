import OAuth2Server from '@node-oauth/oauth2-server';
import type { Ctx } from '../context.ts';
import { hasMessage, t, type Locale } from '../shared/i18n.ts';
import { isDoc } from '../shared/input.ts';
import { clientAppsGrant } from './client-apps.grant.ts';
import { API_SCOPE, CLIENT_APPS_GRANT, oauthModel, SUPPORTED_GRANTS } from './oauth.model.ts';

const { Request, Response, OAuthError } = OAuth2Server;

const FIELDS = ['grant_type', 'client_id', 'client_secret', 'refresh_token', 'code', 'redirect_uri', 'code_verifier', 'scope'];
const MAX_FIELD = 2048;
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

export interface TokenRequest {
  authorization?: string;
  body: unknown;
  locale: Locale;
}
export interface TokenResult {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

type Described = { error: string; key: string; params?: Record<string, string> };

function fail(locale: Locale, status: number, d: Described, extra: Record<string, string> = {}): TokenResult {
  return { status, headers: { ...NO_STORE, ...extra }, body: { error: d.error, error_description: t(locale, d.key, d.params) } };
}

// The library's English messages, mapped to our catalogue. Its redirect_uri mismatch is reported
// as invalid_grant, as RFC 6749 section 5.2 says, rather than the library's invalid_request.
const LIBRARY_MESSAGES: Record<string, [string, string?]> = {
  'Invalid client: client is invalid': ['oauth.token.client_invalid'],
  'Invalid client: cannot retrieve client credentials': ['oauth.token.client_missing'],
  'Unauthorized client: `grant_type` is invalid': ['oauth.token.grant_not_allowed'],
  'Invalid grant: refresh token is invalid': ['oauth.token.refresh_invalid'],
  'Invalid grant: refresh token was issued to another client': ['oauth.token.refresh_other_client'],
  'Invalid grant: refresh token has expired': ['oauth.token.refresh_expired'],
  'Invalid grant: refresh token is invalid or could not be revoked': ['oauth.token.refresh_reused'],
  'Invalid grant: authorization code is invalid': ['oauth.token.code_invalid'],
  'Invalid grant: authorization code has expired': ['oauth.token.code_expired'],
  'Invalid grant: code verifier is invalid': ['oauth.token.verifier_invalid'],
  'Invalid request: `redirect_uri` is invalid': ['oauth.token.redirect_mismatch', 'invalid_grant'],
  'Invalid request: `redirect_uri` is not a valid URI': ['oauth.token.redirect_mismatch', 'invalid_grant'],
  'Invalid scope: Unable to add extra scopes': ['oauth.token.scope_invalid'],
  'Invalid scope: Requested scope is invalid': ['oauth.token.scope_invalid'],
  'Invalid parameter: `scope`': ['oauth.token.scope_invalid'],
};

function describe(e: OAuth2Server.OAuthError): Described {
  if (hasMessage(e.message)) return { error: e.name, key: e.message };
  const known = LIBRARY_MESSAGES[e.message];
  if (known) return { error: known[1] ?? e.name, key: known[0] };
  const param = /^(Missing|Invalid) parameter: `(\w+)`$/.exec(e.message);
  if (param) return { error: e.name, key: param[1] === 'Missing' ? 'oauth.token.param_missing' : 'oauth.token.param_invalid', params: { param: param[2] } };
  const fallback: Record<string, string> = {
    invalid_client: 'oauth.token.client_invalid', invalid_grant: 'oauth.token.grant_invalid', invalid_scope: 'oauth.token.scope_invalid',
  };
  return { error: e.name, key: fallback[e.name] ?? 'oauth.token.request_invalid' };
}

/** The token request's fields as strings; '' counts as absent (clients send empty optional fields). */
function fields(raw: unknown): { body: Record<string, string>; bad?: string } {
  const src = isDoc(raw) ? raw : {};
  const body: Record<string, string> = {};
  for (const f of FIELDS) {
    const v = src[f];
    if (v === undefined || v === null || v === '') continue;
    if ((typeof v !== 'string' && typeof v !== 'number') || String(v).length > MAX_FIELD) return { body, bad: f };
    body[f] = String(v);
  }
  return { body };
}

/** POST /oauth/v2/token through @node-oauth/oauth2-server with our model and the urn:client_apps grant. */
export function tokenEndpoint(ctx: Ctx): (req: TokenRequest) => Promise<TokenResult> {
  const model = oauthModel(ctx);
  const server = new OAuth2Server({
    model: model as unknown as OAuth2Server.ServerOptions['model'],
    accessTokenLifetime: ctx.config.accessTokenTtlSec,
    refreshTokenLifetime: ctx.config.refreshTokenIdleSec,
    alwaysIssueNewRefreshToken: true,
    extendedGrantTypes: { [CLIENT_APPS_GRANT]: clientAppsGrant(model) },
  });

  return async ({ authorization, body: raw, locale }) => {
    const { body, bad } = fields(raw);
    if (bad) return fail(locale, 400, { error: 'invalid_request', key: 'oauth.token.param_invalid', params: { param: bad } });
    const grant = body.grant_type;
    if (!grant) return fail(locale, 400, { error: 'invalid_request', key: 'oauth.token.grant_type_missing' });
    // Checked before the library, which knows the password and client_credentials grants (we offer neither).
    if (!(SUPPORTED_GRANTS as readonly string[]).includes(grant)) {
      return fail(locale, 400, { error: 'unsupported_grant_type', key: 'oauth.token.grant_unsupported' });
    }
    // Our one body parser already read url-encoded, JSON or multipart; the library wants to see the form type.
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' };
    if (authorization) headers.authorization = authorization;
    const response = new Response({ headers: {} });
    try {
      const token = await server.token(new Request({ method: 'POST', query: {}, headers, body }), response);
      return {
        status: 200, headers: { ...NO_STORE },
        body: {
          access_token: token.accessToken, expires_in: ctx.config.accessTokenTtlSec, token_type: 'bearer',
          scope: API_SCOPE, refresh_token: token.refreshToken,
        },
      };
    } catch (e) {
      if (!(e instanceof OAuthError) || e.code >= 500) throw (e as { inner?: Error }).inner ?? e;
      const challenge = response.get('WWW-Authenticate') as string | undefined;
      return fail(locale, e.code, describe(e), challenge ? { 'www-authenticate': challenge } : {});
    }
  };
}
