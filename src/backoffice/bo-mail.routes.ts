import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { mailById, recentMail } from '../mail/mail.repository.ts';
import { sendMailHtml } from '../mail/mail.routes.ts';
import { messageOf } from '../mail/render.ts';
import { NotFoundError } from '../shared/errors.ts';
import { boPage } from './bo-page.ts';
import { idOf, WEB } from './bo-queue.ts';
import './bo-wallet.messages.ts';


/** The outbox as operators see it: delivery of every message, and the text of those kept here. */
export async function registerBoMail(op: FastifyInstance, ctx: Ctx): Promise<void> {
  const mailBase = '/backoffice/mail';
  op.get('/mail', WEB, async (request, reply) => boPage(request, reply, 'mail-list', {
    bo: true, base: mailBase, messages: await recentMail(ctx.store.db), showBodies: false,
  }));
  // Bodies only of messages kept here: with SMTP they went to the person, reset links too.
  const storedMail = async (request: FastifyRequest) => {
    const m = await mailById(ctx.store.db, idOf(request));
    if (!m || m.transport !== 'stored') throw new NotFoundError();
    return m;
  };
  op.get('/mail/:id', WEB, async (request, reply) => {
    const message = await storedMail(request);
    return boPage(request, reply, 'mail-show', { bo: true, base: mailBase, message, text: messageOf(message).text });
  });
  op.get('/mail/:id/html', WEB, async (request, reply) => sendMailHtml(reply, messageOf(await storedMail(request)).html));
}
