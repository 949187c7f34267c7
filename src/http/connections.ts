import http from 'node:http';
import type { Socket } from 'node:net';
import { DomainError, ValidationError } from '../shared/errors.ts';
import { defineMessages } from '../shared/i18n.ts';
import { wireError } from './errors.ts';

// The connection edge: how long a client may take, and the answers Node's HTTP parser gives
// before any route runs (headers too large, a malformed request, a request too slow).

export const connectionMsg = defineMessages({
  'http.headers_too_large': {
    es: 'Las cabeceras de la solicitud son demasiado grandes.',
    en: 'The request headers are too large.',
  },
  'http.request_timeout': {
    es: 'La solicitud tardó demasiado en llegar. Envíela de nuevo.',
    en: 'The request took too long to arrive. Send it again.',
  },
});

/**
 * A payment API's requests are small and its clients are servers: a client that has not sent
 * its headers in 10 s or its whole request (bodies are at most 1 MiB) in 15 s is stalled or
 * hostile, and an idle keep-alive connection is closed after 5 s. Node checks these every
 * second (its default, 30 s, would let them run late). Documented in README (Configuration).
 */
export const HTTP_TIMEOUTS = {
  headersMs: 10_000,
  requestMs: 15_000,
  keepAliveMs: 5_000,
  checkEveryMs: 1_000,
} as const;

/** Options for http(s).createServer; Fastify sets keepAliveTimeout and requestTimeout itself. */
export const serverTimeouts = {
  headersTimeout: HTTP_TIMEOUTS.headersMs,
  requestTimeout: HTTP_TIMEOUTS.requestMs,
  connectionsCheckingInterval: HTTP_TIMEOUTS.checkEveryMs,
};

const answered = new WeakSet<Socket>();
type ClientError = Error & { code?: string; rawPacket?: unknown };

/**
 * Fastify's own answer to these errors closes the connection without saying so, which makes
 * a keep-alive client send its next request into a reset, and gives a HEAD a body. This one
 * says `Connection: close`, leaves the body out for HEAD, shapes the body as every other error
 * (through the one mapper) and lets the client read it before the connection goes.
 */
export function answerClientError(err: ClientError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const error = status === 400
    ? ValidationError.global('common.bad_request')
    : new DomainError(status, { key: status === 431 ? 'http.headers_too_large' : 'http.request_timeout' });
  const body = JSON.stringify(wireError(error, 'es').body);
  // The parser hands over the bytes it failed on; a request line that says HEAD gets no body.
  const head = Buffer.isBuffer(err.rawPacket) && err.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end([
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '', head ? '' : body,
  ].join('\r\n'));
  // Whatever the client still sends is read and dropped, so that closing does not reset the
  // connection before the answer is read; a client that never stops is cut off.
  socket.resume();
  setTimeout(() => socket.destroy(), 2_000).unref();
}
