import { parseEnvList, ConfigError, ENV_NAMES } from '../config/config.ts';
import cluster from 'node:cluster';
import { serve, serveCluster } from '../server.ts';
import { verifyLedger } from '../ledger/verify.ts';
import { DEFAULT_LATE_AFTER_MS, formatAge, queueBacklog } from '../backoffice/queues.service.ts';
import { createMerchant, createPayer } from '../sandbox/demo.ts';
import { issueCodes } from '../onboarding/codes.service.ts';
import { parseMoney, formatExactMinor } from '../shared/money.ts';
import { ValidationError } from '../shared/errors.ts';
import { translateTree } from '../http/errors.ts';
import { envArg, output, parse, withEnv } from './args.ts';
import { UsageError, type Command } from './command.ts';
import { REGISTRY } from './registry.ts';

/** --env sandbox, production or both (the default): the environments a command reads. */
function envList(value: unknown) {
  if (value === undefined) return [...ENV_NAMES];
  try {
    return parseEnvList(String(value));
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
}

export const COMMANDS: Record<string, Command> = {
  serve: {
    usage: REGISTRY.serve.usage,
    async run(argv) {
      const { values } = parse(argv, {
        env: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'public-url': { type: 'string' },
        'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'trust-proxy': { type: 'boolean' },
        workers: { type: 'string' },
      });
      const workersText = (values.workers as string | undefined) ?? process.env.MPANDCO_WORKERS ?? '1';
      if (!/^\d{1,2}$/.test(workersText) || Number(workersText) < 1 || Number(workersText) > 64) {
        throw new UsageError('--workers must be a whole number from 1 to 64');
      }
      const workers = cluster.isWorker ? 1 : Number(workersText);
      try {
        const envs = parseEnvList(values.env as string | undefined);
        if (envs.length > 1 && (values.port || values['public-url'])) {
          throw new UsageError('--port and --public-url need --env sandbox or --env production; for both, use MPANDCO_SANDBOX_PORT / MPANDCO_PRODUCTION_PORT');
        }
        const serveOpts = {
          port: values.port as string | undefined, host: values.host as string | undefined,
          publicUrl: values['public-url'] as string | undefined, dataDir: values['data-dir'] as string | undefined,
          tlsCert: values['tls-cert'] as string | undefined, tlsKey: values['tls-key'] as string | undefined,
          trustProxy: values['trust-proxy'] as boolean | undefined,
        };
        if (workers > 1) await serveCluster(envs, serveOpts, workers);
        else await serve(envs, serveOpts);
      } catch (e) {
        if (e instanceof ConfigError) throw new UsageError(e.message);
        throw e;
      }
      return -1; // keep running
    },
  },

  migrate: {
    usage: REGISTRY.migrate.usage,
    async run(argv) {
      const { values } = parse(argv, { env: { type: 'string' } });
      let envs;
      try {
        envs = parseEnvList(values.env as string | undefined);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      for (const env of envs) {
        await withEnv(env, values['data-dir'] as string | undefined, async () => undefined);
        output(values.json as boolean, { env, migrated: true }, `${env}: schema is up to date`);
      }
      return 0;
    },
  },

  ledger: {
    usage: REGISTRY.ledger.usage,
    async run(argv) {
      const { values, positionals } = parse(argv, { env: { type: 'string' } });
      if (positionals[0] !== 'verify') throw new UsageError('unknown ledger command; try: ledger verify');
      const envs = envList(values.env);
      let failed = false;
      const reports = [];
      for (const env of envs) {
        const report = await withEnv(env, values['data-dir'] as string | undefined, (ctx) => verifyLedger(ctx.store.db));
        reports.push({ env, ...report });
        failed ||= !report.ok;
        if (!values.json) {
          process.stdout.write(`${env}: ${report.ok ? 'OK' : 'VIOLATIONS'} — ${report.entries} entries, ${report.postings} postings, ${report.accounts} accounts, wallets hold ${formatExactMinor(BigInt(report.walletTotalMinor))} VES\n`);
          for (const v of report.violations) process.stdout.write(`  ${v.invariant}: ${v.detail}\n`);
        }
      }
      if (values.json) output(true, reports);
      return failed ? 1 : 0;
    },
  },

  queues: {
    usage: REGISTRY.queues.usage,
    async run(argv) {
      const { values } = parse(argv, { env: { type: 'string' }, 'late-after': { type: 'string' } });
      const lateText = values['late-after'] as string | undefined;
      if (lateText !== undefined && (!/^\d{1,7}$/.test(lateText) || Number(lateText) < 1)) {
        throw new UsageError(`--late-after must be a number of seconds from 1 to 9999999, got "${lateText}"`);
      }
      const lateAfterMs = lateText === undefined ? DEFAULT_LATE_AFTER_MS : Number(lateText) * 1000;
      const envs = envList(values.env);
      let late = false;
      const reports = [];
      for (const env of envs) {
        const queues = await withEnv(env, values['data-dir'] as string | undefined, (ctx) => queueBacklog(ctx.store.db, ctx.clock.now(), lateAfterMs));
        reports.push({ env, queues });
        late ||= queues.some((q) => q.late);
        if (!values.json) {
          process.stdout.write(`${env}:\n`);
          for (const q of queues) {
            const oldest = q.due > 0 ? `, oldest due ${formatAge(q.oldestAgeMs)} ago` : '';
            const failed = q.failed === null ? '' : `, ${q.failed} given up`;
            process.stdout.write(`  ${q.queue.padEnd(10)} ${String(q.due).padStart(6)} due${oldest}${failed}${q.late ? '  LATE' : ''}\n`);
          }
        }
      }
      if (values.json) output(true, reports);
      return late ? 1 : 0;
    },
  },

  sandbox: {
    usage: REGISTRY.sandbox.usage,
    async run(argv) {
      if (argv[0] === 'clock') return (await import('./sandbox-clock.ts')).runSandboxClock(argv.slice(1));
      const { values, positionals } = parse(argv, { balance: { type: 'string' }, count: { type: 'string' } });
      const what = positionals[0];
      const dataDir = values['data-dir'] as string | undefined;
      if (what === 'merchant') {
        if (values.balance !== undefined || values.count !== undefined) throw new UsageError('--balance and --count are for sandbox payer');
        const creds = await withEnv('sandbox', dataDir, (ctx) => createMerchant(ctx));
        output(values.json as boolean, { ...creds });
        return 0;
      }
      if (what === 'payer') {
        const parsed = parseMoney(values.balance ?? '1000');
        if (!parsed.ok || parsed.minor < 0) throw new UsageError(`--balance must be an amount like 100 or 100.50 (at most 2 decimals), got "${values.balance}"`);
        if (values.count === undefined) {
          const creds = await withEnv('sandbox', dataDir, (ctx) => createPayer(ctx, parsed.minor));
          output(values.json as boolean, { ...creds });
          return 0;
        }
        const raw = String(values.count);
        const count = Number(raw);
        if (!/^\d+$/.test(raw) || count < 1 || count > 1000) throw new UsageError(`--count must be a whole number from 1 to 1000, got "${raw}"`);
        // Several people for load or integration tests: a JSON array, one object each.
        const list = await withEnv('sandbox', dataDir, async (ctx) => {
          const made = [];
          for (let i = 0; i < count; i++) made.push({ ...(await createPayer(ctx, parsed.minor)) });
          return made;
        });
        output(values.json as boolean, list);
        return 0;
      }
      throw new UsageError('try: sandbox merchant, sandbox payer --balance 500, or sandbox clock advance 25h --account USERNAME');
    },
  },

  codes: {
    usage: REGISTRY.codes.usage,
    async run(argv) {
      const { values } = parse(argv, { env: { type: 'string' }, type: { type: 'string' }, count: { type: 'string' } });
      const env = envArg(values.env, 'sandbox');
      // Production codes come from sales, through an operator, and are audited (as in the back office).
      if (env === 'production') {
        throw new UsageError('production codes are issued by an operator: mpandco admin codes --env production --type T --count N --operator USERNAME');
      }
      const type = values.type;
      if (type !== 'regular' && type !== 'commercial') throw new UsageError('--type must be regular or commercial');
      const countText = (values.count as string | undefined) ?? '1';
      if (!/^\d+$/.test(countText) || Number(countText) < 1 || Number(countText) > 1000) throw new UsageError('--count must be a whole number from 1 to 1000');
      const codes = await withEnv(env, values['data-dir'] as string | undefined, (ctx) =>
        ctx.store.tx((tx) => issueCodes(tx, type, Number(countText), 'cli', ctx.clock.now())));
      output(values.json as boolean, { env, type, codes }, codes.join('\n'));
      return 0;
    },
  },
};

/** Turns a validation error from a service into readable lines for the terminal. */
export function describeValidation(e: ValidationError): string {
  const tree = translateTree(e.tree, 'es');
  const out: string[] = [];
  const walk = (n: typeof tree, path: string) => {
    n.errors?.forEach((m) => out.push(path ? `${path}: ${m}` : m));
    if (Array.isArray(n.children)) n.children.forEach((c, i) => walk(c, `${path}[${i}]`));
    else if (n.children) for (const [k, c] of Object.entries(n.children)) walk(c, path ? `${path}.${k}` : k);
  };
  walk(tree, '');
  return out.join('\n');
}
