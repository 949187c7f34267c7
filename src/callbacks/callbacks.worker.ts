import type { Ctx } from '../context.ts';
import { defaultWorkerId, deliverDue } from './deliver.ts';
import { deliverDueWebhooks } from './webhook-deliver.ts';
import { pollLoop, type Loop } from '../background/poll-loop.ts';

export const CALLBACK_POLL_MS = 1000;

/**
 * Delivers due merchant callbacks and webhooks about every second, and batch after batch while
 * a pass finds a whole batch of either due; returns the stop function.
 */
export function startCallbackWorker(ctx: Ctx, intervalMs = CALLBACK_POLL_MS): Loop {
  const workerId = defaultWorkerId();
  return pollLoop(ctx, 'callbacks', intervalMs, async () => {
    const [callbacks, webhooks] = await Promise.all([deliverDue(ctx, { workerId }), deliverDueWebhooks(ctx, { workerId })]);
    return callbacks.full || webhooks.full;
  }, { again: (more) => more });
}
