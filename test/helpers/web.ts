/** A tiny browser-less client for form pages: keeps cookies, reads the CSRF token, posts forms. */
export class WebClient {
  private cookies = new Map<string, string>();
  constructor(readonly baseUrl: string, private readonly lang?: 'es' | 'en') {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string): Promise<{ status: number; html: string; location: string | null }> {
    const res = await fetch(this.baseUrl + path, {
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), accept: 'text/html', ...(this.lang ? { 'accept-language': this.lang } : {}) },
    });
    this.keep(res);
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }

  /** The CSRF token of the last form on a page. */
  static csrf(html: string): string {
    const m = [...html.matchAll(/name="_csrf" value="([^"]+)"/g)].pop();
    if (!m) throw new Error('no CSRF token on the page');
    return m[1];
  }

  async post(path: string, fields: Record<string, string>, opts: { csrfFrom?: string; noCsrf?: boolean } = {}) {
    const body = new URLSearchParams(fields);
    if (!opts.noCsrf) {
      const page = await this.get(opts.csrfFrom ?? path);
      body.set('_csrf', WebClient.csrf(page.html));
    }
    const res = await fetch(this.baseUrl + path, {
      method: 'POST', redirect: 'manual', body,
      headers: {
        cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html',
        ...(this.lang ? { 'accept-language': this.lang } : {}),
      },
    });
    this.keep(res);
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }

  async signIn(login: string, password: string) {
    return this.post('/login', { login, password }, { csrfFrom: '/login' });
  }
}
