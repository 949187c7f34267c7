import type { ReadDb } from '../db/store.ts';

export const MAIL_PAGE = 100;

/** The newest messages, for the pages that show the outbox as a mailbox. */
export async function recentMail(db: ReadDb, limit = MAIL_PAGE) {
  return db.selectFrom('mail_outbox')
    .select(['id', 'kind', 'to_address', 'subject', 'status', 'transport', 'attempts', 'last_error', 'created_at', 'sent_at'])
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function mailById(db: ReadDb, id: string) {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}
