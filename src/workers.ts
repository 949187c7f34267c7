import type { Ctx } from './context.ts';
import { payoutSettlementWorker } from './payouts/payout.routes.ts';
import { tokenPurgeWorker } from './oauth/purge.ts';
import { startCallbackWorker } from './callbacks/callbacks.worker.ts';
import { startExpiryWorker } from './billing/expiry.worker.ts';

/** Background loops started with each environment's listener (callback delivery, expiry...). */
export type Worker = (ctx: Ctx) => () => Promise<void>;

export const BACKGROUND_WORKERS: Worker[] = [
  (ctx) => payoutSettlementWorker(ctx),
  (ctx) => tokenPurgeWorker(ctx),
  (ctx) => startCallbackWorker(ctx),
  (ctx) => startExpiryWorker(ctx),
];
