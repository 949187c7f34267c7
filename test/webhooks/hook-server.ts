import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Delivery {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The body exactly as received: what the signature covers. */
  raw: string;
}

/** A merchant's webhook endpoint on 127.0.0.1: keeps every request with its raw body, answers `status`. */
export class HookServer {
  readonly received: Delivery[] = [];
  status = 200;
  private server?: http.Server;
  private waiters: { n: number; resolve: () => void }[] = [];
  url = '';

  async start(path = '/hook'): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(this.status, { 'content-type': 'text/plain' });
        res.end(this.status < 300 ? 'ok' : 'no');
        this.waiters = this.waiters.filter((w) => (this.received.length >= w.n ? (w.resolve(), false) : true));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}${path}`;
    return this;
  }

  /** Resolves once `n` requests have arrived in all. */
  waitFor(n: number, timeoutMs = 20_000): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.received.length} of ${n} deliveries arrived`)), timeoutMs);
      this.waiters.push({ n, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/**
 * What a merchant does, written from the documentation alone: split t and v1, recompute
 * HMAC-SHA256(secret, "<t>.<raw body>") in hex and compare in constant time.
 */
export function verifyWebhook(header: string | string[] | undefined, secret: string, raw: string): boolean {
  const parts = Object.fromEntries(String(header ?? '').split(',').map((kv) => kv.split('=') as [string, string]));
  if (!/^\d+$/.test(parts.t ?? '') || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'));
}
