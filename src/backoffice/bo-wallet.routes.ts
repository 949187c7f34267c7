import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { registerBoMail } from './bo-mail.routes.ts';
import { registerBoTopups } from './bo-topups.routes.ts';
import { registerBoWithdrawals } from './bo-withdrawals.routes.ts';

/** The back office's money queues (top-ups, withdrawals) and the e-mail outbox. */
export async function registerBoWallet(op: FastifyInstance, ctx: Ctx): Promise<void> {
  await registerBoTopups(op, ctx);
  await registerBoWithdrawals(op, ctx);
  await registerBoMail(op, ctx);
}
