import type { Logger } from 'pino';
import type { EnvConfig, EnvName } from './config/config.ts';
import type { Store } from './db/store.ts';
import type { Clock } from './shared/clock.ts';

/** Everything one environment's services need. Sandbox and production each have their own. */
export interface Ctx {
  readonly env: EnvName;
  readonly config: EnvConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  readonly secrets: EnvSecrets;
}

export interface EnvSecrets {
  /** Secret path segment and token of the sandbox helpers (codes link, auto-approval). */
  sandboxPath: string;
  /** The codes link's token. */
  sandboxToken: string;
  /** autorize.json's token (the PHP SDK publishes its own). */
  sandboxAutorizeToken: string;
  cookieSecret: string;
}

export const isSandbox = (ctx: Ctx): boolean => ctx.env === 'sandbox';

/** The full URLs of the sandbox helpers, with their secret path and tokens. */
export function sandboxUrls(ctx: Ctx) {
  const base = `${ctx.config.publicUrl}/${ctx.secrets.sandboxPath}`;
  const token = encodeURIComponent(ctx.secrets.sandboxToken);
  const autorizeToken = encodeURIComponent(ctx.secrets.sandboxAutorizeToken);
  return {
    codes: `${base}/codes.json?access_token=${token}`,
    autorize: `${base}/payment-intent/autorize.json?access_token=${autorizeToken}&id=`,
  };
}
