import { pollLoop, type Worker } from '../background/poll-loop.ts';
import { defaultWorkerId } from '../callbacks/deliver.ts';
import { deliverMail } from './deliver.ts';

export const MAIL_POLL_MS = 1000;

/** Sends queued e-mail about every second. */
export const mailWorker: Worker = (ctx) => {
  const workerId = defaultWorkerId();
  return pollLoop(ctx, 'mail', MAIL_POLL_MS, () => deliverMail(ctx, { workerId }));
};
