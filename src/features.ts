import type { FastifyInstance } from 'fastify';
import type { Ctx } from './context.ts';
import { registerOAuth } from './oauth/oauth.routes.ts';
import { registerCheckout } from './checkout/checkout.routes.ts';

/** Each feature folder contributes one registration function. Order matters only for hooks. */
export type Feature = (app: FastifyInstance, ctx: Ctx) => Promise<void> | void;

export const FEATURES: Feature[] = [
  registerOAuth,
  registerCheckout,
];
