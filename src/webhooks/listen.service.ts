import type { Ctx } from '../context.ts';
import { webhookBody, webhookHeaders } from '../callbacks/webhook-deliver.ts';
import { clockOffset } from '../test-mode/test-clock.ts';
import { newWebhookSecret } from './webhook-settings.service.ts';

// `mpandco listen` on the sandbox's store: while a session runs it keeps a lease on the app
// (events_listen_until), so every event type is recorded even without a webhook, and it
// reads the new events in the order they were written.

/** How long a session's lease lasts; the command renews it well before. */
export const LISTEN_LEASE_MS = 60_000;

export interface ListenApp {
  id: string;
  client_id: string;
  name: string;
  secret: string;
}

export type AppChoice = { clientId?: string; appId?: string };

/** The app by client id or id; without either, the demo business's app, or the store's only app. */
export async function findApp(ctx: Ctx, choice: AppChoice): Promise<{ id: string; client_id: string; name: string } | undefined> {
  const q = ctx.store.db.selectFrom('apps as a').innerJoin('users as u', 'u.id', 'a.owner_user_id')
    .select(['a.id', 'a.client_id', 'a.name']).where('a.status', '=', 'active');
  if (choice.clientId) return q.where('a.client_id', '=', choice.clientId).executeTakeFirst();
  if (choice.appId) return q.where('a.id', '=', choice.appId).executeTakeFirst();
  const demo = await q.where('u.username', '=', 'demo01').orderBy('a.created_at').limit(1).executeTakeFirst();
  if (demo) return demo;
  const all = await q.limit(2).execute();
  return all.length === 1 ? all[0] : undefined;
}

/**
 * Takes (or renews) the session's lease; gives the app a webhook signing secret if it has none.
 * The lease is read against the time of the owner's intents, which a sandbox test clock may
 * run ahead: it ends that far ahead too.
 */
export async function renewListening(ctx: Ctx, appId: string): Promise<string> {
  return ctx.store.tx(async (tx) => {
    const { owner_user_id: owner } = await tx.selectFrom('apps').select('owner_user_id').where('id', '=', appId).executeTakeFirstOrThrow();
    const until = ctx.clock.now() + (await clockOffset(tx, owner)) + LISTEN_LEASE_MS;
    await tx.updateTable('apps').set({ events_listen_until: until }).where('id', '=', appId).execute();
    await tx.updateTable('apps').set({ webhook_secret: newWebhookSecret() }).where('id', '=', appId).where('webhook_secret', 'is', null).execute();
    const row = await tx.selectFrom('apps').select('webhook_secret').where('id', '=', appId).executeTakeFirstOrThrow();
    return row.webhook_secret!;
  });
}

/** Ends the lease at once (the session stopped). */
export async function stopListening(ctx: Ctx, appId: string): Promise<void> {
  await ctx.store.tx((tx) => tx.updateTable('apps').set({ events_listen_until: 0 }).where('id', '=', appId).execute());
}

export async function lastEventSeq(ctx: Ctx, appId: string): Promise<number> {
  const r = await ctx.store.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).where('app_id', '=', appId).executeTakeFirst();
  return Number(r?.seq ?? 0);
}

export interface ListenedEvent {
  seq: number;
  id: string;
  type: string;
  body: string;
  headers: Record<string, string>;
}

/** The app's events after `seq`, oldest first, each with the body and signed headers a webhook would carry. */
export async function eventsAfter(ctx: Ctx, appId: string, seq: number, secret: string, limit = 100): Promise<ListenedEvent[]> {
  const rows = await ctx.store.db.selectFrom('events').select(['seq', 'id', 'type', 'created_at', 'data_json', 'test'])
    .where('app_id', '=', appId).where('seq', '>', seq).orderBy('seq').limit(limit).execute();
  const now = ctx.clock.now();
  return rows.map((r) => {
    const body = webhookBody(r, ctx.env);
    return { seq: Number(r.seq), id: r.id, type: r.type, body, headers: webhookHeaders(r, secret, body, now) };
  });
}
