import type { Ctx } from '../context.ts';
import { nextAttemptAt } from '../callbacks/backoff.ts';
import { defaultWorkerId } from '../callbacks/deliver.ts';
import { messageOf } from './render.ts';
import { transportFor } from './transport.ts';

/** Longer than any SMTP exchange, so a lease never ends while its message is being sent. */
export const MAIL_LEASE_MS = 120_000;
/** Messages a pass marks kept at once when nothing leaves (one UPDATE), and sends one by one over SMTP. */
export const STORED_BATCH = 500;
export const SEND_BATCH = 20;

export interface MailReport {
  sent: number;
  retrying: number;
  failed: number;
  /** Due messages another worker held. */
  skipped: number;
  /** The pass took a whole batch: more may be due at once (the worker passes again without waiting). */
  full: boolean;
}

/**
 * Sends the messages that are due, each once: a conditional UPDATE takes the lease, so of
 * several workers (processes) exactly one sends a message. A failure is retried with the
 * callbacks' back-off (30 s doubling to 2 h) and given up after 24 hours.
 */
export async function deliverMail(ctx: Ctx, opts: { workerId?: string; limit?: number; random?: () => number } = {}): Promise<MailReport> {
  const workerId = opts.workerId ?? defaultWorkerId();
  const db = ctx.store.autocommit;
  const now = ctx.clock.now();
  const report: MailReport = { sent: 0, retrying: 0, failed: 0, skipped: 0, full: false };
  const transport = transportFor(ctx);
  if (transport.name === 'stored') {
    // Nothing leaves: the outbox is the mailbox. One statement marks a whole pass kept,
    // instead of a claim and a release (two commits) per message on the payment path's heels.
    // On PostgreSQL the workers of other processes skip the rows one pass holds: two passes
    // over the same messages in different orders would otherwise deadlock.
    const due = db.selectFrom('mail_outbox').select('id')
      .where('status', '=', 'pending').where('next_attempt_at', '<=', now).where('locked_until', '<', now)
      .orderBy('next_attempt_at').orderBy('id').limit(opts.limit ?? STORED_BATCH)
      .$if(ctx.store.dialect === 'postgres', (q) => q.forUpdate().skipLocked());
    const r = await db.updateTable('mail_outbox')
      .set((eb) => ({ status: 'sent', transport: 'stored', sent_at: now, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', due).where('status', '=', 'pending').executeTakeFirst();
    report.sent = Number(r.numUpdatedRows);
    report.full = report.sent === (opts.limit ?? STORED_BATCH);
    return report;
  }
  const due = await db.selectFrom('mail_outbox').select('id')
    .where('status', '=', 'pending').where('next_attempt_at', '<=', now).where('locked_until', '<', now)
    .orderBy('next_attempt_at').orderBy('id').limit(opts.limit ?? SEND_BATCH).execute();
  report.full = due.length === (opts.limit ?? SEND_BATCH);
  for (const { id } of due) {
    const claimed = await db.updateTable('mail_outbox')
      .set((eb) => ({ locked_by: workerId, locked_until: now + MAIL_LEASE_MS, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id).where('status', '=', 'pending').where('locked_until', '<', now)
      .returning(['id', 'kind', 'locale', 'to_address', 'subject', 'text_body', 'html_body', 'params', 'attempts', 'created_at']).executeTakeFirst();
    if (!claimed) {
      report.skipped++;
      continue;
    }
    let error: string | null = null;
    try {
      const { subject, text, html } = messageOf(claimed);
      await transport.send({ id, to: claimed.to_address, subject, text, html });
    } catch (e) {
      error = ((e as Error).message || String(e)).slice(0, 500);
    }
    const at = ctx.clock.now();
    const next = error === null ? null : nextAttemptAt(Number(claimed.created_at), at, Number(claimed.attempts), opts.random);
    const status = error === null ? 'sent' : next === null ? 'failed' : 'pending';
    await db.updateTable('mail_outbox').set({
      status, transport: error === null ? transport.name : null, last_error: error, locked_by: null, locked_until: 0,
      ...(status === 'sent' ? { sent_at: at } : {}), ...(next !== null ? { next_attempt_at: next } : {}),
    }).where('id', '=', id).where('locked_by', '=', workerId).execute();
    if (status === 'sent') report.sent++;
    else if (status === 'pending') report.retrying++;
    else {
      report.failed++;
      ctx.log.warn({ mail: id, error }, 'e-mail given up');
    }
  }
  return report;
}
