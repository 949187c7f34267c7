import type { Ctx } from '../context.ts';
import { pollLoop } from '../background/poll-loop.ts';
import { expireDue as expireIntents } from './intent.machine.ts';

export const EXPIRY_POLL_MS = 30_000;

/**
 * Intents still waiting (created or authorized) past expires_at become `canceled`. Every
 * state change already treats them so under its row lock; this pass makes the stored
 * state say it too. One conditional UPDATE: an intent executed meanwhile is left alone.
 */
export async function expireDue(ctx: Ctx): Promise<number> {
  return ctx.store.tx((tx) => expireIntents(tx, ctx.clock.now()));
}

export function startExpiryWorker(ctx: Ctx): () => Promise<void> {
  return pollLoop(ctx, 'intent-expiry', EXPIRY_POLL_MS, () => expireDue(ctx));
}
