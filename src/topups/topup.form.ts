import { BANKS } from '../payouts/banks.ts';
import { amountOrError } from '../wallet/transfer.service.ts';
import type { UploadedFile } from '../http/body.ts';
import { DAY_MS } from '../shared/clock.ts';
import { FormErrors } from '../shared/form.ts';
import { readReceipt, type Receipt } from './receipt.ts';
import './topups.messages.ts';

export const TOPUP_SHAPE = { method: null, bank: null, reference: null, amount: null, paidOn: null, receipt: null } as const;
export const TOPUP_ORDER = Object.keys(TOPUP_SHAPE);
/** How far back a payment may be declared. */
export const TOPUP_MAX_AGE_DAYS = 30;
const CARACAS_OFFSET_MS = -4 * 3600 * 1000;

export interface TopupInput { method: string; bank: string; reference: string; amount: string; paidOn: string }

export interface CheckedTopup {
  method: 'transfer' | 'mobile';
  bankCode: string;
  reference: string;
  amountMinor: number;
  paidOn: string;
  receipt?: Receipt;
}

/**
 * A bank reference as statements and declarations are compared: digits only (spaces, dots
 * and dashes dropped), without leading zeros, since banks print it padded or not.
 */
export function normalizeReference(raw: string): string | undefined {
  const digits = raw.replace(/[\s.-]/g, '');
  if (!/^\d{4,20}$/.test(digits)) return undefined;
  const bare = digits.replace(/^0+/, '');
  return bare || undefined;
}

const caracasDay = (ms: number) => new Date(ms + CARACAS_OFFSET_MS).toISOString().slice(0, 10);

function paidOnOrError(raw: string, nowMs: number, errors: FormErrors): string | undefined {
  const s = raw.trim();
  const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : NaN;
  const valid = Number.isFinite(d) && new Date(d).toISOString().slice(0, 10) === s;
  if (!valid || s > caracasDay(nowMs) || s < caracasDay(nowMs - TOPUP_MAX_AGE_DAYS * DAY_MS)) {
    errors.add(['paidOn'], 'topup.date_invalid', { days: TOPUP_MAX_AGE_DAYS });
    return undefined;
  }
  return s;
}

export function checkTopup(input: TopupInput, file: UploadedFile | undefined, nowMs: number, errors = new FormErrors()): CheckedTopup {
  const method = input.method === 'transfer' || input.method === 'mobile' ? input.method : undefined;
  if (!method) errors.add(['method'], 'topup.method_invalid');
  if (!BANKS[input.bank]) errors.add(['bank'], 'topup.bank_invalid');
  const reference = normalizeReference(input.reference);
  if (!reference) errors.add(['reference'], 'topup.reference_invalid');
  const amountMinor = amountOrError(input.amount, errors);
  const paidOn = paidOnOrError(input.paidOn, nowMs, errors);
  const receipt = readReceipt(file);
  if (receipt === null) errors.add(['receipt'], 'topup.receipt_invalid');
  errors.throwIfAny(TOPUP_SHAPE);
  return { method: method!, bankCode: input.bank, reference: reference!, amountMinor: amountMinor!, paidOn: paidOn!, receipt: receipt ?? undefined };
}

export const todayInCaracas = caracasDay;
