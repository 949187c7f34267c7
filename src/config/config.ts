import path from 'node:path';
import { mailSettings, walletSettings, type MailSettings, type WalletSettings } from './wallet-settings.ts';

export type EnvName = 'sandbox' | 'production';
export const ENV_NAMES: readonly EnvName[] = ['sandbox', 'production'];

export interface StoreConfig {
  /** PostgreSQL connection string; absent means embedded SQLite. */
  databaseUrl?: string;
  /** Directory for SQLite files and other local state. */
  dataDir: string;
  /** PostgreSQL schema holding this environment's tables. */
  pgSchema?: string;
  /** PostgreSQL's pool and group commit; defaults when absent. */
  pg?: PgTuning;
}

/** How the PostgreSQL store sizes its pool and its groups of payments (docs/ledger.md). */
export interface PgTuning {
  /** MPANDCO_PG_POOL: connections per environment and process. */
  pool: number;
  /** MPANDCO_PG_LANES: groups committed at once (at most pool - 1). */
  lanes: number;
  /** MPANDCO_PG_GROUP: the most jobs in one group. */
  maxGroup: number;
  /** MPANDCO_PG_MIN_GROUP: the fewest waiting jobs that start a group while another runs. */
  minGroup: number;
}

export interface EnvConfig {
  env: EnvName;
  host: string;
  port: number;
  /** The URL that clients see; every absolute link is built from it. */
  publicUrl: string;
  store: StoreConfig;
  tls?: { certFile: string; keyFile: string };
  trustProxy: boolean;
  /** Secret path and token of the sandbox helpers (sandbox only); random per store when unset. */
  sandboxPath?: string;
  sandboxToken?: string;
  sandboxAutorizeToken?: string;
  /** Loopback only (listener and public URL): the sandbox answers the manual's and the SDK's published secrets. */
  localOnly: boolean;
  /** Cookie secret for signed cookies; random per store when unset. */
  cookieSecret?: string;
  accessTokenTtlSec: number;
  refreshTokenIdleSec: number;
  requestExpiryMs: number;
  /** How long a node may keep answering API calls from its cached bearer-token check (0: always ask the store). */
  authCacheMs: number;
  logLevel: string;
  /** Top-ups, withdrawals and the platform's bank account (src/config/wallet-settings.ts). */
  wallet: WalletSettings;
  mail: MailSettings;
}

export const DEFAULT_PORTS: Record<EnvName, number> = { sandbox: 8080, production: 8090 };
/** A revoked token, or a suspended or revoked app, stops working on every node within this bound. */
export const DEFAULT_AUTH_CACHE_MS = 2000;

export interface ServeOptions {
  env?: string;
  port?: string;
  host?: string;
  publicUrl?: string;
  dataDir?: string;
  tlsCert?: string;
  tlsKey?: string;
  trustProxy?: boolean;
}

function pgSchemaFor(env: EnvName, vars: NodeJS.ProcessEnv): string {
  const prefix = vars.MPANDCO_PG_SCHEMA_PREFIX ?? 'mpandco';
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) throw new ConfigError('MPANDCO_PG_SCHEMA_PREFIX must be a lowercase SQL identifier');
  return `${prefix}_${env}`;
}

export class ConfigError extends Error {}

export function storeConfig(env: EnvName, dataDir: string | undefined, vars: NodeJS.ProcessEnv = process.env): StoreConfig {
  const databaseUrl = vars.DATABASE_URL || undefined;
  return {
    databaseUrl,
    dataDir: path.resolve(dataDir ?? vars.MPANDCO_DATA_DIR ?? './data'),
    pgSchema: databaseUrl ? pgSchemaFor(env, vars) : undefined,
    pg: databaseUrl ? pgTuning(vars) : undefined,
  };
}

