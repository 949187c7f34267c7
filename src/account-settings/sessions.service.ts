import type { ReadDb, Writer } from '../db/store.ts';

/** A person's signed-in web sessions that have not expired, newest first. */
export async function sessionsOf(db: ReadDb, userId: string, nowMs: number) {
  return db.selectFrom('sessions').select(['id_hash', 'created_at', 'expires_at'])
    .where('user_id', '=', userId).where('kind', '=', 'user').where('expires_at', '>', nowMs)
    .orderBy('created_at', 'desc').limit(100).execute();
}

/** Ends every session of the person but one (none when `keep` is undefined). */
export async function signOutOthers(db: Writer, userId: string, keep: string | undefined): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId).where('kind', '=', 'user');
  if (keep) q = q.where('id_hash', '<>', keep);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

/** Ends one of the person's own sessions; another person's is left alone. */
export async function signOutOne(db: Writer, userId: string, idHash: string): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).where('kind', '=', 'user').where('id_hash', '=', idHash).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
