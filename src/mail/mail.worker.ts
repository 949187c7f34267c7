import { pollLoop, type Worker } from '../background/poll-loop.ts';
import { defaultWorkerId } from '../callbacks/deliver.ts';
import { deliverMail } from './deliver.ts';

export const MAIL_POLL_MS = 1000;

/** Sends queued e-mail about every second, and batch after batch while a pass finds a whole one due. */
export const mailWorker: Worker = (ctx) => {
  const workerId = defaultWorkerId();
  return pollLoop(ctx, 'mail', MAIL_POLL_MS, () => deliverMail(ctx, { workerId }), { again: (report) => report.full });
};
