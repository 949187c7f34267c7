import qs from 'qs';

export interface Res<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

async function wrap<T>(r: Response): Promise<Res<T>> {
  const text = await r.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: r.status, headers: r.headers, body: body as T, text };
}

/** PHP's http_build_query rendering of nested arrays (what Guzzle form_params and wp_remote_post send). */
export function phpQuery(data: Record<string, unknown>): string {
  return qs.stringify(data, { encodeValuesOnly: false, arrayFormat: 'indices' });
}

export async function postForm<T = any>(url: string, data: Record<string, unknown> | string, headers: Record<string, string> = {}): Promise<Res<T>> {
  const body = typeof data === 'string' ? data : phpQuery(data);
  return wrap<T>(await fetch(url, {
    method: 'POST', body, redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  }));
}

export async function postJson<T = any>(url: string, data: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
  return wrap<T>(await fetch(url, {
    method: 'POST', body: JSON.stringify(data), redirect: 'manual',
    headers: { 'content-type': 'application/json', ...headers },
  }));
}

/** multipart/form-data with bracket field names, as `curl -F` sends them. */
export async function postMultipart<T = any>(
  url: string, fields: [string, string | Blob, string?][], headers: Record<string, string> = {},
): Promise<Res<T>> {
  const form = new FormData();
  for (const [k, v, filename] of fields) {
    if (typeof v === 'string') form.append(k, v);
    else form.append(k, v, filename ?? 'file');
  }
  return wrap<T>(await fetch(url, { method: 'POST', body: form, headers, redirect: 'manual' }));
}

export async function get<T = any>(url: string, headers: Record<string, string> = {}): Promise<Res<T>> {
  return wrap<T>(await fetch(url, { headers, redirect: 'manual' }));
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