/** The PostgreSQL tuning variables: whole numbers of 1 or more (0 would leave payments waiting for ever). */
export function pgTuning(vars: NodeJS.ProcessEnv = process.env): PgTuning {
  const atLeastOne = (name: string, fallback: number) => {
    const n = num(vars[name], fallback, name);
    if (n < 1) throw new ConfigError(`${name} must be 1 or more, got "${vars[name]}"`);
    return n;
  };
  return {
    pool: atLeastOne('MPANDCO_PG_POOL', 10),
    lanes: atLeastOne('MPANDCO_PG_LANES', 4),
    maxGroup: atLeastOne('MPANDCO_PG_GROUP', 32),
    minGroup: atLeastOne('MPANDCO_PG_MIN_GROUP', 8),
  };
}

function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function num(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new ConfigError(`${what} must be a whole number, got "${value}"`);
  return Number(value);
}

/** One environment's configuration from flags and variables; flags win. */
export function envConfig(env: EnvName, opts: ServeOptions, vars: NodeJS.ProcessEnv = process.env, single = false): EnvConfig {
  const upper = env.toUpperCase();
  const host = opts.host ?? vars.MPANDCO_HOST ?? '127.0.0.1';
  const port = single && opts.port !== undefined
    ? num(opts.port, DEFAULT_PORTS[env], '--port')
    : num(vars[`MPANDCO_${upper}_PORT`], DEFAULT_PORTS[env], `MPANDCO_${upper}_PORT`);
  if (port > 65535) throw new ConfigError(`port ${port} is out of range`);
  const tls = opts.tlsCert || opts.tlsKey ? { certFile: opts.tlsCert ?? '', keyFile: opts.tlsKey ?? '' } : undefined;
  if (tls && (!tls.certFile || !tls.keyFile)) throw new ConfigError('--tls-cert and --tls-key go together');
  const scheme = tls ? 'https' : 'http';
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host === '127.0.0.1' ? 'localhost' : host;
  const publicUrlRaw = (single ? opts.publicUrl : undefined) ?? vars[`MPANDCO_${upper}_PUBLIC_URL`] ?? `${scheme}://${shownHost}:${port}`;
  let publicUrl: string;
  try {
    const u = new URL(publicUrlRaw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    publicUrl = u.origin + u.pathname.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(`public URL "${publicUrlRaw}" is not an absolute http(s) URL`);
  }
  return {
    env,
    host,
    port,
    publicUrl,
    store: storeConfig(env, opts.dataDir, vars),
    tls,
    trustProxy: opts.trustProxy ?? vars.MPANDCO_TRUST_PROXY === '1',
    sandboxPath: vars.MPANDCO_SANDBOX_PATH || undefined,
    sandboxToken: vars.MPANDCO_SANDBOX_TOKEN || undefined,
    sandboxAutorizeToken: vars.MPANDCO_SANDBOX_AUTORIZE_TOKEN || vars.MPANDCO_SANDBOX_TOKEN || undefined,
    localOnly: isLoopbackHost(host) && isLoopbackHost(new URL(publicUrl).hostname),
    cookieSecret: vars[`MPANDCO_${upper}_COOKIE_SECRET`] || undefined,
    accessTokenTtlSec: num(vars.MPANDCO_ACCESS_TOKEN_TTL, 3600, 'MPANDCO_ACCESS_TOKEN_TTL'),
    refreshTokenIdleSec: num(vars.MPANDCO_REFRESH_IDLE_TTL, 30 * 86400, 'MPANDCO_REFRESH_IDLE_TTL'),
    requestExpiryMs: num(vars.MPANDCO_REQUEST_EXPIRY_MINUTES, 72 * 60, 'MPANDCO_REQUEST_EXPIRY_MINUTES') * 60_000,
    authCacheMs: num(vars.MPANDCO_AUTH_CACHE_MS, DEFAULT_AUTH_CACHE_MS, 'MPANDCO_AUTH_CACHE_MS'),
    logLevel: vars.LOG_LEVEL ?? 'info',
    wallet: walletSettings(vars, (m) => new ConfigError(m)),
    mail: mailSettings(env, vars, (m) => new ConfigError(m)),
  };
}

export function parseEnvList(value: string | undefined): EnvName[] {
  const v = value ?? 'both';
  if (v === 'both') return [...ENV_NAMES];
  if (v === 'sandbox' || v === 'production') return [v];
  throw new ConfigError(`--env must be sandbox, production or both, got "${v}"`);
}
