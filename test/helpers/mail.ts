import { messageOf, type StoredMail } from '../../src/mail/render.ts';

// The outbox keeps what renders a message; tests read its text as it is sent and shown.

/** The columns `mailText` needs. */
export const MAIL_COLUMNS = ['kind', 'locale', 'subject', 'text_body', 'html_body', 'params'] as const;

/** A stored message's plain text, rendered as the delivery worker and the mail pages render it. */
export const mailText = (row: StoredMail): string => messageOf(row).text;
