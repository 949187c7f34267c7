import { pollLoop, type Worker } from '../background/poll-loop.ts';
import { settleDue } from './payout.service.ts';

export const PAYOUT_SETTLEMENT_POLL_MS = 60_000;

/** Settles interbank batches once their 24 hours have passed. */
export const payoutSettlementWorker: Worker = (ctx) =>
  pollLoop(ctx, 'payout-settlement', PAYOUT_SETTLEMENT_POLL_MS, () => settleDue(ctx));
