import type { Ctx } from '../context.ts';
import { apiDate } from '../shared/clock.ts';
import { t, type Locale } from '../shared/i18n.ts';
import { formatMinor } from '../shared/money.ts';
import { listPage, type ListRow, type Resolved } from './dashboard.service.ts';
import type { Cursor } from './dashboard.filter.ts';
import './dashboard.messages.ts';

// The export is the list itself, page after page by the same keyset, written as it is read:
// memory stays the same for ten rows or a million.

const CHUNK = 1000;
const HEADERS = {
  es: ['Fecha', 'Tipo', 'Estado', 'Referencia', 'Factura', 'Descripción', 'Aplicación', 'Pagador', 'Nombre del pagador',
    'Documento del pagador', 'Teléfono del pagador', 'Monto', 'Moneda', 'ID'],
  en: ['Date', 'Type', 'State', 'Reference', 'Invoice', 'Description', 'Application', 'Payer', 'Payer name',
    'Payer document', 'Payer phone', 'Amount', 'Currency', 'ID'],
};

/**
 * Spreadsheets in Spanish read ";" between fields and "," before the céntimos; English ones
 * "," and ".". A text starting like a formula is prefixed with an apostrophe so that a payer's
 * chosen name is never run by the spreadsheet.
 */
export function csvDialect(locale: Locale) {
  const sep = locale === 'es' ? ';' : ',';
  const cell = (v: string | null | undefined): string => {
    let s = v ?? '';
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /["\r\n;,]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const amount = (minor: number) => (locale === 'es' ? formatMinor(minor).replace('.', ',') : formatMinor(minor));
  return { sep, cell, amount };
}

export function csvLine(r: ListRow, locale: Locale): string {
  const { sep, cell, amount } = csvDialect(locale);
  return [
    cell(apiDate(r.createdAt)), cell(t(locale, `dashboard.type_${r.type}`)), cell(t(locale, `dashboard.state_${r.state}`)),
    cell(r.ref), cell(r.invoice), cell(r.description), cell(r.appName), cell(r.payer?.username), cell(r.payer?.name),
    cell(r.payer?.document), cell(r.payer?.phone), amount(r.amountMinor), cell(r.currency), cell(r.id),
  ].join(sep) + '\r\n';
}

/** The whole filtered list as CSV text, one chunk of rows at a time, with a BOM so spreadsheets read UTF-8. */
export async function* csvChunks(ctx: Ctx, r: Resolved, locale: Locale): AsyncGenerator<string> {
  const { sep } = csvDialect(locale);
  yield `\uFEFF${HEADERS[locale].join(sep)}\r\n`;
  let after: Cursor | undefined;
  for (;;) {
    const page = await listPage(ctx, r, after, CHUNK);
    if (page.rows.length) yield page.rows.map((row) => csvLine(row, locale)).join('');
    if (!page.next) return;
    after = page.next;
  }
}
