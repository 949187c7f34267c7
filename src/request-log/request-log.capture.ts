import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import type { CapturedCall } from './request-log.writer.ts';

// Which calls the log sees, decided per request with string checks only: an /api/ call that
// presents a bearer token, or a POST to the token endpoint. Whether those credentials belong
// to an app is found later, off the request path (request-log.writer.ts).

export const TOKEN_PATH = '/oauth/v2/token';

const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

export function captureCall(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, payload: unknown): CapturedCall | undefined {
  const url = request.url;
  let kind: CapturedCall['kind'];
  let accessTokenParam: string | undefined;
  if (url.startsWith('/api/')) {
    const q = (request.query as Record<string, unknown> | undefined)?.access_token;
    accessTokenParam = typeof q === 'string' ? q : undefined;
    if (!request.headers.authorization && accessTokenParam === undefined) return undefined;
    kind = 'api';
  } else if (request.method === 'POST' && url.split('?')[0] === TOKEN_PATH) {
    kind = 'token';
  } else {
    return undefined;
  }
  const durationMs = Math.max(0, Math.round(reply.elapsedTime));
  return {
    at: ctx.clock.now(),
    method: request.method,
    url,
    status: reply.statusCode,
    durationMs,
    requestId: String(request.id),
    authorization: request.headers.authorization,
    accessTokenParam,
    contentType: header(request.headers['content-type']),
    userAgent: header(request.headers['user-agent']),
    idempotencyKey: header(request.headers['idempotency-key']),
    kind,
    body: request.body,
    response: payload,
  };
}
