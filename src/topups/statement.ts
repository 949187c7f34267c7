import { parseMoney } from '../shared/money.ts';
import { normalizeReference } from './topup.form.ts';

// A bank statement as CSV, as banks export it: a header row naming the columns (Spanish or
// English), comma, semicolon or tab separated, quotes as in RFC 4180, amounts written
// "1.234,56" or "1234.56". A file is taken whole or not at all: one bad row refuses it.

export const MAX_STATEMENT_ROWS = 5000;

export interface StatementRow {
  line: number;
  date: string;
  reference: string;
  amountMinor: number;
  description: string;
}

export interface StatementProblem { line: number; key: string; params?: Record<string, string | number> }

export type Statement =
  | { ok: true; rows: StatementRow[]; debits: number }
  | { ok: false; problems: StatementProblem[] };

const COLUMNS = {
  reference: ['referencia', 'ref', 'reference', 'nro referencia', 'numero de referencia', 'n referencia'],
  amount: ['monto', 'amount', 'importe', 'credito', 'abono', 'haber'],
  date: ['fecha', 'date', 'fecha valor'],
  description: ['descripcion', 'concepto', 'description', 'detalle'],
};

const plain = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[º°.#]/g, '').trim().toLowerCase().replace(/\s+/g, ' ');

/** Splits CSV text into records of fields; quoted fields may hold separators, quotes ("") and newlines. */
export function csvRecords(text: string, sep: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false;
      else { if (c === '\n') line++; field += c; }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === sep) { fields.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.some((f) => f.trim() !== '')) out.push({ line: start, fields });
      fields = []; field = ''; line++; start = line;
    } else field += c;
  }
  fields.push(field);
  if (fields.some((f) => f.trim() !== '')) out.push({ line: start, fields });
  return out;
}

/** "1.234,56", "1,234.56", "1234.56", "Bs. 20,00", "-15,00" → parseMoney's input. */
function amountText(raw: string): string {
  let s = raw.replace(/bs\.?|ves|\s/gi, '');
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  else if (lastComma >= 0) s = s.replace(',', '.');
  return s;
}

export function parseStatement(text: string): Statement {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const sep = [';', '\t', ','].reduce((best, c) => (firstLine.split(c).length > firstLine.split(best).length ? c : best), ',');
  const records = csvRecords(body, sep);
  if (records.length < 2) return { ok: false, problems: [{ line: 1, key: 'import.empty' }] };
  if (records.length - 1 > MAX_STATEMENT_ROWS) return { ok: false, problems: [{ line: 1, key: 'import.too_many_rows', params: { max: MAX_STATEMENT_ROWS } }] };
  const header = records[0].fields.map(plain);
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const at = { reference: col(COLUMNS.reference), amount: col(COLUMNS.amount), date: col(COLUMNS.date), description: col(COLUMNS.description) };
  if (at.reference < 0 || at.amount < 0) return { ok: false, problems: [{ line: 1, key: 'import.header' }] };
  const rows: StatementRow[] = [];
  const problems: StatementProblem[] = [];
  let debits = 0;
  for (const { line, fields } of records.slice(1)) {
    if (fields.length !== header.length) {
      problems.push({ line, key: 'import.columns', params: { n: fields.length, expected: header.length } });
      continue;
    }
    const money = parseMoney(amountText(fields[at.amount]));
    if (!money.ok) {
      problems.push({ line, key: 'import.amount' });
      continue;
    }
    // Debits (money the account paid out) are in the statement too; they credit nobody.
    if (money.minor <= 0) {
      debits++;
      continue;
    }
    const reference = normalizeReference(fields[at.reference]);
    if (!reference) {
      problems.push({ line, key: 'import.reference' });
      continue;
    }
    rows.push({
      line, reference, amountMinor: money.minor,
      date: at.date >= 0 ? fields[at.date].trim().slice(0, 20) : '', description: at.description >= 0 ? fields[at.description].trim().slice(0, 200) : '',
    });
  }
  if (problems.length) return { ok: false, problems };
  if (!rows.length) return { ok: false, problems: [{ line: 1, key: 'import.no_credits' }] };
  return { ok: true, rows, debits };
}
