import { MpandcoError } from './errors.js';
import { encodeForm } from './form.js';
import { ROUTES } from './routes.js';
import { exchange, type TransportOptions } from './transport.js';
import type { TokenResponse } from './types.js';

// Access tokens of the app's own grant (`urn:client_apps`: the app acts for the business
// that owns it). A token is kept until shortly before it expires; then, or when the API
// answers 401, the refresh token gets a fresh pair (refresh tokens rotate), and when that
// fails the client credentials get a new one. One renewal runs at a time, so a refresh
// token is never presented twice (which would revoke its whole family).

export interface TokenSource {
  /** The app's keys (Settings → OAuth applications). */
  clientId?: string;
  clientSecret?: string;
  /** A token obtained elsewhere, used until the API answers 401 (then the keys, if given, get another). */
  accessToken?: string;
  /** Renew this many seconds before the announced expiry (default 30). */
  expirySkewSec?: number;
  /** The clock tokens expire by, in milliseconds (default Date.now). */
  now?: () => number;
}

export class TokenManager {
  private access?: string;
  private refresh?: string;
  private expiresAt = Infinity;
  private inflight?: Promise<string>;

  constructor(private readonly transport: TransportOptions, private readonly source: TokenSource) {
    this.access = source.accessToken;
  }

  get canRenew(): boolean {
    return Boolean(this.source.clientId && this.source.clientSecret);
  }

  private now(): number {
    return (this.source.now ?? Date.now)();
  }

  /** A token believed valid: the cached one, or a new one. */
  async get(): Promise<string> {
    const skewMs = (this.source.expirySkewSec ?? 30) * 1000;
    if (this.access && this.now() < this.expiresAt - skewMs) return this.access;
    if (!this.canRenew) {
      if (this.access) return this.access;
      throw new MpandcoError({ status: 0, code: 'invalid_client', message: 'Give clientId and clientSecret, or an accessToken' });
    }
    return this.renew(this.access);
  }

  /** After a 401 with `rejected`: a new token, unless another call already replaced it. */
  async renew(rejected: string | undefined): Promise<string> {
    if (this.inflight) return this.inflight;
    if (this.access && this.access !== rejected && this.now() < this.expiresAt) return this.access;
    if (!this.canRenew) throw new MpandcoError({ status: 401, code: 'invalid_grant', message: 'The access token was refused and there are no client credentials to get another' });
    this.inflight = this.obtain().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Forgets the cached token: the next call asks for a new one. */
  clear(): void {
    this.access = undefined;
    this.refresh = undefined;
    this.expiresAt = Infinity;
  }

  private async obtain(): Promise<string> {
    let t: TokenResponse | undefined;
    if (this.refresh) {
      try {
        t = await this.grant({ grant_type: 'refresh_token', refresh_token: this.refresh });
      } catch (e) {
        // Expired, rotated or revoked: the app's own grant still works.
        if (!(e instanceof MpandcoError) || e.code !== 'invalid_grant') throw e;
      }
    }
    t ??= await this.grant({ grant_type: 'urn:client_apps' });
    this.access = t.access_token;
    this.refresh = t.refresh_token;
    this.expiresAt = this.now() + t.expires_in * 1000;
    return t.access_token;
  }

  private async grant(fields: Record<string, string>): Promise<TokenResponse> {
    const { method, path } = ROUTES.token;
    const form = encodeForm({ ...fields, client_id: this.source.clientId, client_secret: this.source.clientSecret });
    const res = await exchange(this.transport, { method, path, form });
    const body = res.body as Partial<TokenResponse> | undefined;
    if (res.status !== 200) throw new MpandcoError({ status: res.status, body: res.body, headers: res.headers, method, path });
    if (typeof body?.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new MpandcoError({ status: res.status, body: res.body, code: 'invalid_response', method, path, message: 'The token endpoint answered without a token' });
    }
    return body as TokenResponse;
  }
}
