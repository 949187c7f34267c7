import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSandbox, type Ctx } from '../context.ts';
import { NotFoundError } from '../shared/errors.ts';
import { safeEqual } from '../shared/ids.ts';
import { text } from '../shared/input.ts';
import { page } from '../web/render.ts';
import { mailById, recentMail } from './mail.repository.ts';
import { messageOf } from './render.ts';
import './mail.messages.ts';

/**
 * The token of the sandbox's "Correo" page. Not the codes link's token, which the sandbox
 * home page shows to everyone: this page holds password-reset links. Derived from the
 * store's cookie secret, so it is stable across restarts and secret like it.
 */
export function sandboxMailToken(ctx: Ctx): string {
  return createHmac('sha256', ctx.secrets.cookieSecret).update('sandbox-mail').digest('hex').slice(0, 32);
}

export function sandboxMailUrl(ctx: Ctx): string {
  return `${ctx.config.publicUrl}/${ctx.secrets.sandboxPath}/mail?access_token=${sandboxMailToken(ctx)}`;
}

/** A message's HTML as its own document: nothing of it runs, and it cannot frame or reach this site. */
export function sendMailHtml(reply: FastifyReply, html: string) {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'none'")
    .send(html);
}

/** "Correo" in the sandbox: every message the platform wrote, none sent anywhere. */
export async function registerMail(app: FastifyInstance, ctx: Ctx): Promise<void> {
  if (!isSandbox(ctx)) return;
  const base = `/${ctx.secrets.sandboxPath}/mail`;
  const token = sandboxMailToken(ctx);
  const allowed = (request: FastifyRequest) => {
    const given = text((request.query as Record<string, unknown>).access_token);
    if (!given || !safeEqual(given, token)) throw new NotFoundError();
  };
  const web = { config: { web: true } };

  app.get(base, web, async (request, reply) => {
    allowed(request);
    return page(request, reply, 'mail-list', { messages: await recentMail(ctx.store.db), base, token, showBodies: true });
  });

  app.get(`${base}/:id`, web, async (request, reply) => {
    allowed(request);
    const message = await mailById(ctx.store.db, (request.params as { id: string }).id);
    if (!message) throw new NotFoundError();
    return page(request, reply, 'mail-show', { message, text: messageOf(message).text, base, token });
  });

  app.get(`${base}/:id/html`, web, async (request, reply) => {
    allowed(request);
    const message = await mailById(ctx.store.db, (request.params as { id: string }).id);
    if (!message) throw new NotFoundError();
    return sendMailHtml(reply, messageOf(message).html);
  });
}
