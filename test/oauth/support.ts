import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../../src/context.ts';
import { authenticateApi, type ApiCaller } from '../../src/oauth/bearer.ts';
import { DomainError } from '../../src/shared/errors.ts';
import { postForm, type Res } from '../helpers/http.ts';

export interface Creds {
  client_id: string;
  client_secret: string;
}

export function clientAppsToken(baseUrl: string, c: Creds, headers: Record<string, string> = {}): Promise<Res> {
  // Exactly what the WooCommerce plugin sends.
  const body = `grant_type=urn:client_apps&client_id=${encodeURIComponent(c.client_id)}&client_secret=${encodeURIComponent(c.client_secret)}`;
  return postForm(`${baseUrl}/oauth/v2/token`, body, headers);
}

export function refreshToken(baseUrl: string, c: Creds, refresh: string): Promise<Res> {
  const body = `grant_type=refresh_token&refresh_token=${encodeURIComponent(refresh)}&client_id=${encodeURIComponent(c.client_id)}&client_secret=${encodeURIComponent(c.client_secret)}`;
  return postForm(`${baseUrl}/oauth/v2/token`, body);
}

export function basic(c: Creds): string {
  return `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`;
}

/** authenticateApi as a route would call it, with only the Authorization header. Returns the caller or the status. */
export async function callApi(ctx: Ctx, accessToken: string): Promise<ApiCaller | number> {
  const request = { headers: { authorization: `Bearer ${accessToken}` }, query: {} } as unknown as FastifyRequest;
  try {
    return await authenticateApi(ctx, request);
  } catch (e) {
    if (e instanceof DomainError) return e.status;
    throw e;
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A browser's cookies, enough for the session and CSRF cookies of the web pages. */
export class CookieJar {
  private cookies = new Map<string, string>();
  store(res: { headers: Headers }): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): Record<string, string> {
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in the page');
  return m[1];
}

/** Signs a person in through the real /login form and returns their cookie jar. */
export async function signInWeb(baseUrl: string, login: string, password: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const form = await fetch(`${baseUrl}/login`, { redirect: 'manual' });
  jar.store(form);
  const csrf = csrfOf(await form.text());
  const r = await postForm(`${baseUrl}/login`, { _csrf: csrf, login, password, next: '/wallet' }, jar.header());
  if (r.status !== 303) throw new Error(`sign-in failed with ${r.status}`);
  jar.store(r);
  return jar;
}
