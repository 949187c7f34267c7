// Spanish first, English available. Each feature registers its own messages with
// defineMessages(), so features never edit one shared catalogue.

import { displayMoney, MAX_BALANCE_MINOR } from './money.ts';

export type Locale = 'es' | 'en';
export type MessageDef = { es: string; en: string };

const catalogue = new Map<string, MessageDef>();

export function defineMessages<K extends string>(defs: Record<K, MessageDef>): Record<K, K> {
  const keys = {} as Record<K, K>;
  for (const [key, def] of Object.entries(defs) as [K, MessageDef][]) {
    const existing = catalogue.get(key);
    if (existing && (existing.es !== def.es || existing.en !== def.en)) {
      throw new Error(`message ${key} defined twice with different texts`);
    }
    catalogue.set(key, def);
    keys[key] = key;
  }
  return keys;
}

export function t(locale: Locale, key: string, params?: Record<string, string | number>): string {
  const def = catalogue.get(key);
  let text = def ? def[locale] : key;
  if (params) for (const [k, v] of Object.entries(params)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

export function hasMessage(key: string): boolean {
  return catalogue.has(key);
}

/** `Accept-Language: en...` picks English; anything else Spanish. */
export function localeFromHeader(header: string | undefined): Locale {
  if (!header) return 'es';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'es';
}

export const commonMsg = defineMessages({
  'common.required': { es: 'Este valor no debería estar vacío.', en: 'This value should not be blank.' },
  'common.invalid': { es: 'Este valor no es válido.', en: 'This value is not valid.' },
  'common.too_long': { es: 'Este valor es demasiado largo.', en: 'This value is too long.' },
  'common.not_found': { es: 'No encontrado.', en: 'Not found.' },
  'common.forbidden': { es: 'Acceso denegado.', en: 'Access denied.' },
  'common.method_not_allowed': { es: 'Método no permitido.', en: 'Method not allowed.' },
  'common.validation_failed': { es: 'Validation Failed', en: 'Validation Failed' },
  'common.internal': { es: 'Error interno. Intente de nuevo.', en: 'Internal error. Please try again.' },
  'common.busy': { es: 'El servicio está ocupado. Intente de nuevo en un momento.', en: 'The service is busy. Please try again in a moment.' },
  'common.unavailable': { es: 'El servicio no está disponible en este momento. Intente de nuevo en unos segundos.', en: 'The service is unavailable at the moment. Please try again in a few seconds.' },
  'common.bad_request': { es: 'Solicitud inválida.', en: 'Bad request.' },
  'common.too_many': { es: 'Demasiadas solicitudes. Intente más tarde.', en: 'Too many requests. Try again later.' },
  'money.required': { es: 'El monto es obligatorio.', en: 'The amount is required.' },
  'money.not_a_number': { es: 'El monto debe ser un número.', en: 'The amount must be a number.' },
  'money.too_many_decimals': {
    es: 'El monto admite como máximo 2 decimales.',
    en: 'The amount allows at most 2 decimals.',
  },
  'money.too_large': { es: 'El monto es demasiado grande.', en: 'The amount is too large.' },
  'money.must_be_positive': { es: 'El monto debe ser mayor que cero.', en: 'The amount must be greater than zero.' },
  'money.must_not_be_negative': { es: 'El monto no puede ser negativo.', en: 'The amount cannot be negative.' },
  'ledger.insufficient_funds': {
    es: 'Saldo insuficiente para realizar este pago.',
    en: 'Insufficient balance to make this payment.',
  },
  'ledger.balance_limit': {
    es: `El movimiento dejaría un saldo por encima del máximo que una cuenta puede tener (${displayMoney(MAX_BALANCE_MINOR, 'es')}). No se movió dinero.`,
    en: `The movement would take a balance past the most an account may hold (${displayMoney(MAX_BALANCE_MINOR, 'en')}). No money was moved.`,
  },
});
