import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { PinnedAddress } from './url-guard.ts';

// One outbound request with a hard deadline and a bounded body: a slow or huge answer from a
// merchant can neither hold a worker nor fill the store. Redirects are not followed (a
// redirect could lead past the URL guard); a 3xx is recorded like any non-2xx answer.

export interface GetOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  maxBodyBytes: number;
  pinned?: PinnedAddress;
  /** GET by default; a webhook POSTs this body. */
  method?: 'GET' | 'POST';
  body?: string;
}

export interface GetResult {
  status: number;
  body: string;
}

/** The deadline passed: the error a timeout attempt records. */
export class TimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

function pinnedLookup(p: PinnedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (options?.all) cb(null, [{ address: p.address, family: p.family }]);
    else cb(null, p.address, p.family);
  }) as unknown as LookupFunction;
}

export function httpGet(url: URL, opts: GetOptions): Promise<GetResult> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: Error | null, status?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (err) reject(err);
      else resolve({ status: status!, body: new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks)).slice(0, opts.maxBodyBytes) });
    };
    const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
    const req = lib.request(url, {
      method: opts.method ?? 'GET',
      headers: body ? { ...opts.headers, 'content-length': String(body.length) } : opts.headers,
      agent: false,
      ...(opts.pinned ? { lookup: pinnedLookup(opts.pinned) } : {}),
    }, (res) => {
      const status = res.statusCode ?? 0;
      res.on('data', (chunk: Buffer) => {
        const room = opts.maxBodyBytes - size;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += chunk.length;
        if (size >= opts.maxBodyBytes) finish(null, status);
      });
      res.on('end', () => finish(null, status));
      res.on('error', (e) => finish(e));
    });
    const timer = setTimeout(() => finish(new TimeoutError(`timeout after ${Math.round(opts.timeoutMs / 1000)} s`)), opts.timeoutMs);
    req.on('error', (e) => finish(e));
    req.end(body);
  });
}
