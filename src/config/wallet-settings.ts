import type { EnvName } from './config.ts';
import { parseMoney } from '../shared/money.ts';

// Settings of money entering and leaving the platform, and of e-mail. Read from the
// environment once, like the rest of the configuration; a wrong value stops the start.

/** Makes the error a wrong value raises: the configuration's own, so the command reports it plainly. */
type Fail = (message: string) => Error;

/** The platform's own bank account, shown on the top-up page: where people send money. */
export interface PlatformBankAccount {
  /** 20 digits; the bank is its first four. */
  accountNumber: string;
  holder: string;
  /** The holder's RIF. */
  document: string;
  /** The phone that receives pago móvil. */
  mobilePhone: string;
}

export interface WalletSettings {
  bank: PlatformBankAccount;
  /** Charged on each withdrawal, on top of the amount. */
  withdrawalFeeMinor: number;
  /** Per person and Caracas day: the sum of withdrawals that are not failed. */
  withdrawalDailyMaxMinor: number;
  /** Per person and Caracas day: how many withdrawals (failed ones do not count). */
  withdrawalDailyCount: number;
}

export interface MailSettings {
  /** nodemailer's SMTP URL; absent: each message is stored and shown (sandbox always). */
  smtpUrl?: string;
  from: string;
}

function money(fail: Fail, value: string | undefined, fallback: number, what: string): number {
  if (value === undefined || value === '') return fallback;
  const m = parseMoney(value);
  if (!m.ok || m.minor < 0) throw fail(`${what} must be an amount like 1.50, got "${value}"`);
  return m.minor;
}

function whole(fail: Fail, value: string | undefined, fallback: number, what: string): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,6}$/.test(value)) throw fail(`${what} must be a whole number, got "${value}"`);
  return Number(value);
}

function matching(fail: Fail, value: string | undefined, fallback: string, re: RegExp, what: string): string {
  const v = (value ?? '').trim() || fallback;
  if (!re.test(v)) throw fail(`${what} is not valid: "${v}"`);
  return v;
}

export function walletSettings(vars: NodeJS.ProcessEnv, fail: Fail): WalletSettings {
  return {
    bank: {
      accountNumber: matching(fail, vars.MPANDCO_BANK_ACCOUNT, '01340000000000000000', /^\d{20}$/, 'MPANDCO_BANK_ACCOUNT'),
      holder: (vars.MPANDCO_BANK_HOLDER ?? '').trim().slice(0, 120) || 'mPandco, C.A.',
      document: matching(fail, vars.MPANDCO_BANK_RIF, 'J000000000', /^[JG]\d{5,9}$/, 'MPANDCO_BANK_RIF'),
      mobilePhone: matching(fail, vars.MPANDCO_BANK_PHONE, '584120000000', /^58\d{10}$/, 'MPANDCO_BANK_PHONE'),
    },
    withdrawalFeeMinor: money(fail, vars.MPANDCO_WITHDRAWAL_FEE, 1_50, 'MPANDCO_WITHDRAWAL_FEE'),
    withdrawalDailyMaxMinor: money(fail, vars.MPANDCO_WITHDRAWAL_DAILY_MAX, 50_000_00, 'MPANDCO_WITHDRAWAL_DAILY_MAX'),
    withdrawalDailyCount: whole(fail, vars.MPANDCO_WITHDRAWAL_DAILY_COUNT, 5, 'MPANDCO_WITHDRAWAL_DAILY_COUNT'),
  };
}

/** The sandbox never sends real e-mail: its people are make-believe, their addresses too. */
export function mailSettings(env: EnvName, vars: NodeJS.ProcessEnv, fail: Fail): MailSettings {
  const smtpUrl = env === 'production' ? (vars.MPANDCO_SMTP_URL || undefined) : undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw fail('MPANDCO_SMTP_URL must start with smtp:// or smtps://');
  return { smtpUrl, from: (vars.MPANDCO_MAIL_FROM ?? '').trim() || 'mPandco <no-reply@mpandco.localhost>' };
}
