import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { envConfig, type EnvName } from '../../src/config/config.ts';
import type { Ctx } from '../../src/context.ts';
import { openEnvironment } from '../../src/platform.ts';
import { ManualClock, type Clock } from '../../src/shared/clock.ts';
import { randomHex } from '../../src/shared/ids.ts';

/** The store the suite runs on: PostgreSQL when DATABASE_URL is set, else SQLite files. */
export const DIALECT = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

export interface TestEnv {
  ctx: Ctx;
  clock: ManualClock;
  dataDir: string;
  /** Environment variables that point a child process (the CLI) at this same store. */
  childEnv: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export interface TestEnvOptions {
  env?: EnvName;
  clock?: ManualClock;
  /** Reuse another test env's data dir / schema prefix (e.g. to reopen after a "restart"). */
  dataDir?: string;
  schemaPrefix?: string;
  keep?: boolean;
  /** Environment variables to set (or, with undefined, to remove) for this store's configuration. */
  vars?: NodeJS.ProcessEnv;
  /** testServer only: more routes, added before the server listens (e.g. to simulate a crash). */
  extend?: (app: FastifyInstance, ctx: Ctx) => void;
}

/** A fresh, isolated store for one environment: its own temp dir or its own PostgreSQL schema. */
export async function testEnv(opts: TestEnvOptions = {}): Promise<TestEnv> {
  const env = opts.env ?? 'sandbox';
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-test-'));
  const schemaPrefix = opts.schemaPrefix ?? `t_${randomHex(6)}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    MPANDCO_DATA_DIR: dataDir,
    MPANDCO_PG_SCHEMA_PREFIX: schemaPrefix,
    MPANDCO_SANDBOX_PATH: 'sbx',
    MPANDCO_SANDBOX_TOKEN: 'test-token',
    // Most tests change a token, app or user and expect the very next call to see it: the
    // bearer cache is off unless a test turns it on (test/platform/two-nodes.test.ts checks its bound).
    MPANDCO_AUTH_CACHE_MS: process.env.MPANDCO_AUTH_CACHE_MS ?? '0',
  };
  for (const [k, v] of Object.entries(opts.vars ?? {})) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  const config = envConfig(env, { dataDir, port: '0' }, childEnv, true);
  const clock = opts.clock ?? new ManualClock(Date.UTC(2026, 10, 26, 15, 0, 0));
  const ctx = await openEnvironment(config, { clock: clock as Clock });
  return {
    ctx, clock, dataDir, childEnv,
    async close() {
      await ctx.store.close();
      if (opts.keep) return;
      if (DIALECT === 'postgres') await dropSchema(`${schemaPrefix}_${env}`);
      else if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

export interface TestServer extends TestEnv {
  app: FastifyInstance;
  baseUrl: string;
}

/** A real HTTP listener on a free port, with its public URL set to where it listens. */
export async function testServer(opts: TestEnvOptions = {}): Promise<TestServer> {
  const te = await testEnv(opts);
  const app = await buildApp(te.ctx);
  opts.extend?.(app, te.ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  (te.ctx.config as { publicUrl: string }).publicUrl = baseUrl;
  (te.ctx.config as { port: number }).port = port;
  return {
    ...te, app, baseUrl,
    async close() {
      await app.close();
      await te.close();
    },
  };
}
