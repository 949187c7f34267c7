import { expect } from 'vitest';

export interface Page {
  status: number;
  location: string | null;
  html: string;
}

/** A browser-like client for the server-rendered pages: keeps cookies, reads the CSRF field. */
export class WebClient {
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly baseUrl: string, readonly lang?: 'es' | 'en') {
    if (lang) this.cookies.set('lang', lang);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const gone = value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private async wrap(res: Response): Promise<Page> {
    this.remember(res);
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1];
    return { status: res.status, location: res.headers.get('location'), html };
  }

  async get(path: string): Promise<Page> {
    return this.wrap(await fetch(this.baseUrl + path, { headers: { cookie: this.cookieHeader(), accept: 'text/html' }, redirect: 'manual' }));
  }

  /** Posts a form with the CSRF token of the last page read (unless withCsrf is false). */
  async post(path: string, fields: Record<string, string>, withCsrf = true): Promise<Page> {
    const body = new URLSearchParams({ ...(withCsrf ? { _csrf: this.csrf } : {}), ...fields });
    return this.wrap(await fetch(this.baseUrl + path, {
      method: 'POST', body, redirect: 'manual',
      headers: { cookie: this.cookieHeader(), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    }));
  }

  async postMultipart(path: string, fields: Record<string, string>, files: Record<string, { data: Buffer; name: string; type?: string }> = {}, withCsrf = true): Promise<Page> {
    const form = new FormData();
    if (withCsrf) form.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [k, f] of Object.entries(files)) form.append(k, new Blob([new Uint8Array(f.data)], { type: f.type ?? 'image/png' }), f.name);
    return this.wrap(await fetch(this.baseUrl + path, {
      method: 'POST', body: form, redirect: 'manual', headers: { cookie: this.cookieHeader(), accept: 'text/html' },
    }));
  }

  async signIn(login: string, password: string): Promise<void> {
    await this.get('/login');
    const r = await this.post('/login', { login, password, next: '/wallet' });
    expect(r.status, r.html.slice(0, 300)).toBe(303);
  }
}

/** The text of a field's error paragraph, or undefined when the field has none. */
export function fieldError(html: string, field: string): string | undefined {
  const m = new RegExp(`<p class="field-error" id="f-${field}-error">([^<]*)</p>`).exec(html);
  return m ? m[1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&') : undefined;
}

let counter = 0;
/** Fresh, valid personal or business details for the registration form. */
export function newPerson(kind: 'personal' | 'business', extra: Record<string, string> = {}): Record<string, string> {
  counter += 1;
  const n = String(Date.now() % 1e6).padStart(6, '0') + String(counter).padStart(2, '0');
  const base = {
    username: `${kind === 'business' ? 'tienda' : 'persona'}${n}`,
    password: 'Segura2026x',
    fullName: 'Ana María Rodríguez',
    document: kind === 'business' ? `J4${n.slice(0, 8)}` : `V1${n.slice(0, 7)}`,
    phone: `58414${n.slice(1, 8)}`,
    email: `a${n}@example.com`,
    pin: '4321',
    ...(kind === 'business' ? { businessName: 'Inversiones Ávila, C.A.' } : {}),
  };
  return { ...base, ...extra };
}

/** Registers a business through the real sign-up page and returns its signed-in client. */
export async function signedUpBusiness(
  s: { baseUrl: string; ctx: { env: string; store: { tx: <T>(fn: (tx: any) => Promise<T>) => Promise<T> } }; clock: { now(): number } },
  extra: Record<string, string> = {},
): Promise<{ web: WebClient; person: Record<string, string> }> {
  let code: string;
  if (s.ctx.env === 'sandbox') {
    code = (await (await fetch(`${s.baseUrl}/sbx/codes.json?access_token=test-token`)).json()).regular;
  } else {
    const { issueCodes } = await import('../../src/onboarding/codes.service.ts');
    [code] = await s.ctx.store.tx((tx) => issueCodes(tx, 'commercial', 1, 'operator-test', s.clock.now()));
  }
  const web = new WebClient(s.baseUrl);
  await web.get('/register/business');
  const person = newPerson('business', { affiliationCode: code, ...extra });
  const r = await web.post('/register/business', person);
  expect(r.status, r.html.slice(0, 500)).toBe(303);
  return { web, person };
}
