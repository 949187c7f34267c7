import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_TIMEOUTS } from '../../src/http/connections.ts';
import { DIALECT, testServer, type TestServer } from '../helpers/env.ts';

// The answers Node's HTTP parser gives before any route runs, and the connections a client
// leaves idle or half-sent: on a real listener, with a keep-alive client and raw sockets.

let s: TestServer;
let port: number;
beforeAll(async () => {
  s = await testServer();
  port = Number(new URL(s.baseUrl).port);
});
afterAll(async () => s?.close());

const BIG = 'a'.repeat(20_000); // past Node's 16 KiB of headers

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }

function request(agent: http.Agent, opts: http.RequestOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, agent, ...opts }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Writes raw bytes, then reads until the server closes; resolves with what came back and when. */
function raw(bytes: string, waitMs = 5_000): Promise<{ text: string; closedAfterMs: number | null }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (text += d));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closedAfterMs: null });
    }, waitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
  });
}

describe(`HTTP edges (${DIALECT})`, () => {
  it('a keep-alive client gets a 431 saying Connection: close, and its next request on the same agent works', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let round = 0; round < 3; round++) {
        const tooBig = await request(agent, { path: '/health', headers: { 'x-big': BIG } });
        expect(tooBig.status).toBe(431);
        expect(tooBig.headers.connection).toBe('close');
        expect(JSON.parse(tooBig.body)).toEqual({ code: 431, message: 'Las cabeceras de la solicitud son demasiado grandes.' });
        const next = await request(agent, { path: '/health' });
        expect(next.status).toBe(200);
        expect(JSON.parse(next.body).status).toBe('ok');
      }
    } finally {
      agent.destroy();
    }
  });

  it('a HEAD that draws a 431 gets no body; a malformed request gets the 400 tree; both say Connection: close', async () => {
    const head = await raw(`HEAD /health HTTP/1.1\r\nHost: x\r\nX-Big: ${BIG}\r\n\r\n`);
    const [headPart, afterHead] = head.text.split('\r\n\r\n');
    expect(headPart).toMatch(/^HTTP\/1\.1 431 /);
    expect(headPart).toMatch(/\r\nConnection: close\r\n/i);
    expect(afterHead).toBe('');
    expect(head.closedAfterMs).not.toBeNull();

    const bad = await raw('GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    const [badHead, badBody] = bad.text.split('\r\n\r\n');
    expect(badHead).toMatch(/^HTTP\/1\.1 400 /);
    expect(badHead).toMatch(/\r\nConnection: close\r\n/i);
    expect(JSON.parse(badBody)).toEqual({
      code: 400, message: 'Validation Failed', errors: { errors: ['Solicitud inválida.'], children: {} },
    });
  });

  it('idle, slow and half-sent connections are closed within the documented timeouts, 500 of them, while others are served', async () => {
    const bound = HTTP_TIMEOUTS.requestMs + HTTP_TIMEOUTS.checkEveryMs + 3_000;
    expect(bound).toBeLessThan(20_000);
    const kinds = [
      { name: 'nothing sent', bytes: '', within: HTTP_TIMEOUTS.headersMs },
      { name: 'headers never finished', bytes: 'GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ', within: HTTP_TIMEOUTS.headersMs },
      {
        name: 'body never finished',
        bytes: 'POST /oauth/v2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=',
        within: HTTP_TIMEOUTS.requestMs,
      },
      { name: 'idle keep-alive', bytes: 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n', within: HTTP_TIMEOUTS.keepAliveMs },
    ];
    const started = Date.now();
    const all = Array.from({ length: 500 }, (_, i) => kinds[i % kinds.length]).map((k) =>
      raw(k.bytes, bound).then((r) => ({ ...k, ...r })));
    await new Promise((r) => setTimeout(r, 1_000));
    const served = await fetch(`${s.baseUrl}/health`);
    expect(served.status).toBe(200);
    const results = await Promise.all(all);
    for (const r of results) {
      expect(r.closedAfterMs, r.name).not.toBeNull();
      // Node may close up to one check interval (and a keep-alive grace second) late.
      expect(r.closedAfterMs!, r.name).toBeLessThanOrEqual(r.within + HTTP_TIMEOUTS.checkEveryMs + 2_500);
    }
    for (const name of ['headers never finished', 'body never finished']) {
      const timedOut = results.find((r) => r.name === name)!;
      expect(timedOut.text, name).toMatch(/^HTTP\/1\.1 408 [^]*\r\nConnection: close\r\n/i);
      expect(timedOut.closedAfterMs!, name).toBeGreaterThanOrEqual(timedOut.within - 100);
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
