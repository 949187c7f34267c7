import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { isSandbox } from '../context.ts';
import { ValidationError } from '../shared/errors.ts';
import { doc, text } from '../shared/input.ts';
import { page } from '../web/render.ts';
import { startSession } from '../web/session.ts';
import { sandboxUrls } from '../context.ts';
import { emptyForm, formView, type FormView } from './form-view.ts';
import { registerAccount, REGISTER_ORDER, type AccountKind, type RegistrationInput } from './register.service.ts';

const KINDS: Record<string, AccountKind> = { personal: 'personal', business: 'business' };

function renderForm(
  ctx: Ctx, request: FastifyRequest, reply: FastifyReply, kind: AccountKind,
  values: Record<string, string>, form: FormView, status = 200,
) {
  return page(request, reply, 'register-form', {
    kind, values, form, codesUrl: isSandbox(ctx) ? sandboxUrls(ctx).codes : null,
  }, status);
}

/** Password and PIN are read as given (not trimmed) and never echoed back to the page. */
function readInput(kind: AccountKind, body: Record<string, unknown>): { input: RegistrationInput; values: Record<string, string> } {
  const raw = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, 200) : '');
  const values: Record<string, string> = {};
  for (const k of ['username', 'fullName', 'businessName', 'document', 'phone', 'email', 'affiliationCode']) values[k] = text(body[k])?.slice(0, 200) ?? '';
  const input: RegistrationInput = {
    kind, username: values.username, password: raw('password'), fullName: values.fullName,
    businessName: kind === 'business' ? values.businessName : undefined,
    document: values.document, phone: values.phone, email: values.email, pin: raw('pin'),
    affiliationCode: kind === 'business' ? values.affiliationCode : undefined,
  };
  return { input, values };
}

export async function registerOnboarding(app: FastifyInstance, ctx: Ctx): Promise<void> {

  app.get('/register', { config: { web: true } }, async (request, reply) => {
    if (request.pageUser) return reply.redirect('/wallet', 303);
    return page(request, reply, 'register-choose', { codesUrl: isSandbox(ctx) ? sandboxUrls(ctx).codes : null });
  });

  app.get('/register/:kind', { config: { web: true } }, async (request, reply) => {
    const kind = KINDS[(request.params as { kind: string }).kind];
    if (!kind) return reply.callNotFound();
    if (request.pageUser) return reply.redirect('/wallet', 303);
    const code = text((request.query as Record<string, unknown>).code)?.slice(0, 8) ?? '';
    return renderForm(ctx, request, reply, kind, { affiliationCode: code }, emptyForm());
  });

  app.post('/register/:kind', {
    config: { web: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
    preHandler: app.csrfProtection,
  }, async (request, reply) => {
    const kind = KINDS[(request.params as { kind: string }).kind];
    if (!kind) return reply.callNotFound();
    const { input, values } = readInput(kind, doc(request.body));
    try {
      const { userId } = await registerAccount(ctx, input);
      await startSession(ctx, reply, userId, 'user');
      return reply.redirect(kind === 'business' ? '/settings/apps?welcome=1' : '/wallet', 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderForm(ctx, request, reply, kind, values, formView(e.tree, request.locale, REGISTER_ORDER), 400);
    }
  });
}
