import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { t, type Locale } from '../shared/i18n.ts';
import { displayMoney } from '../shared/money.ts';
import { apiDate } from '../shared/clock.ts';
import './web.messages.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const VIEWS_DIR = path.join(here, 'views');
export const STATIC_DIR = path.join(here, 'static');

const eta = new Eta({ views: VIEWS_DIR, cache: process.env.NODE_ENV !== 'development', autoEscape: true });

export interface PageUser {
  id: string;
  username: string;
  fullName: string;
  kind: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    pageUser?: PageUser;
    ctx: Ctx;
  }
}

/** Renders a view without the layout, to be placed inside another page (wallet notices, lists). */
export function renderFragment(locale: Locale, view: string, data: Record<string, unknown>): string {
  return eta.render(view, {
    ...data,
    locale,
    t: (key: string, params?: Record<string, string | number>) => t(locale, key, params),
    money: (minor: number) => displayMoney(minor, locale),
    date: (ms: number) => apiDate(ms),
  });
}

/** Renders a view inside the layout with what every page needs. */
export async function page(
  request: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown> = {}, status = 200,
): Promise<FastifyReply> {
  const locale = request.locale;
  const csrf = reply.generateCsrf();
  const html = eta.render(view, {
    ...data,
    locale,
    env: request.ctx.env,
    sandbox: request.ctx.env === 'sandbox',
    user: request.pageUser,
    csrf,
    path: request.url,
    t: (key: string, params?: Record<string, string | number>) => t(locale, key, params),
    money: (minor: number) => displayMoney(minor, locale),
    date: (ms: number) => apiDate(ms),
  });
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

export function renderWebError(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  return page(request, reply, 'error', { status, message }, status);
}
