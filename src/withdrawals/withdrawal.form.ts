import { isDocument, normalizeDocument } from '../accounts/validation.ts';
import { bankOf } from '../payouts/banks.ts';
import '../payouts/payout.messages.ts';
import { amountOrError } from '../wallet/transfer.service.ts';
import { FormErrors } from '../shared/form.ts';
import './withdrawals.messages.ts';

export const WITHDRAW_SHAPE = { bankAccount: null, holderDocument: null, amount: null, pin: null } as const;
export const WITHDRAW_ORDER = Object.keys(WITHDRAW_SHAPE);

export interface WithdrawInput { bankAccount: string; holderDocument: string; amount: string }

export interface CheckedWithdrawal { bankAccount: string; bankCode: string; bankName: string; holderDocument: string; amountMinor: number }

/** "0134 0000 12-3456789012" → its 20 digits, shown to people as 0134…9012. */
export const maskAccount = (account: string) => `${account.slice(0, 4)}…${account.slice(-4)}`;

/**
 * The form alone, before any look-up. "In the person's own name" is the holder's identity
 * document, which must be the one the person registered with; there is no bank API to ask.
 */
export function checkWithdrawal(input: WithdrawInput, ownDocument: string | null, errors = new FormErrors()): CheckedWithdrawal {
  const bankAccount = input.bankAccount.replace(/[\s.-]/g, '');
  let bank: ReturnType<typeof bankOf>;
  if (!/^\d{20}$/.test(bankAccount)) errors.add(['bankAccount'], 'payout.bank_account_invalid');
  else if (!(bank = bankOf(bankAccount))) errors.add(['bankAccount'], 'payout.bank_not_found');
  const holderDocument = normalizeDocument(input.holderDocument);
  if (!isDocument(holderDocument) || !ownDocument || holderDocument !== ownDocument) {
    errors.add(['holderDocument'], 'withdraw.not_own_name', { document: ownDocument ?? '' });
  }
  const amountMinor = amountOrError(input.amount, errors);
  return { bankAccount, bankCode: bank?.code ?? '', bankName: bank?.name ?? '', holderDocument, amountMinor: amountMinor ?? 0 };
}
