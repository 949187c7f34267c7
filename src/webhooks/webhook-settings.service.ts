import type { Ctx } from '../context.ts';
import { writeAudit, type Actor } from '../audit/audit.service.ts';
import { chosenEventTypes, EVENT_TYPES, isEventType, storedEventTypes, type EventType } from '../callbacks/events.ts';
import { webhookUrlProblem } from '../callbacks/url-guard.ts';
import { ownedAppOr404 } from '../apps/apps.settings.service.ts';
import { FormErrors } from '../shared/form.ts';
import { randomToken } from '../shared/ids.ts';
import { ValidationError } from '../shared/errors.ts';
import './webhooks.messages.ts';

// An app's webhook, set by its owner: an endpoint, the event types it wants and the secret
// that signs each delivery. Types chosen without an endpoint are still recorded (the events
// API and `mpandco listen` read them); nothing is recorded for an app that chose none.

export const WEBHOOK_SHAPE = { url: null, events: null } as const;

const merchant = (ownerId: string): Actor => ({ operatorId: ownerId, via: 'merchant' });
export const newWebhookSecret = (): string => `whsec_${randomToken(24)}`;

export interface WebhookInput {
  url: string;
  events: string[];
}

export async function webhookOf(ctx: Ctx, appId: string) {
  const row = await ctx.store.db.selectFrom('apps').select(['webhook_url', 'webhook_secret', 'webhook_events', 'events_listen_until'])
    .where('id', '=', appId).executeTakeFirstOrThrow();
  return {
    url: row.webhook_url ?? null, secret: row.webhook_secret ?? null, events: chosenEventTypes(row.webhook_events),
    listening: Number(row.events_listen_until ?? 0) > ctx.clock.now(),
  };
}

export async function webhookPage(ctx: Ctx, ownerId: string, appId: string) {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  return { app, webhook: await webhookOf(ctx, app.id), types: EVENT_TYPES };
}

function check(ctx: Ctx, input: WebhookInput): { url: string | null; events: EventType[] } {
  const errors = new FormErrors();
  const url = input.url.trim();
  if (url.length > 1000) errors.add(['url'], 'common.too_long');
  else if (url) {
    const problem = webhookUrlProblem(url, ctx.env === 'production');
    if (problem) errors.add(['url'], `webhook.url_${problem}`);
  }
  const events = [...new Set(input.events)];
  if (events.some((e) => !isEventType(e))) errors.add(['events'], 'webhook.event_unknown');
  if (url && events.length === 0) errors.add(['events'], 'webhook.events_required');
  errors.throwIfAny(WEBHOOK_SHAPE);
  return { url: url || null, events: events.filter(isEventType) };
}

/** Saves the endpoint and types; the first endpoint gets its signing secret. */
export async function saveWebhook(ctx: Ctx, ownerId: string, appId: string, input: WebhookInput): Promise<void> {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  if (app.status === 'revoked') throw ValidationError.global('apps.revoked_readonly');
  const { url, events } = check(ctx, input);
  const before = await webhookOf(ctx, app.id);
  const now = ctx.clock.now();
  await ctx.store.tx(async (tx) => {
    await tx.updateTable('apps').set({
      webhook_url: url, webhook_events: storedEventTypes(events), updated_at: now,
      ...(before.secret ? {} : { webhook_secret: newWebhookSecret() }),
    }).where('id', '=', app.id).where('owner_user_id', '=', ownerId).execute();
    await writeAudit(tx, merchant(ownerId), {
      action: 'webhook.update', targetType: 'app', targetId: app.id,
      details: { app: app.name, url: { from: before.url, to: url }, events: { from: before.events, to: events } },
    }, now);
  });
}

/** A new signing secret: deliveries from now on (retries included) are signed with it. */
export async function rotateWebhookSecret(ctx: Ctx, ownerId: string, appId: string): Promise<void> {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  if (app.status === 'revoked') throw ValidationError.global('apps.revoked_readonly');
  const now = ctx.clock.now();
  await ctx.store.tx(async (tx) => {
    await tx.updateTable('apps').set({ webhook_secret: newWebhookSecret(), updated_at: now }).where('id', '=', app.id).execute();
    await writeAudit(tx, merchant(ownerId), { action: 'webhook.rotate_secret', targetType: 'app', targetId: app.id, details: { app: app.name } }, now);
  });
}

/** No endpoint and no types: the app records no more events (those recorded stay readable). */
export async function removeWebhook(ctx: Ctx, ownerId: string, appId: string): Promise<void> {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  const before = await webhookOf(ctx, app.id);
  const now = ctx.clock.now();
  await ctx.store.tx(async (tx) => {
    await tx.updateTable('apps').set({ webhook_url: null, webhook_events: '', updated_at: now }).where('id', '=', app.id).execute();
    await writeAudit(tx, merchant(ownerId), {
      action: 'webhook.remove', targetType: 'app', targetId: app.id, details: { app: app.name, url: before.url, events: before.events },
    }, now);
  });
}
