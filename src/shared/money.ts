// Money is an integer number of minor units (céntimos) held in a safe JS integer.
// Conversion from and to the wire happens only here.

export const CURRENCY = 'VES';
export const MAX_MINOR = 1_000_000_000_000_00; // 1e12 VES: far below 2^53
/**
 * The most any account may hold, either way (system accounts run negative): ten times the
 * largest amount, Bs. 10.000.000.000.000,00. Checked in the transaction that posts each
 * entry, so every balance, and any sum of two, stays an exact JS number.
 */
export const MAX_BALANCE_MINOR = 10 * MAX_MINOR;

export type MoneyParse =
  | { ok: true; minor: number }
  | { ok: false; reason: 'required' | 'not_a_number' | 'too_many_decimals' | 'too_large' };

const DECIMAL = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/;

/** Parses "20", "20.5", "20.50", 20.5 into minor units; never rounds. */
export function parseMoney(input: unknown): MoneyParse {
  if (input === undefined || input === null || input === '') return { ok: false, reason: 'required' };
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, reason: 'not_a_number' };
    // String(number) gives the shortest round-trip form, so 0.1 stays "0.1".
    text = String(input);
    if (/e/i.test(text)) return { ok: false, reason: Math.abs(input) >= 1 ? 'too_large' : 'too_many_decimals' };
  } else if (typeof input === 'string') {
    text = input.replace(',', '.');
  } else {
    return { ok: false, reason: 'not_a_number' };
  }
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return { ok: false, reason: 'not_a_number' };
  const sign = m[1] === '-' ? -1 : 1;
  const whole = m[2] === '' ? '0' : m[2];
  const frac = m[3] ?? '';
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) return { ok: false, reason: 'too_many_decimals' };
  if (whole.replace(/^0+/, '').length > 13) return { ok: false, reason: 'too_large' };
  const minor = Number(whole) * 100 + Number((frac + '00').slice(0, 2));
  if (!Number.isSafeInteger(minor) || minor > MAX_MINOR) return { ok: false, reason: 'too_large' };
  return { ok: true, minor: sign * minor };
}

/** The API's JSON number for an amount: 2050 -> 20.5. Exact for every safe minor value. */
export function toApiNumber(minor: number): number {
  return Number(formatMinor(minor));
}

// The PHP SDK's Currency model reads id, name, abbreviation, num (ISO 4217) and num_decimals.
const CURRENCIES: Record<string, { name: string; abbreviation: string; num: number; num_decimals: number }> = {
  VES: { name: 'Bolívar', abbreviation: 'Bs.', num: 928, num_decimals: 2 },
};

/** A currency as the API shows it. */
export function currencyResource(id: string) {
  return { id, ...(CURRENCIES[id] ?? { name: id, abbreviation: id, num: 0, num_decimals: 2 }) };
}

/** "20.50" */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = Math.trunc(abs / 100);
  const cents = abs % 100;
  return `${sign}${whole}.${String(cents).padStart(2, '0')}`;
}

/** "20.50" for a sum of balances, exact at any size. */
export function formatExactMinor(minor: bigint): string {
  const abs = minor < 0n ? -minor : minor;
  return `${minor < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** "Bs. 1.234,50" for people reading pages in Spanish; "Bs. 1,234.50" in English. */
export function displayMoney(minor: number, locale: 'es' | 'en' = 'es'): string {
  const [w, c] = formatMinor(Math.abs(minor)).split('.');
  const group = locale === 'es' ? '.' : ',';
  const dec = locale === 'es' ? ',' : '.';
  const grouped = w.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${minor < 0 ? '-' : ''}Bs. ${grouped}${dec}${c}`;
}

export function assertMinor(value: number, what = 'amount'): number {
  if (!Number.isSafeInteger(value)) throw new TypeError(`${what} must be a safe integer of minor units`);
  return value;
}
