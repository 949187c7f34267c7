import type { FastifyReply, FastifyRequest } from 'fastify';
import { page } from '../web/render.ts';

/** Renders a back-office view with the signed-in operator for its layout. */
export function boPage(request: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown> = {}, status = 200) {
  return page(request, reply, view, { ...data, operator: request.operator }, status);
}
