import OAuth2Server from '@node-oauth/oauth2-server';
import type { Grantee, OAuthClient, OAuthModel } from './oauth.model.ts';

/**
 * The `urn:client_apps` extension grant of the existing mPandco clients: the app, authenticated
 * by its own credentials, acts for the business account that owns it. Unlike client_credentials
 * it also returns a refresh token, which those clients expect.
 */
export function clientAppsGrant(model: OAuthModel): typeof OAuth2Server.AbstractGrantType {
  return class ClientAppsGrantType extends OAuth2Server.AbstractGrantType {
    async handle(request: OAuth2Server.Request, client: OAuth2Server.Client): Promise<OAuth2Server.Token> {
      const app = client as OAuthClient;
      const user: Grantee = { id: app.ownerUserId };
      const scope = await this.validateScope(user, client, this.getScope(request));
      if (!scope) throw new OAuth2Server.InvalidScopeError('oauth.token.scope_invalid');
      const accessToken = await this.generateAccessToken(client, user, scope);
      const refreshToken = await this.generateRefreshToken(client, user, scope);
      return model.saveToken({ accessToken, refreshToken, scope, client, user }, client, user);
    }
  };
}
