import { storedEventTypes, EVENT_TYPES, type EventType } from '../../src/callbacks/events.ts';
import type { TestEnv } from '../helpers/env.ts';
import { WebClient } from '../helpers/web.ts';
import { merchantWithToken, type Merchant } from '../billing/fixtures.ts';
import type { TestServer } from '../helpers/env.ts';

/** The app's webhook set straight in the store (the pages that set it have tests of their own). */
export async function subscribe(s: TestEnv, appId: string, url: string | null, types: readonly EventType[] = EVENT_TYPES, secret = 'whsec_test_secret'): Promise<string> {
  await s.ctx.store.tx((tx) => tx.updateTable('apps')
    .set({ webhook_url: url, webhook_events: storedEventTypes(types), webhook_secret: secret }).where('id', '=', appId).execute());
  return secret;
}

export async function eventsOf(s: TestEnv, appId: string) {
  return s.ctx.store.db.selectFrom('events').selectAll().where('app_id', '=', appId).orderBy('seq').execute();
}

export async function auditOf(s: TestEnv, action: string) {
  return s.ctx.store.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
}

/** A merchant with an API token and a signed-in browser-less session on its pages. */
export async function merchantSession(s: TestServer, lang?: 'es' | 'en'): Promise<{ m: Merchant; web: WebClient }> {
  const m = await merchantWithToken(s);
  const web = new WebClient(s.baseUrl, lang);
  const r = await web.signIn(m.username, m.password);
  if (r.status !== 303 && r.status !== 302) throw new Error(`sign-in failed: ${r.status}`);
  return { m, web };
}
