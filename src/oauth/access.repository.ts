import type { Tx, ReadDb } from '../db/store.ts';

type Db = ReadDb;

export interface GrantRow {
  id: string;
  name: string;
  home_url: string;
  has_logo: number;
  scope: string;
  first_at: number;
  last_created_at: number;
  last_used_at: number | null;
}

/**
 * The apps of other owners that hold a live token for this person, one row per app, with the
 * dates of the families that are still alive. A rotated refresh token is spent, so it alone
 * does not keep a family alive.
 */
export async function liveGrantsOf(db: Db, userId: string, nowMs: number): Promise<GrantRow[]> {
  const liveFamilies = db.selectFrom('oauth_tokens as l').select('l.family_id')
    .where('l.user_id', '=', userId).where('l.revoked_at', 'is', null).where('l.expires_at', '>', nowMs)
    .where((eb) => eb.or([eb('l.kind', '=', 'access'), eb('l.used_at', 'is', null)]));
  const rows = await db.selectFrom('oauth_tokens as t')
    .innerJoin('apps as a', 'a.id', 't.app_id')
    .select((eb) => [
      'a.id', 'a.name', 'a.home_url',
      eb.fn.max(eb.case().when('a.logo_png', 'is not', null).then(1).else(0).end()).as('has_logo'),
      eb.fn.max('t.scope').as('scope'),
      eb.fn.min('t.created_at').as('first_at'),
      eb.fn.max('t.created_at').as('last_created_at'),
      eb.fn.max('t.used_at').as('last_used_at'),
    ])
    .where('t.user_id', '=', userId)
    .where('a.owner_user_id', '<>', userId)
    .where('t.family_id', 'in', liveFamilies)
    .groupBy(['a.id', 'a.name', 'a.home_url'])
    .orderBy('a.name').orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    ...r, has_logo: Number(r.has_logo), first_at: Number(r.first_at), last_created_at: Number(r.last_created_at),
    last_used_at: r.last_used_at === null ? null : Number(r.last_used_at),
  }));
}

/** Another owner's app that has ever held a token for this person (revoked ones included), else undefined. */
export async function grantedApp(db: Db, userId: string, appId: string): Promise<{ id: string; name: string } | undefined> {
  if (appId.length > 64) return undefined;
  return db.selectFrom('apps as a').select(['a.id', 'a.name'])
    .where('a.id', '=', appId)
    .where('a.owner_user_id', '<>', userId)
    .where((eb) => eb.exists(eb.selectFrom('oauth_tokens as t').select('t.token_hash')
      .whereRef('t.app_id', '=', 'a.id').where('t.user_id', '=', userId)))
    .executeTakeFirst();
}

/**
 * Ends every token of this (app, person) pair and spends the pair's unused codes. A code is
 * marked used rather than expired: the token endpoint marks a code used before it issues tokens,
 * so an exchange racing with this finds the code taken and issues nothing.
 */
export async function revokePair(tx: Tx, appId: string, userId: string, nowMs: number): Promise<number> {
  const tokens = await tx.updateTable('oauth_tokens').set({ revoked_at: nowMs })
    .where('app_id', '=', appId).where('user_id', '=', userId).where('revoked_at', 'is', null)
    .executeTakeFirst();
  await tx.updateTable('oauth_codes').set({ used_at: nowMs })
    .where('app_id', '=', appId).where('user_id', '=', userId).where('used_at', 'is', null)
    .execute();
  // Used ones too: an exchange that redeemed one and has not yet saved its tokens issues none.
  await tx.updateTable('oauth_codes').set({ revoked_at: nowMs })
    .where('app_id', '=', appId).where('user_id', '=', userId).where('revoked_at', 'is', null)
    .execute();
  return Number(tokens.numUpdatedRows);
}
