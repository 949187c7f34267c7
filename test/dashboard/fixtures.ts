import { expect } from 'vitest';
import type { TestServer } from '../helpers/env.ts';
import { approveAs, createSale, executeAs } from '../payment-intents/fixtures.ts';
// Tokens valid for a year: these tests move the clock by days.
import { merchantWithToken, type Merchant } from '../billing/fixtures.ts';
import { WebClient } from '../onboarding/web-client.ts';

export { merchantWithToken, type Merchant };

/** A sale through the API, authorized by the payer and executed: one payment, one ledger entry. */
export async function paidSale(s: TestServer, m: Merchant, payerId: string, total: string, extra: Record<string, unknown> = {}) {
  const created = await createSale(s, m, total, extra);
  expect(created.status, created.text).toBe(200);
  await approveAs(s, created.body.id, payerId);
  const done = await executeAs(s, m, created.body.id, payerId);
  expect(done.status, done.text).toBe(200);
  return done.body;
}

/** The merchant signed in on the pages. */
export async function signedIn(s: TestServer, m: Merchant): Promise<WebClient> {
  const web = new WebClient(s.baseUrl);
  await web.signIn(m.username, m.password);
  return web;
}

/** The text a person reads: tags dropped, entities decoded, blanks collapsed. */
export function textOf(html: string): string {
  return html.replace(/<style[\s\S]*?<\/style>/g, ' ').replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();
}

/** The ids of the rows of the payments list on a page. */
export const rowIds = (html: string): string[] => [...html.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]);
