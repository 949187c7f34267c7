import type { Ctx } from '../context.ts';
import { NotFoundError } from '../shared/errors.ts';
import { hostOf, isAbsoluteHttpUrl } from '../shared/input.ts';
import { API_SCOPE } from './oauth.model.ts';
import { grantedApp, liveGrantsOf, revokePair } from './access.repository.ts';
import { lockPerson } from './oauth.repository.ts';
import './access.messages.ts';
import './oauth.messages.ts';

/** What the API scope lets an app do, in the consent page's words. */
export const API_ABILITIES = [
  'oauth.consent.can_profile', 'oauth.consent.can_intents', 'oauth.consent.can_payments', 'oauth.consent.can_payouts',
] as const;

export interface AccessGrant {
  appId: string;
  name: string;
  hasLogo: boolean;
  homeUrl: string | null;
  homeHost: string;
  scope: string;
  /** Message keys of what the scope allows; empty for a scope this page does not know. */
  abilities: readonly string[];
  firstGrantedAt: number;
  lastUsedAt: number;
}


/** The other businesses' apps that can act for this person now. */
export async function listAccess(ctx: Ctx, userId: string): Promise<AccessGrant[]> {
  const rows = await liveGrantsOf(ctx.store.db, userId, ctx.clock.now());
  return rows.map((r) => ({
    appId: r.id,
    name: r.name,
    hasLogo: r.has_logo === 1,
    homeUrl: isAbsoluteHttpUrl(r.home_url) ? r.home_url : null,
    homeHost: hostOf(r.home_url),
    scope: r.scope,
    abilities: r.scope === API_SCOPE ? API_ABILITIES : [],
    firstGrantedAt: r.first_at,
    lastUsedAt: Math.max(r.last_created_at, r.last_used_at ?? 0),
  }));
}

/**
 * Withdraws everything this app holds for this person, in one transaction. An app that never
 * held a token for the person, or one the person owns, is a 404; repeating it changes nothing.
 */
export async function revokeAccess(ctx: Ctx, userId: string, appId: string): Promise<{ id: string; name: string }> {
  return ctx.store.tx(async (tx) => {
    // The person's row is the meeting point with a token exchange for them (see saveToken).
    await lockPerson(tx, userId);
    const app = await grantedApp(tx, userId, appId);
    if (!app) throw new NotFoundError();
    await revokePair(tx, app.id, userId, ctx.clock.now());
    return app;
  });
}

/** The name for the "access removed" notice, only for an app this person had granted. */
export async function grantedAppName(ctx: Ctx, userId: string, appId: string): Promise<string | undefined> {
  return (await grantedApp(ctx.store.db, userId, appId))?.name;
}
