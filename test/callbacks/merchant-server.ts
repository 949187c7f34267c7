import http from 'node:http';
import { createHmac } from 'node:crypto';

export interface Hit {
  url: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

/** A merchant's web server on 127.0.0.1: records every request and answers with `status`. */
export class MerchantServer {
  readonly hits: Hit[] = [];
  status = 200;
  body = 'ok';
  private server?: http.Server;
  base = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', this.base);
      this.hits.push({ url: `${this.base}${req.url}`, query: u.searchParams, headers: req.headers });
      res.writeHead(this.status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(this.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.base = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** What a merchant does with X-Mpandco-Signature: recompute the HMAC over t and the URL it received. */
export function signatureValid(header: string | string[] | undefined, secret: string, fullUrl: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header ?? ''));
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${fullUrl}`).digest('hex');
  return expected === m[2];
}
