import type { FastifyInstance } from 'fastify';
import type { Ctx } from './context.ts';
import { registerOAuth } from './oauth/oauth.routes.ts';
import { registerCheckout } from './checkout/checkout.routes.ts';
import { registerPaymentIntents } from './payment-intents/payment-intent.routes.ts';
import { registerPayments } from './payments/payment.routes.ts';
import { registerProfile } from './profile/profile.routes.ts';
import { registerSandboxAutorize } from './sandbox/autorize.routes.ts';
import { registerSandboxCodes } from './sandbox/codes.routes.ts';
import { registerSandboxTools } from './sandbox/tools.routes.ts';
import { registerPayouts } from './payouts/payout.routes.ts';
import { registerOnboarding } from './onboarding/register.routes.ts';
import { registerApps } from './apps/apps.routes.ts';
import { registerWallet } from './wallet/wallet.routes.ts';
import { registerBackoffice } from './backoffice/backoffice.routes.ts';
import { registerGolive } from './golive/golive.routes.ts';
import { registerBilling } from './billing/billing.routes.ts';
import { registerAnnulment } from './annulment/annulment.routes.ts';
import { registerAccess } from './oauth/access.routes.ts';
import { registerDashboard } from './dashboard/dashboard.routes.ts';
import { registerMail } from './mail/mail.routes.ts';
import { registerAccountSettings } from './account-settings/settings.routes.ts';
import { registerTopups } from './topups/topups.routes.ts';
import { registerWithdrawals } from './withdrawals/withdrawals.routes.ts';
import { registerGuides } from './guides/guides.routes.ts';
import { registerWebhooks } from './webhooks/webhooks.routes.ts';
import { registerRequestLog } from './request-log/request-log.routes.ts';

/** Each feature folder contributes one registration function. Order matters only for hooks. */
export type Feature = (app: FastifyInstance, ctx: Ctx) => Promise<void> | void;

export const FEATURES: Feature[] = [
  registerOAuth,
  registerCheckout,
  registerPaymentIntents,
  registerPayments,
  registerProfile,
  registerSandboxAutorize,
  registerSandboxCodes,
  registerSandboxTools,
  registerPayouts,
  registerOnboarding,
  registerApps,
  registerWallet,
  registerBackoffice,
  registerGolive,
  registerBilling,
  registerAnnulment,
  registerAccess,
  registerDashboard,
  registerMail,
  registerAccountSettings,
  registerTopups,
  registerWithdrawals,
  registerGuides,
  registerWebhooks,
  registerRequestLog,
];
