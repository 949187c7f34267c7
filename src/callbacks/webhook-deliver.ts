import type { Ctx } from '../context.ts';
import { apiDate } from '../shared/clock.ts';
import { outcomeOf, sendOnce } from './attempt.ts';
import { count, defaultWorkerId, DELIVERY_BATCH, LEASE_MS, type DeliverOptions, type DeliveryReport } from './deliver.ts';
import { claimEvent, dueEventIds, eventForDelivery, recordWebhookAttempt } from './events.repository.ts';
import { EVENT_HEADER, SIGNATURE_HEADER, TEST_HEADER, webhookSignatureHeader } from './signature.ts';
import { webhookUrlProblem } from './url-guard.ts';

// Webhooks: each pending event is POSTed to its app's endpoint as JSON, signed over the raw
// body, retried with the callbacks' backoff for 24 hours. The endpoint and secret are read
// when the attempt is made, so a corrected URL or a rotated secret applies to the retries.

export interface WebhookEvent {
  id: string;
  type: string;
  created_at: number;
  data_json: string;
}

/** The body, byte for byte what is signed: `data` is spliced in as stored. */
export function webhookBody(ev: WebhookEvent, environment: string): string {
  return `{"id":${JSON.stringify(ev.id)},"type":${JSON.stringify(ev.type)},"created_at":${JSON.stringify(apiDate(Number(ev.created_at)))},`
    + `"environment":${JSON.stringify(environment)},"data":${ev.data_json}}`;
}

export function webhookHeaders(ev: Pick<WebhookEvent, 'id'> & { test?: number }, secret: string, body: string, nowMs: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    [SIGNATURE_HEADER]: webhookSignatureHeader(secret, body, nowMs),
    [EVENT_HEADER]: ev.id,
    ...(ev.test ? { [TEST_HEADER]: '1' } : {}),
    'user-agent': 'mPandco-Webhooks/1.0',
    accept: '*/*',
  };
}

async function attemptOne(ctx: Ctx, id: string, workerId: string, opts: DeliverOptions) {
  const ev = await eventForDelivery(ctx.store.db, id);
  if (!ev || ev.locked_by !== workerId) return undefined;
  const startedAt = ctx.clock.now();
  const url = ev.webhook_url ?? '';
  const body = webhookBody(ev, ctx.env);
  const problem = !ev.webhook_url || !ev.webhook_secret ? 'refused: the app has no webhook endpoint'
    : webhookUrlProblem(url, ctx.env === 'production') ? 'refused: the webhook endpoint is not allowed here' : undefined;
  const result = await sendOnce(ctx, {
    url, method: 'POST', body, refusal: problem, headers: problem ? {} : webhookHeaders(ev, ev.webhook_secret!, body, startedAt),
  }, opts);
  const outcome = outcomeOf(ctx, result, ev, opts.random);
  await ctx.store.tx((tx) => recordWebhookAttempt(tx, workerId, {
    eventId: ev.id, url, statusCode: result.statusCode, body: result.body, error: result.error, errorKind: result.errorKind,
    durationMs: result.durationMs, at: startedAt,
  }, outcome));
  if (outcome.status === 'failed') ctx.log.warn({ event: ev.id, type: ev.type, error: result.error }, 'webhook given up');
  return outcome.status;
}

/** Delivers the webhooks that are due now, once each; the callbacks' worker calls this too. */
export async function deliverDueWebhooks(ctx: Ctx, opts: DeliverOptions = {}): Promise<DeliveryReport> {
  const workerId = opts.workerId ?? defaultWorkerId();
  const now = ctx.clock.now();
  const limit = opts.limit ?? DELIVERY_BATCH;
  const ids = await dueEventIds(ctx.store.db, now, limit);
  const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0, skipped: 0, full: ids.length === limit };
  await Promise.all(ids.map(async (id) => {
    if (!(await ctx.store.tx((tx) => claimEvent(tx, id, workerId, now, LEASE_MS)))) {
      report.skipped++;
      return;
    }
    count(report, await attemptOne(ctx, id, workerId, opts));
  }));
  return report;
}
