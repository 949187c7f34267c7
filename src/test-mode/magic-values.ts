import { InvariantError } from '../ledger/invariants.ts';
import { defineMessages } from '../shared/i18n.ts';

// Magic values of the sandbox: inputs that make the platform answer as it would to a real
// failure, so an integration can try its error paths. Callers check them only in the
// sandbox; in production each is an ordinary value.

export const MAGIC = {
  /** A payment of exactly this total is refused as if the payer had too little money. */
  shortAmountMinor: 402_00,
  /** Nor can a payer whose username starts with this pay anything, whatever their balance. */
  shortPayerPrefix: 'sinfondos',
  /** Always a wrong operations PIN; it counts toward the lockout as any wrong PIN. */
  wrongPin: '0000',
  /** A payout item to this account is rejected by the bank when its batch settles; its amount comes back. */
  rejectedBankAccount: '01029999999999999999',
} as const;

const m = defineMessages({
  'magic.amount': { es: 'Monto de un pago', en: 'Payment amount' },
  'magic.amount_effect': {
    es: 'Ejecutar el pago (venta o solicitud) falla con «Saldo insuficiente», como si el pagador no tuviera el dinero.',
    en: 'Executing the payment (sale or request) fails with “insufficient funds”, as if the payer lacked the money.',
  },
  'magic.payer': { es: 'Usuario del pagador', en: 'Payer’s username' },
  'magic.payer_value': { es: 'empieza por sinfondos (sinfondos, sinfondos_ana…)', en: 'starts with sinfondos (sinfondos, sinfondos_ana…)' },
  'magic.payer_effect': {
    es: 'Todo pago de esa persona falla con «Saldo insuficiente», tenga el saldo que tenga.',
    en: 'Every payment by that person fails with “insufficient funds”, whatever their balance.',
  },
  'magic.pin': { es: 'PIN de operaciones', en: 'Operations PIN' },
  'magic.pin_effect': {
    es: 'Siempre es incorrecto, aunque sea el PIN de la persona, y cuenta para el bloqueo (cinco seguidos lo bloquean 15 minutos).',
    en: 'Always wrong, even if it is the person’s PIN, and it counts toward the lockout (five in a row lock it for 15 minutes).',
  },
  'magic.bank': { es: 'Cuenta bancaria de una dispersión', en: 'Bank account of a payout item' },
  'magic.bank_effect': {
    es: 'El banco rechaza el ítem al liquidarse el lote: queda REJECTED y su monto vuelve a la cuenta del comercio con un asiento de reverso.',
    en: 'The bank rejects the item when its batch settles: it becomes REJECTED and its amount returns to the business’s account by a reversing entry.',
  },
  'magic.callback': { es: 'URL de callback o de webhook', en: 'Callback or webhook URL' },
  'magic.callback_value': { es: 'cualquier URL en falla.mpandco.test', en: 'any URL on falla.mpandco.test' },
  'magic.callback_effect': {
    es: 'Cada intento de entrega falla con HTTP 503 (sin salir a la red): se ven los reintentos, el error y «Reenviar» en el registro de callbacks.',
    en: 'Every delivery attempt fails with HTTP 503 (without leaving the machine): the retries, the error and “Resend” show in the callback log.',
  },
});

export interface MagicValue {
  id: string;
  /** Message keys: what the value is entered as, and what it does. */
  field: string;
  effect: string;
  /** The value itself, or a message key describing it. */
  value: string;
  valueIsKey?: boolean;
}

/** The table the sandbox's pages and docs/sandbox.md show, in this order. */
export const MAGIC_VALUES: MagicValue[] = [
  { id: 'amount', field: m['magic.amount'], value: '402.00', effect: m['magic.amount_effect'] },
  { id: 'payer', field: m['magic.payer'], value: m['magic.payer_value'], valueIsKey: true, effect: m['magic.payer_effect'] },
  { id: 'pin', field: m['magic.pin'], value: MAGIC.wrongPin, effect: m['magic.pin_effect'] },
  { id: 'bank-account', field: m['magic.bank'], value: MAGIC.rejectedBankAccount, effect: m['magic.bank_effect'] },
  { id: 'callback-url', field: m['magic.callback'], value: m['magic.callback_value'], valueIsKey: true, effect: m['magic.callback_effect'] },
];

export const isMagicWrongPin = (pin: string): boolean => pin === MAGIC.wrongPin;

export const isShortPayerName = (username: string): boolean => username.toLowerCase().startsWith(MAGIC.shortPayerPrefix);

/**
 * Sandbox only: refuses a payment of the magic amount, or by a magic payer, exactly as a
 * payer's short balance is refused (the invariant the ledger would name), before any money moves.
 */
export function refuseMagicShortfall(totalMinor: number, payerUsername: string): void {
  const short = totalMinor === MAGIC.shortAmountMinor || isShortPayerName(payerUsername);
  if (short) throw new InvariantError('balance_must_not_go_negative', 'sandbox magic value: the payer cannot cover this payment');
}
