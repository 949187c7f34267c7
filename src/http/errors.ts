import FindMyWay from 'find-my-way';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validationFailure } from './validation.ts';
import { decodeMsg, DomainError, UnavailableError, ValidationError, type ErrorTree } from '../shared/errors.ts';
import { ConnectionWaitError, isStoreUnreachable } from '../db/store.ts';
import { InvariantError, moneyRefusal } from '../ledger/invariants.ts';
import { t, type Locale } from '../shared/i18n.ts';

// The one place where domain errors become the wire format.

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Errors of this route render as an HTML page instead of JSON. */
    web?: boolean;
    /** Errors of this route (the token endpoint) take RFC 6749's shape: {error, error_description}. */
    oauth?: boolean;
  }
}

export function translateTree(tree: ErrorTree, locale: Locale): ErrorTree {
  const out: ErrorTree = {};
  if (tree.errors) out.errors = tree.errors.map((e) => {
    const m = decodeMsg(e);
    return t(locale, m.key, m.params);
  });
  if (Array.isArray(tree.children)) out.children = tree.children.map((c) => translateTree(c, locale));
  else if (tree.children) {
    out.children = Object.fromEntries(Object.entries(tree.children).map(([k, v]) => [k, translateTree(v, locale)]));
  }
  return out;
}

export function wireError(err: DomainError, locale: Locale): { status: number; body: unknown } {
  const message = t(locale, err.msg.key, err.msg.params);
  if (err instanceof ValidationError) {
    return { status: 400, body: { code: 400, message: 'Validation Failed', errors: translateTree(err.tree, locale) } };
  }
  if (err.status === 401) return { status: 401, body: { error: 'invalid_grant', error_description: message } };
  return { status: err.status, body: { code: err.status, message } };
}

export type WebErrorRenderer = (req: FastifyRequest, reply: FastifyReply, status: number, message: string) => unknown;

function toDomain(error: FastifyError | Error): DomainError | undefined {
  if (error instanceof DomainError) return error;
  // No database connection came free in time (MPANDCO_CONNECTION_WAIT_MS): busy, not broken.
  if (error instanceof ConnectionWaitError) return new UnavailableError('common.busy');
  // The database restarting, failing over or out of reach: unavailable for a moment, not broken.
  if (isStoreUnreachable(error)) return new UnavailableError('common.unavailable');
  if (error instanceof InvariantError) {
    return ValidationError.global(moneyRefusal(error) ?? 'common.bad_request');
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) {
    if (status === 413) return new DomainError(413, { key: 'common.too_long' });
    if (status === 429) return new DomainError(429, { key: 'common.too_many' });
    if (status === 415) return ValidationError.global('common.bad_request');
    if (status === 403) return new DomainError(403, { key: 'common.forbidden' });
    return ValidationError.global('common.bad_request');
  }
  return undefined;
}

export function registerErrorHandling(app: FastifyInstance, renderWebError: WebErrorRenderer): void {
  // A second router that only knows which methods each path has, to answer 405 with Allow.
  const methods = FindMyWay();
  app.addHook('onRoute', (route) => {
    const list = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of list) {
      if (m === 'HEAD' || route.url.includes('*')) continue;
      try {
        methods.on(m as never, route.url, () => undefined);
      } catch {
        /* same route registered twice (e.g. with and without prefix): already known */
      }
    }
  });

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const domain = (error as FastifyError).validation ? validationFailure(error as FastifyError, request) : toDomain(error);
    if (!domain) {
      request.log.error({ err: error }, 'unhandled error');
      const msg = t(request.locale, 'common.internal');
      if (request.routeOptions.config?.web) return renderWebError(request, reply, 500, msg);
      return reply.code(500).send({ code: 500, message: msg });
    }
    if (domain.status >= 500) request.log.warn({ err: error }, 'service unavailable');
    if (error instanceof ConnectionWaitError) reply.header('retry-after', '1');
    else if (isStoreUnreachable(error)) reply.header('retry-after', '5');
    const { status, body } = wireError(domain, request.locale);
    if (request.routeOptions.config?.oauth) {
      // A body the parser refused (malformed, too large, wrong type) is RFC 6749's invalid_request.
      const text = domain instanceof ValidationError ? flatten(body) : t(request.locale, domain.msg.key, domain.msg.params);
      return reply.code(status).header('cache-control', 'no-store').send({ error: 'invalid_request', error_description: text });
    }
    if (request.routeOptions.config?.web) {
      const text = domain instanceof ValidationError ? flatten(body) : t(request.locale, domain.msg.key, domain.msg.params);
      return renderWebError(request, reply, status, text);
    }
    return reply.code(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter((m) => methods.find(m, path));
    const locale = request.locale ?? 'es';
    if (allowed.length && !allowed.includes(request.method as never)) {
      if (allowed.includes('GET')) allowed.push('HEAD' as never);
      return reply.code(405).header('allow', allowed.join(', '))
        .send({ code: 405, message: t(locale, 'common.method_not_allowed') });
    }
    const accept = request.headers.accept ?? '';
    if (accept.includes('text/html') && !path.startsWith('/api/')) {
      return renderWebError(request, reply, 404, t(locale, 'common.not_found'));
    }
    return reply.code(404).send({ code: 404, message: t(locale, 'common.not_found') });
  });
}

function flatten(body: unknown): string {
  const out: string[] = [];
  const walk = (n: ErrorTree) => {
    n.errors?.forEach((e) => out.push(e));
    if (Array.isArray(n.children)) n.children.forEach(walk);
    else if (n.children) Object.values(n.children).forEach(walk);
  };
  walk((body as { errors: ErrorTree }).errors);
  return out.join(' ');
}
