// A browser-like client for server-rendered pages: keeps cookies and the last CSRF token.

export interface PageRes {
  status: number;
  location: string | null;
  html: string;
}

export class WebClient {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly baseUrl: string, lang?: 'es' | 'en') {
    if (lang) this.cookies.set('lang', lang);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private async wrap(res: Response): Promise<PageRes> {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const gone = value === '' || attrs.some((a) => /^\s*(max-age=0|expires=Thu, 01 Jan 1970)/i.test(a));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1];
    return { status: res.status, location: res.headers.get('location'), html };
  }

  async request(method: string, path: string, fields?: Record<string, string>, withCsrf = true): Promise<PageRes> {
    const body = fields ? new URLSearchParams({ ...(withCsrf ? { _csrf: this.csrf } : {}), ...fields }) : undefined;
    return this.wrap(await fetch(this.baseUrl + path, {
      method, body, redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(), accept: 'text/html',
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    }));
  }

  get(path: string): Promise<PageRes> {
    return this.request('GET', path);
  }

  post(path: string, fields: Record<string, string> = {}, withCsrf = true): Promise<PageRes> {
    return this.request('POST', path, fields, withCsrf);
  }

  async signIn(login: string, password: string, where: '/login' | '/backoffice/login' = '/login'): Promise<PageRes> {
    await this.get(where);
    return this.post(where, { login, password });
  }
}

/** The visible text of an HTML fragment, entities decoded, spaces collapsed. */
export function textOf(html: string): string {
  return html.replace(/<style[\s\S]*?<\/style>/g, ' ').replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ').trim();
}
