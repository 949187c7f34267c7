import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { NotFoundError } from '../shared/errors.ts';
import { page } from '../web/render.ts';
import { requireUser } from '../web/pages.routes.ts';
import { emptyForm, type FormView } from '../onboarding/form-view.ts';
import { distributionsOf } from './apps.repository.ts';
import { ownedAppOr404 } from './apps.settings.service.ts';
import { latestRequests } from './app-requests.service.ts';
import { clockOffset, formatClockOffset } from '../test-mode/test-clock.ts';

// What the app pages share: who may open them, and the app's page with its forms.

/** Settings > Aplicaciones oAuth exist only for business accounts; for others they do not exist. */
export async function requireBusiness(request: FastifyRequest, reply: FastifyReply) {
  if (!request.pageUser) return requireUser(request, reply);
  if (request.pageUser.kind !== 'business') throw new NotFoundError();
}

export const appId = (request: FastifyRequest) => String((request.params as { id: string }).id);

export interface ShowExtra {
  secret?: string;
  notice?: string;
  distForm?: FormView;
  distValue?: string;
  logoForm?: FormView;
  billingForm?: FormView;
}

export async function renderApp(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, id: string, extra: ShowExtra = {}, status = 200) {
  const app = await ownedAppOr404(ctx, request.pageUser!.id, id);
  const [distributions, requests, testClock] = await Promise.all([
    distributionsOf(ctx.store.db, app.id), latestRequests(ctx.store.db, app.id), sandboxClock(ctx, request.pageUser!.id),
  ]);
  return page(request, reply, 'apps-show', {
    app, distributions, requests, testClock, redirectUris: JSON.parse(app.redirect_uris) as string[],
    distForm: emptyForm(), logoForm: emptyForm(), billingForm: emptyForm(), ...extra,
  }, status);
}

/** The account's sandbox test clock, shown (and advanced) on each of its apps' pages; none in production. */
async function sandboxClock(ctx: Ctx, ownerUserId: string) {
  if (ctx.env !== 'sandbox') return undefined;
  const offsetMs = await clockOffset(ctx.store.db, ownerUserId);
  return { offsetMs, offset: formatClockOffset(offsetMs), nowMs: ctx.clock.now() + offsetMs };
}

/** The secret travels to the next page sealed in a one-time cookie: a reload of that page never posts again. */
export const secretPath = (id: string) => `/settings/apps/${encodeURIComponent(id)}`;
