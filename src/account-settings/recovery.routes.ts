import type { FastifyInstance } from 'fastify';
import { isSandbox, type Ctx } from '../context.ts';
import { ValidationError } from '../shared/errors.ts';
import { doc, text } from '../shared/input.ts';
import { emptyForm, formView } from '../onboarding/form-view.ts';
import { setFlash, takeFlash } from '../web/flash.ts';
import { page } from '../web/render.ts';
import { requestPasswordReset, resetIsValid, resetPassword } from './recovery.service.ts';
import './settings.messages.ts';

const str = (v: unknown, max = 200) => (typeof v === 'string' ? v.slice(0, max) : '');

/** "¿Olvidó su contraseña?": an e-mailed link, good once for 30 minutes. */
export async function registerRecovery(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const web = { config: { web: true } };
  const sentPath = '/forgot-password/sent';

  app.get('/forgot-password', web, async (request, reply) => page(request, reply, 'forgot-password', { values: {}, form: emptyForm() }));

  app.post('/forgot-password', {
    // Per client, whatever address it asks about; each account also gets few links an hour.
    config: { web: true, rateLimit: { max: 5, timeWindow: '15 minutes' } }, preHandler: app.csrfProtection,
  }, async (request, reply) => {
    const email = str(doc(request.body).email, 300);
    try {
      const asked = await requestPasswordReset(ctx, email);
      setFlash(ctx, reply, 'forgot', sentPath, { email: asked });
      return reply.redirect(sentPath, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return page(request, reply, 'forgot-password', { values: { email }, form: formView(e.tree, request.locale, ['email']) }, 400);
    }
  });

  app.get(sentPath, web, async (request, reply) => {
    const flash = takeFlash(ctx, request, reply, 'forgot', sentPath);
    return page(request, reply, 'forgot-sent', { email: flash?.email, sandboxNote: isSandbox(ctx) });
  });

  app.get('/reset-password', web, async (request, reply) => {
    const token = text((request.query as Record<string, unknown>).token) ?? '';
    if (!(await resetIsValid(ctx, token))) return page(request, reply, 'reset-password', { invalid: true }, 410);
    return page(request, reply, 'reset-password', { token, form: emptyForm() });
  });

  app.post('/reset-password', {
    config: { web: true, rateLimit: { max: 10, timeWindow: '1 minute' } }, preHandler: app.csrfProtection,
  }, async (request, reply) => {
    const body = doc(request.body);
    const token = str(body.token, 100);
    try {
      const done = await resetPassword(ctx, token, str(body.newPassword), str(body.confirmPassword));
      if (!done) return page(request, reply, 'reset-password', { invalid: true }, 410);
      return reply.redirect('/reset-password/done', 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return page(request, reply, 'reset-password', { token, form: formView(e.tree, request.locale, ['newPassword', 'confirmPassword']) }, 400);
    }
  });

  app.get('/reset-password/done', web, async (request, reply) => page(request, reply, 'reset-password', { done: true }));
}
