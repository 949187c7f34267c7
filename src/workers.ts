import type { Worker } from './background/poll-loop.ts';
import { startCallbackWorker } from './callbacks/callbacks.worker.ts';
import { tokenPurgeWorker } from './oauth/purge.ts';
import { startExpiryWorker } from './payment-intents/expiry.worker.ts';
import { payoutSettlementWorker } from './payouts/payout.worker.ts';
import { mailWorker } from './mail/mail.worker.ts';
import { requestLogPurgeWorker } from './request-log/request-log.purge.ts';

/** Background loops started with each environment's listener, each through pollLoop. */
export const BACKGROUND_WORKERS: Worker[] = [payoutSettlementWorker, tokenPurgeWorker, startCallbackWorker, startExpiryWorker, mailWorker, requestLogPurgeWorker];
