import { preparedQuery, rowsByPosition } from '../db/prepared.ts';
import { writeNowOrLater, type WriteBatch } from '../db/write-batch.ts';
import type { MailOutboxTable } from '../db/schema.ts';
import type { Tx, ReadDb } from '../db/store.ts';
import { newId } from '../shared/ids.ts';
import type { Locale } from '../shared/i18n.ts';
import { renderSubject, type MailKind, type MailParams } from './render.ts';

// The outbox: an event that owes someone an e-mail writes the message here, in the event's
// own transaction, so the message exists exactly when the event does. The delivery worker
// sends it later; no request waits for a mail server. A message is kept as what renders it
// (kind, language, parameters as JSON, and its subject for the lists), about 150 bytes
// instead of 1 KB of finished text and HTML: a payment writes two. It is rendered when it
// is sent, or shown (`messageOf`).

export interface Recipient {
  userId: string;
  address: string;
  locale: Locale;
  name: string;
  username: string;
}

/** What a recipient is made of: a user's row with their chosen language. */
export interface RecipientRow {
  id: string;
  email: string | null;
  full_name: string;
  business_name: string | null;
  username: string;
  locale: string | null;
}

/** A person as their e-mails see them; `address` is '' for someone without one. */
export function recipientOfRow(row: RecipientRow): Recipient {
  return {
    userId: row.id, address: row.email ?? '', locale: row.locale === 'en' ? 'en' : 'es',
    name: row.business_name ?? row.full_name, username: row.username,
  };
}

/** People as their e-mails see them, by id (one query). */
export async function recipientsOf(db: ReadDb, userIds: string[]): Promise<Map<string, Recipient>> {
  const rows = await db.selectFrom('users as u').leftJoin('user_preferences as p', 'p.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.full_name', 'u.business_name', 'u.username', 'p.locale'])
    .where('u.id', 'in', userIds).execute();
  return new Map(rows.map((row) => [row.id, recipientOfRow(row)]));
}

/** Who a person is for their e-mail: address, chosen language, the name to greet. */
export async function recipientOf(db: ReadDb, userId: string): Promise<Recipient | undefined> {
  const to = (await recipientsOf(db, [userId])).get(userId);
  return to?.address ? to : undefined;
}

/** Queues one message to a person; none when they have no address. Returns the message id. */
export async function mailUser(tx: Tx, userId: string, kind: MailKind, params: MailParams, nowMs: number): Promise<string | undefined> {
  const to = await recipientOf(tx, userId);
  if (!to) return undefined;
  return queueMail(tx, to, kind, params, nowMs);
}

export async function queueMail(tx: Tx, to: Recipient, kind: MailKind, params: MailParams, nowMs: number): Promise<string> {
  const [id] = await queueMails(tx, [{ to, kind, params }], nowMs);
  return id;
}

// What a new message fills in; the INSERT is prepared once per number of messages (a
// payment's two, one elsewhere), not built per payment.
const PER_MESSAGE = [
  'id', 'kind', 'user_id', 'to_address', 'locale', 'subject', 'params', 'status', 'transport', 'attempts', 'next_attempt_at', 'created_at', 'sent_at',
] as const;
const insertMails = preparedQuery((db, values: unknown[]) => db.insertInto('mail_outbox').values(
  rowsByPosition(PER_MESSAGE, values).map((own) => ({
    ...own, text_body: '', html_body: '', locked_until: 0, locked_by: null, last_error: null,
  }) as MailOutboxTable)));

/**
 * Several messages in one INSERT (a payment owes two: to the payer and to the shop). `kept`:
 * the environment sends no e-mail (`mailKept`), so the messages are written as kept, as the
 * delivery worker would mark them a second later, and no pass has to update them.
 */
export async function queueMails(
  tx: Tx, mails: { to: Recipient; kind: MailKind; params: MailParams }[], nowMs: number, batch?: WriteBatch, kept = false,
): Promise<string[]> {
  if (mails.length === 0) return [];
  const ids: string[] = [];
  const values: unknown[] = [];
  for (const { to, kind, params } of mails) {
    const all = { name: to.name, username: to.username, ...params };
    const own: Pick<MailOutboxTable, (typeof PER_MESSAGE)[number]> = {
      id: newId(), kind, user_id: to.userId, to_address: to.address, locale: to.locale, subject: renderSubject(kind, to.locale, all),
      params: JSON.stringify(all), status: kept ? 'sent' : 'pending', transport: kept ? 'stored' : null, attempts: kept ? 1 : 0,
      next_attempt_at: nowMs, created_at: nowMs, sent_at: kept ? nowMs : null,
    };
    ids.push(own.id);
    // The prepared INSERT takes them by position, in PER_MESSAGE's order.
    for (const column of PER_MESSAGE) values.push(own[column]);
  }
  await writeNowOrLater(tx, batch, insertMails(tx, values));
  return ids;
}
