import type { FastifyRequest } from 'fastify';
import type { Actor } from '../audit/audit.service.ts';

// What the pages of the back office's money queues read from each request.

export const WEB = { config: { web: true } } as const;
export const actorOf = (request: FastifyRequest): Actor => ({ operatorId: request.operator!.id, via: 'web' });
export const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/** The queue's ?status=, when it is one of the queue's own; else the first one. */
export function statusOf<T extends string>(request: FastifyRequest, allowed: readonly T[]): T {
  const v = (request.query as Record<string, unknown>).status;
  return (allowed as readonly unknown[]).includes(v) ? (v as T) : allowed[0];
}
