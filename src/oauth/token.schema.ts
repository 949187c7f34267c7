import { Type } from 'typebox';
import { tokenExample } from '../docs/examples.ts';
import { OAuthError, Scalar } from '../http/schema.ts';

export const tokenSchema = {
  tags: ['OAuth2'],
  summary: 'Get an access token',
  description: 'Grants: urn:client_apps (the app acts for its own business account), refresh_token (rotating: a reused one revokes '
    + 'the family), authorization_code (PKCE S256). The password grant is not offered. Client credentials as form fields or HTTP Basic.',
  body: Type.Object({
    grant_type: Scalar({ description: 'urn:client_apps, refresh_token or authorization_code', examples: ['urn:client_apps'] }),
    client_id: Type.Optional(Scalar()), client_secret: Type.Optional(Scalar()), refresh_token: Type.Optional(Scalar()),
    code: Type.Optional(Scalar()), redirect_uri: Type.Optional(Scalar()), code_verifier: Type.Optional(Scalar()),
  }, { additionalProperties: true }),
  response: {
    200: Type.Object({
      access_token: Type.String(),
      expires_in: Type.Integer({ description: 'Seconds; MPANDCO_ACCESS_TOKEN_TTL (default 3600)' }),
      token_type: Type.Literal('bearer'), scope: Type.String({ examples: ['API'] }), refresh_token: Type.Optional(Type.String()),
    }, { examples: [tokenExample] }),
    400: OAuthError, 401: OAuthError, 503: OAuthError,
  },
};

export const consentDoc = {
  tags: ['OAuth2'],
  summary: 'Consent page of the authorization-code grant (HTML, for the account holder)',
  querystring: Type.Object({
    response_type: Type.Optional(Type.String({ examples: ['code'] })), client_id: Type.Optional(Type.String()),
    redirect_uri: Type.Optional(Type.String()), state: Type.Optional(Type.String()),
    code_challenge: Type.Optional(Type.String()), code_challenge_method: Type.Optional(Type.String({ examples: ['S256'] })),
  }, { additionalProperties: true }),
};
