import pino, { type Logger } from 'pino';
import type { EnvConfig } from './config/config.ts';
import type { Ctx } from './context.ts';
import { openStore } from './db/store.ts';
import { getOrInitSetting } from './db/settings.ts';
import { ensureSystemAccounts } from './ledger/system-accounts.ts';
import { randomHex, randomToken } from './shared/ids.ts';
import { systemClock, type Clock } from './shared/clock.ts';

/** The sandbox secrets the public manual (codes link) and the PHP SDK (autorize.json) print. */
export const PUBLISHED_SANDBOX_SECRETS = {
  path: 'bc38875a09308a2',
  codesToken: 'f21d867c420680a2e4b90e761a9e751f',
  autorizeToken: '83a2a1f9105f810757355a843e5579d8',
} as const;

export interface OpenOptions {
  clock?: Clock;
  log?: Logger;
}

/** Opens one environment's store (migrating it) and its secrets: everything but HTTP. */
export async function openEnvironment(config: EnvConfig, opts: OpenOptions = {}): Promise<Ctx> {
  // Without a logger (the CLI, scripts), what the store reports goes to standard error.
  const store = await openStore(config.store, `${config.env}.sqlite`, opts.log ? (message, detail) => opts.log!.warn(detail, message) : undefined);
  const log = opts.log ?? pino({ level: 'silent' });
  const clock = opts.clock ?? systemClock;
  const db = store.autocommit;
  // A developer's own sandbox (loopback only) answers the secrets the manual and the PHP SDK
  // publish, so their links and tests work unchanged; one reachable by others keeps its own.
  const published = config.localOnly ? PUBLISHED_SANDBOX_SECRETS : undefined;
  const sandboxToken = config.sandboxToken ?? published?.codesToken ?? (await getOrInitSetting(db, 'sandbox.token', () => randomHex(16)));
  const secrets = {
    sandboxPath: config.sandboxPath ?? published?.path ?? (await getOrInitSetting(db, 'sandbox.path', () => randomHex(8))),
    sandboxToken,
    sandboxAutorizeToken: config.sandboxAutorizeToken ?? published?.autorizeToken ?? sandboxToken,
    cookieSecret: config.cookieSecret ?? (await getOrInitSetting(db, 'cookie.secret', () => randomToken(32))),
  };
  await store.tx((tx) => ensureSystemAccounts(tx, clock.now()));
  return { env: config.env, config, store, clock, log, secrets };
}
