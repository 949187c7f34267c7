import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Ctx } from '../context.ts';
import { envConfig, ConfigError, type EnvName } from '../config/config.ts';
import { openEnvironment } from '../platform.ts';
import { UsageError } from './command.ts';


export type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON: Options = {
  json: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
};

export function parse(argv: string[], options: Options) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON, ...options }, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function envArg(value: unknown, fallback: EnvName): EnvName {
  const v = value === undefined ? fallback : String(value);
  if (v !== 'sandbox' && v !== 'production') throw new UsageError(`--env must be sandbox or production, got "${v}"`);
  return v;
}

/** Opens one environment's store for a command, with the same --data-dir and DATABASE_URL as serve. */
export async function withEnv<T>(env: EnvName, dataDir: string | undefined, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  let ctx: Ctx;
  try {
    ctx = await openEnvironment(envConfig(env, { dataDir }, process.env));
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  try {
    return await fn(ctx);
  } finally {
    await ctx.store.close();
  }
}

/** Prints either JSON or aligned "key value" lines. */
export function output(json: boolean, value: Record<string, unknown> | unknown[], human?: string): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  if (human !== undefined) {
    process.stdout.write(`${human}\n`);
    return;
  }
  const rows = Array.isArray(value) ? value : [value];
  for (const row of rows) {
    if (row && typeof row === 'object') {
      const entries = Object.entries(row as Record<string, unknown>);
      const width = Math.max(...entries.map(([k]) => k.length));
      for (const [k, v] of entries) process.stdout.write(`${k.padEnd(width)}  ${typeof v === 'object' ? JSON.stringify(v) : String(v)}\n`);
    } else {
      process.stdout.write(`${String(row)}\n`);
    }
  }
}
