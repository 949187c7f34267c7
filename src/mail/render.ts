import { t, type Locale } from '../shared/i18n.ts';
import { displayMoney } from '../shared/money.ts';
import './mail.messages.ts';

export const MAIL_KINDS = [
  'password_reset', 'payment_sent', 'payment_received', 'payment_request', 'topup_confirmed', 'topup_refused',
  'withdrawal_paid', 'withdrawal_failed', 'golive_approved', 'golive_refused', 'billing_granted', 'billing_refused',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** Kinds whose message carries a button; the URL is the `url` parameter. */
const ACTIONS: Partial<Record<MailKind, string>> = {
  password_reset: 'mail.password_reset.action',
  payment_request: 'mail.payment_request.action',
};

export type MailParams = Record<string, string | number>;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Parameters ending in `Minor` are amounts: shown as money in the reader's language, without the suffix. */
function localized(params: MailParams, locale: Locale): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k.endsWith('Minor') && typeof v === 'number') out[k.slice(0, -5)] = displayMoney(v, locale);
    else out[k] = v;
  }
  return out;
}

const subjectOf = (kind: MailKind, locale: Locale, p: Record<string, string | number>) =>
  t(locale, `mail.${kind}.subject`, p).replace(/[\r\n]+/g, ' ');

/** The subject alone: what the outbox keeps beside a message's parameters, for its lists. */
export const renderSubject = (kind: MailKind, locale: Locale, params: MailParams): string =>
  subjectOf(kind, locale, localized(params, locale));

/** What the outbox holds of a message. */
export interface StoredMail {
  kind: string;
  locale: string;
  subject: string;
  text_body: string;
  html_body: string;
  params: string | null;
}

const isKind = (k: string): k is MailKind => (MAIL_KINDS as readonly string[]).includes(k);

/**
 * A message as it is sent and shown: rendered from its parameters in its reader's language,
 * or, for a message written before the outbox kept parameters, its stored text and HTML.
 */
export function messageOf(row: StoredMail): RenderedMail {
  if (row.params === null || !isKind(row.kind)) return { subject: row.subject, text: row.text_body, html: row.html_body };
  return renderMail(row.kind, row.locale === 'en' ? 'en' : 'es', JSON.parse(row.params) as MailParams);
}

/**
 * Plain text and HTML from the same paragraphs. Values are escaped in the HTML; only the
 * action's URL becomes a link, and only when it is http(s).
 */
export function renderMail(kind: MailKind, locale: Locale, params: MailParams): RenderedMail {
  const p = localized(params, locale);
  const subject = subjectOf(kind, locale, p);
  const paragraphs = [t(locale, 'mail.greeting', p), ...t(locale, `mail.${kind}.body`, p).split('\n\n')];
  const actionKey = ACTIONS[kind];
  const url = typeof p.url === 'string' && /^https?:\/\//.test(p.url) ? p.url : undefined;
  const action = actionKey && url ? { label: t(locale, actionKey), url } : undefined;
  const footer = t(locale, 'mail.footer');
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), '--', footer].join('\n\n') + '\n';
  const button = action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#0b6e4f;color:#fff;padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:bold">${escapeHtml(action.label)}</a></p>`
      + `<p style="font-size:13px;color:#5b6675;word-break:break-all">${escapeHtml(action.url)}</p>`
    : '';
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`
    + '<body style="margin:0;background:#f4f6f9;font-family:Arial,sans-serif;color:#1b2430">'
    + '<div style="max-width:560px;margin:0 auto;padding:24px">'
    + '<p style="font-size:22px;font-weight:800;color:#0b6e4f;margin:0 0 16px">m<span style="color:#1b2430">Pandco</span></p>'
    + '<div style="background:#fff;border:1px solid #dfe4ea;border-radius:12px;padding:20px">'
    + paragraphs.map((x) => `<p style="margin:0 0 12px;line-height:1.5">${escapeHtml(x)}</p>`).join('')
    + button
    + '</div>'
    + `<p style="font-size:12px;color:#5b6675;margin-top:16px">${escapeHtml(footer)}</p>`
    + '</div></body></html>';
  return { subject, text, html };
}
