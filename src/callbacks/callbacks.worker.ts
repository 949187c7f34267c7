import type { Ctx } from '../context.ts';
import { defaultWorkerId, deliverDue } from './deliver.ts';
import { pollLoop, type Loop } from '../background/poll-loop.ts';

export const CALLBACK_POLL_MS = 1000;

/** Delivers due merchant callbacks about every second; returns the stop function. */
export function startCallbackWorker(ctx: Ctx): Loop {
  const workerId = defaultWorkerId();
  return pollLoop(ctx, 'callbacks', CALLBACK_POLL_MS, () => deliverDue(ctx, { workerId }));
}
