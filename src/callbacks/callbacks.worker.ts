import type { Ctx } from '../context.ts';
import { defaultWorkerId, deliverDue } from './deliver.ts';
import { deliverDueWebhooks } from './webhook-deliver.ts';
import { pollLoop, type Loop } from '../background/poll-loop.ts';

export const CALLBACK_POLL_MS = 1000;

/** Delivers due merchant callbacks and webhooks about every second; returns the stop function. */
export function startCallbackWorker(ctx: Ctx): Loop {
  const workerId = defaultWorkerId();
  return pollLoop(ctx, 'callbacks', CALLBACK_POLL_MS, async () => {
    const [callbacks, webhooks] = await Promise.all([deliverDue(ctx, { workerId }), deliverDueWebhooks(ctx, { workerId })]);
    return callbacks.delivered + callbacks.retrying + callbacks.failed + webhooks.delivered + webhooks.retrying + webhooks.failed;
  });
}
