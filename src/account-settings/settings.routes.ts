import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { ValidationError } from '../shared/errors.ts';
import { doc, text } from '../shared/input.ts';
import { sha256 } from '../shared/ids.ts';
import { emptyForm, formView, type FormView } from '../onboarding/form-view.ts';
import { requireUser } from '../web/pages.routes.ts';
import { page } from '../web/render.ts';
import { SESSION_COOKIE } from '../web/session.ts';
import { changePassword, changePin } from './password.service.ts';
import { PROFILE_ORDER, profileOf, updateProfile } from './profile.service.ts';
import { sessionsOf, signOutOne, signOutOthers } from './sessions.service.ts';
import { registerRecovery } from './recovery.routes.ts';
import './settings.messages.ts';

const str = (body: Record<string, unknown>, k: string, max = 200) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, max) : '');
const DONE = new Set(['password', 'pin', 'session']);

function currentSession(request: FastifyRequest): string | undefined {
  const id = request.cookies[SESSION_COOKIE.user];
  return id ? sha256(id) : undefined;
}

export async function registerAccountSettings(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const web = { config: { web: true }, preHandler: requireUser };
  // Each of these checks the password: bounded per client like the sign-in.
  const post = { config: { web: true, rateLimit: { max: 20, timeWindow: '1 minute' } }, preHandler: [requireUser, app.csrfProtection] };

  const renderProfile = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown> | undefined, form: FormView, status = 200) => {
    const profile = await profileOf(ctx.store.db, request.pageUser!.id);
    const saved = status === 200 && Boolean((request.query as Record<string, unknown>).saved);
    return page(request, reply, 'settings-profile', {
      profile, values: values ?? { fullName: profile.full_name, email: profile.email, phone: profile.phone, locale: profile.locale }, form, saved,
    }, status);
  };

  const renderSecurity = async (request: FastifyRequest, reply: FastifyReply, forms: { password?: FormView; pin?: FormView } = {}, status = 200) => {
    const done = text((request.query as Record<string, unknown>).done);
    return page(request, reply, 'settings-security', {
      sessions: await sessionsOf(ctx.store.db, request.pageUser!.id, ctx.clock.now()), current: currentSession(request),
      passwordForm: forms.password ?? emptyForm(), pinForm: forms.pin ?? emptyForm(), done: status === 200 && done && DONE.has(done) ? done : undefined,
    }, status);
  };

  app.get('/settings/profile', web, async (request, reply) => renderProfile(request, reply, undefined, emptyForm()));

  app.post('/settings/profile', post, async (request, reply) => {
    const body = doc(request.body);
    const input = { fullName: str(body, 'fullName'), email: str(body, 'email', 300), phone: str(body, 'phone', 40), locale: str(body, 'locale', 5), password: str(body, 'password') };
    try {
      await updateProfile(ctx, request.pageUser!.id, input);
      return reply.redirect('/settings/profile?saved=1', 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderProfile(request, reply, { ...input, password: '' }, formView(e.tree, request.locale, PROFILE_ORDER), 400);
    }
  });

  app.get('/settings/password', web, async (request, reply) => renderSecurity(request, reply));

  app.post('/settings/password', post, async (request, reply) => {
    const body = doc(request.body);
    try {
      await changePassword(ctx, request.pageUser!.id, currentSession(request), {
        currentPassword: str(body, 'currentPassword'), newPassword: str(body, 'newPassword'), confirmPassword: str(body, 'confirmPassword'),
      });
      return reply.redirect('/settings/password?done=password', 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderSecurity(request, reply, { password: formView(e.tree, request.locale, ['currentPassword', 'newPassword', 'confirmPassword']) }, 400);
    }
  });

  app.post('/settings/pin', post, async (request, reply) => {
    const body = doc(request.body);
    try {
      await changePin(ctx, request.pageUser!.id, { password: str(body, 'password'), newPin: str(body, 'newPin', 8), confirmPin: str(body, 'confirmPin', 8) });
      return reply.redirect('/settings/password?done=pin', 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderSecurity(request, reply, { pin: formView(e.tree, request.locale, ['password', 'newPin', 'confirmPin']) }, 400);
    }
  });

  app.post('/settings/sessions/end', post, async (request, reply) => {
    const session = str(doc(request.body), 'session', 64);
    await signOutOne(ctx.store.autocommit, request.pageUser!.id, session);
    if (session === currentSession(request)) return reply.clearCookie(SESSION_COOKIE.user, { path: '/' }).redirect('/login?out=1', 303);
    return reply.redirect('/settings/password?done=session', 303);
  });

  app.post('/settings/sessions/end-all', post, async (request, reply) => {
    await signOutOthers(ctx.store.autocommit, request.pageUser!.id, undefined);
    return reply.clearCookie(SESSION_COOKIE.user, { path: '/' }).redirect('/login?out=1', 303);
  });

  await registerRecovery(app, ctx);
}
