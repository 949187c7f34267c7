import type { Ctx } from '../context.ts';
import { writeAudit, type Actor } from '../audit/audit.service.ts';
import { insertEvent, TEST_EVENT_TYPE } from '../callbacks/events.ts';
import {
  isDeliveryStatus, latestCallbackUrl, listDeliveries, requeueDelivery, type LogCursor,
} from '../callbacks/log.repository.ts';
import { enqueueCallback } from '../callbacks/outbox.ts';
import { ownedAppOr404 } from '../apps/apps.settings.service.ts';
import { FormErrors } from '../shared/form.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { randomHex } from '../shared/ids.ts';
import { doc, text } from '../shared/input.ts';
import { webhookOf } from './webhook-settings.service.ts';
import './webhooks.messages.ts';

// The callback log's rules: what a page shows, and the two things its owner can do there:
// put a delivery back in the queue (Reenviar) and send a test (Enviar prueba).

export const TEST_SHAPE = { target: null, url: null } as const;
const merchant = (ownerId: string): Actor => ({ operatorId: ownerId, via: 'merchant' });

export const encodeCursor = (c: LogCursor): string => Buffer.from(`${c.createdAt}.${c.id}`).toString('base64url');

export function decodeCursor(v: unknown): LogCursor | undefined {
  const s = text(v);
  if (!s || s.length > 200) return undefined;
  const m = /^(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(s, 'base64url').toString('latin1'));
  return m ? { createdAt: Number(m[1]), id: m[2] } : undefined;
}

export async function logPage(ctx: Ctx, ownerId: string, appId: string, query: unknown) {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  const q = doc(query);
  const status = isDeliveryStatus(q.status) ? q.status : undefined;
  const cursor = decodeCursor(q.before);
  const webhook = await webhookOf(ctx, app.id);
  const [page, lastUrl] = await Promise.all([
    listDeliveries(ctx.store.db, { id: app.id, webhook_url: webhook.url }, { cursor, status }),
    latestCallbackUrl(ctx.store.db, app.id),
  ]);
  const params = (c?: LogCursor) => {
    const p = new URLSearchParams();
    if (status) p.set('status', status);
    if (c) p.set('before', encodeCursor(c));
    return p.toString();
  };
  return {
    app, webhook, status, deliveries: page.deliveries, paged: Boolean(cursor),
    firstQuery: params(), nextQuery: page.next ? params(page.next) : undefined,
    testUrl: lastUrl ? stripCallbackParams(lastUrl) : app.home_url,
  };
}

/** The return URL a callback was made from, without the parameters the platform appended. */
function stripCallbackParams(url: string): string {
  try {
    const u = new URL(url);
    for (const k of ['paymentIntent', 'payerId']) u.searchParams.delete(k);
    return u.toString();
  } catch {
    return url;
  }
}

/** Reenviar: the delivery is due again now, whatever its state, and signed afresh when sent. */
export async function resendDelivery(ctx: Ctx, ownerId: string, appId: string, deliveryId: string): Promise<void> {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  const now = ctx.clock.now();
  const found = await ctx.store.tx(async (tx) => {
    const kind = await requeueDelivery(tx, app.id, deliveryId.slice(0, 64), now);
    if (kind) {
      await writeAudit(tx, merchant(ownerId), {
        action: 'callback.resend', targetType: 'app', targetId: app.id, details: { app: app.name, kind, delivery: deliveryId },
      }, now);
    }
    return kind;
  });
  if (!found) throw new NotFoundError();
}

export interface TestInput {
  target: string;
  url: string;
}

function checkTestUrl(ctx: Ctx, raw: string, errors: FormErrors): string {
  const url = raw.trim();
  let parsed: URL | undefined;
  try {
    parsed = url.length <= 1000 ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hash) errors.add(['url'], 'cblog.url_invalid');
  else if (ctx.env === 'production' && parsed.protocol !== 'https:') errors.add(['url'], 'cblog.url_https');
  return url;
}

/**
 * Enviar prueba: a callback (GET, signed as the real ones, to the URL given, with
 * paymentIntent=test_...) or a webhook (POST of an event of type "test"), marked with
 * X-Mpandco-Test: 1 and shown in the log like any other delivery.
 */
export async function sendTest(ctx: Ctx, ownerId: string, appId: string, input: TestInput): Promise<void> {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  if (app.status === 'revoked') throw ValidationError.global('apps.revoked_readonly');
  const errors = new FormErrors();
  const target = input.target === 'webhook' ? 'webhook' : 'callback';
  const webhook = await webhookOf(ctx, app.id);
  const url = target === 'callback' ? checkTestUrl(ctx, input.url, errors) : '';
  if (target === 'webhook' && !webhook.url) errors.global('cblog.test_webhook_none');
  errors.throwIfAny(TEST_SHAPE);
  const now = ctx.clock.now();
  const testId = `test_${randomHex(8)}`;
  await ctx.store.tx(async (tx) => {
    if (target === 'callback') {
      const u = new URL(url);
      u.searchParams.set('paymentIntent', testId);
      await enqueueCallback(tx, { intentId: null, appId: app.id, url: u.toString(), nowMs: now, test: true });
    } else {
      await insertEvent(tx, {
        appId: app.id, userId: ownerId, type: TEST_EVENT_TYPE, objectId: testId, nowMs: now,
        data: { id: testId, message: 'Prueba enviada desde el registro de callbacks de mPandco.', app: { client_id: app.client_id, name: app.name } },
      }, 'pending', true);
    }
    await writeAudit(tx, merchant(ownerId), {
      action: 'callback.test', targetType: 'app', targetId: app.id, details: { app: app.name, target, url: target === 'callback' ? url : webhook.url },
    }, now);
  });
}
