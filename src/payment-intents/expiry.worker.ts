import type { Ctx } from '../context.ts';
import { pollLoop } from '../background/poll-loop.ts';
import { advancedClocks } from '../test-mode/test-clock.ts';
import { expireDue as expireIntents } from './intent.machine.ts';

export const EXPIRY_POLL_MS = 30_000;

/**
 * Intents still waiting (created or authorized) past expires_at become `canceled`. Every
 * state change already treats them so under its row lock; this pass makes the stored
 * state say it too. One conditional UPDATE: an intent executed meanwhile is left alone.
 * In the sandbox, each account whose test clock runs ahead gets one more, on its own
 * intents at its own time.
 */
export async function expireDue(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now();
  const clocks = await advancedClocks(ctx);
  return ctx.store.tx(async (tx) => {
    let n = await expireIntents(tx, now);
    for (const c of clocks) n += await expireIntents(tx, now + c.offsetMs, c.ownerUserId);
    return n;
  });
}

export function startExpiryWorker(ctx: Ctx): () => Promise<void> {
  return pollLoop(ctx, 'intent-expiry', EXPIRY_POLL_MS, () => expireDue(ctx));
}
