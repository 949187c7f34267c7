import cluster from 'node:cluster';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from './app.ts';
import { envConfig, type EnvName, type ServeOptions } from './config/config.ts';
import type { Ctx } from './context.ts';
import { openEnvironment } from './platform.ts';
import { ensureSandboxSeed, type DemoCredentials } from './sandbox/seed.ts';
import { sandboxUrls } from './context.ts';
import { BACKGROUND_WORKERS } from './workers.ts';
import { sandboxMailUrl } from './mail/mail.routes.ts';

export interface Running {
  env: EnvName;
  ctx: Ctx;
  app: FastifyInstance;
  url: string;
  demo?: DemoCredentials;
  stopWorkers: (() => Promise<void>)[];
}

export async function startEnvironment(env: EnvName, opts: ServeOptions, single: boolean): Promise<Running> {
  const config = envConfig(env, opts, process.env, single);
  const log = pino({ level: config.logLevel, base: { env } });
  const ctx = await openEnvironment(config, { log });
  const demo = await ensureSandboxSeed(ctx);
  const https = config.tls
    ? { key: fs.readFileSync(config.tls.keyFile), cert: fs.readFileSync(config.tls.certFile) }
    : undefined;
  const app = await buildApp(ctx, { logger: { level: config.logLevel, base: { env } }, https });
  await app.listen({ host: config.host, port: config.port });
  const stopWorkers = BACKGROUND_WORKERS.map((start) => start(ctx));
  return { env, ctx, app, url: config.publicUrl, demo, stopWorkers };
}

export function banner(running: Pick<Running, 'env' | 'ctx' | 'url' | 'demo'>[]): string {
  const lines: string[] = ['', 'mPandco is running.', ''];
  for (const r of running) {
    lines.push(`  ${r.env.padEnd(10)} ${r.url}   (health: ${r.url}/health, API docs: ${r.url}/docs)`);
  }
  const sandbox = running.find((r) => r.env === 'sandbox');
  if (sandbox) {
    const urls = sandboxUrls(sandbox.ctx);
    lines.push('', 'Sandbox affiliation codes link:', `  ${urls.codes}`);
    lines.push('Sandbox automatic approval:', `  ${urls.autorize}<intentId>`);
    lines.push('Sandbox mail ("Correo", every e-mail the sandbox writes, password-reset links too):', `  ${sandboxMailUrl(sandbox.ctx)}`);
    if (sandbox.demo) {
      const m = sandbox.demo.merchant;
      lines.push('', 'Sandbox demo business (sign in on the web with username or document):');
      lines.push(`  username ${m.username}   password ${m.password}   pin ${m.pin}   digital account ${m.digital_account}`);
      lines.push(`  OAuth app: client_id ${m.client_id}`);
      lines.push(`             client_secret ${m.client_secret}`);
      lines.push('Sandbox demo payers:');
      for (const p of sandbox.demo.payers) {
        lines.push(`  username ${p.username}   password ${p.password}   pin ${p.pin}   phone ${p.phone}   document ${p.document}   balance ${p.balance}`);
      }
    }
  }
  if (running.some((r) => r.env === 'production')) {
    lines.push('', 'Production has no demo data. Create the first operator with: npx mpandco admin create-operator');
  }
  lines.push('');
  return lines.join('\n');
}

export async function serve(envs: EnvName[], opts: ServeOptions): Promise<void> {
  const running: Running[] = [];
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`\n${signal}: draining in-flight requests and closing stores...\n`);
    // app.close() stops accepting, waits for in-flight requests, then we close the stores.
    await Promise.all(running.map(async (r) => {
      await Promise.all(r.stopWorkers.map((s) => s()));
      await r.app.close();
      await r.ctx.store.close();
    }));
    process.exit(0);
  };
  // Handlers first: whoever reads the banner may signal us at once.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  for (const env of envs) running.push(await startEnvironment(env, opts, envs.length === 1));
  if (cluster.isWorker) process.send?.('ready');
  else process.stdout.write(banner(running));
}

/**
 * Several server processes on the same ports (node:cluster), for more than one core.
 * The primary migrates and seeds each store once, then forks; every worker serves every
 * environment. Stores, background loops and idempotency are already safe across processes.
 */
export async function serveCluster(envs: EnvName[], opts: ServeOptions, workers: number): Promise<void> {
  const shown: Pick<Running, 'env' | 'ctx' | 'url' | 'demo'>[] = [];
  for (const env of envs) {
    const config = envConfig(env, opts, process.env, envs.length === 1);
    const ctx = await openEnvironment(config);
    shown.push({ env, ctx, url: config.publicUrl, demo: await ensureSandboxSeed(ctx) });
  }
  await Promise.all(shown.map((r) => r.ctx.store.close()));
  let closing = false;
  const fork = () => new Promise<void>((resolve) => {
    const w = cluster.fork();
    w.on('message', (m) => m === 'ready' && resolve());
    w.on('exit', () => {
      if (!closing) void fork(); // a worker died: replace it
    });
  });
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`\n${signal}: stopping ${workers} workers...\n`);
    const all = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(all.map((w) => new Promise((resolve) => {
      w.once('exit', resolve);
      w.process.kill('SIGTERM');
    })));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await Promise.all(Array.from({ length: workers }, fork));
  process.stdout.write(banner(shown) + `(${workers} worker processes)\n`);
}
