import pino, { type Logger } from 'pino';
import type { EnvConfig } from './config/config.ts';
import type { Ctx } from './context.ts';
import { openStore } from './db/store.ts';
import { getOrInitSetting } from './db/settings.ts';
import { ensureSystemAccounts } from './ledger/system-accounts.ts';
import { randomHex, randomToken } from './shared/ids.ts';
import { systemClock, type Clock } from './shared/clock.ts';

export interface OpenOptions {
  clock?: Clock;
  log?: Logger;
}

/** Opens one environment's store (migrating it) and its secrets: everything but HTTP. */
export async function openEnvironment(config: EnvConfig, opts: OpenOptions = {}): Promise<Ctx> {
  const store = await openStore(config.store, `${config.env}.sqlite`);
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? pino({ level: 'silent' });
  const db = store.db;
  const secrets = {
    sandboxPath: config.sandboxPath ?? (await getOrInitSetting(db, 'sandbox.path', () => randomHex(8))),
    sandboxToken: config.sandboxToken ?? (await getOrInitSetting(db, 'sandbox.token', () => randomHex(16))),
    cookieSecret: config.cookieSecret ?? (await getOrInitSetting(db, 'cookie.secret', () => randomToken(32))),
  };
  await store.tx((tx) => ensureSystemAccounts(tx, clock.now()));
  return { env: config.env, config, store, clock, log, secrets };
}
