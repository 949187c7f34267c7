import nodemailer, { type Transporter } from 'nodemailer';
import type { Ctx } from '../context.ts';

/** What a message needs to leave: the stored row's fields. */
export interface OutgoingMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  /** 'smtp', or 'stored' when the message stays in the outbox to be read on a page. */
  readonly name: 'smtp' | 'stored';
  send(mail: OutgoingMail): Promise<void>;
}

const STORED: MailTransport = { name: 'stored', send: async () => undefined };

// One SMTP transport per environment (it keeps its connection settings, not a connection).
const smtp = new WeakMap<Ctx, Transporter>();

/** The environment sends no e-mail (no SMTP server set; always so in the sandbox): its outbox is its mailbox. */
export const mailKept = (ctx: Ctx): boolean => !ctx.config.mail.smtpUrl;

/** SMTP when MPANDCO_SMTP_URL is set (production only); else the outbox is the mailbox. */
export function transportFor(ctx: Ctx): MailTransport {
  const url = ctx.config.mail.smtpUrl;
  if (!url) return STORED;
  let t = smtp.get(ctx);
  if (!t) {
    t = nodemailer.createTransport(url, { from: ctx.config.mail.from });
    smtp.set(ctx, t);
  }
  const transporter = t;
  return {
    name: 'smtp',
    async send(mail) {
      await transporter.sendMail({
        from: ctx.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html,
        messageId: `<${mail.id}@mpandco>`,
      });
    },
  };
}
