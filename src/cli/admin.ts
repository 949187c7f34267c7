import readline from 'node:readline';
import type { Ctx } from '../context.ts';
import { envArg, output, parse, withEnv, type Options } from './args.ts';
import { UsageError, type Command } from './command.ts';
import { REGISTRY } from './registry.ts';
import { AUDIT_ACTIONS, listAudit, type Actor } from '../audit/audit.service.ts';
import {
  activateApp, changeAppStatus, checkReason, decideDistribution, refuseGolive, resolveAppId, setBilling,
} from '../backoffice/app-admin.service.ts';
import { APP_FILTERS, listApps, type AppFilter } from '../backoffice/backoffice.repository.ts';
import { checkCodesRequest, createOperator, issueOperatorCodes, operatorId } from '../backoffice/operators.service.ts';
import type { Tx } from '../db/store.ts';
import { DomainError, ValidationError } from '../shared/errors.ts';
import { t } from '../shared/i18n.ts';
import { apiDate } from '../shared/clock.ts';

// `mpandco admin ...`: the back office for scripts. Every change runs in one transaction
// with its audit row, in the name of the operator given by --operator.

type Values = Record<string, string | boolean | undefined>;
type Result = { json: Record<string, unknown> | unknown[]; human?: string };
interface Sub {
  args: string;
  options?: Options;
  /** Changes something: needs --operator, who is recorded in the audit log. */
  mutating?: boolean;
  run(ctx: Ctx, v: Values, pos: string[], actor?: Actor): Promise<Result>;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function one(pos: string[], what: string, n = 1): string[] {
  if (pos.length !== n) throw new UsageError(`expected ${what}`);
  return pos;
}

async function appState(ctx: Ctx, appId: string): Promise<Result> {
  const a = await ctx.store.db.selectFrom('apps')
    .select(['id', 'client_id', 'name', 'ready', 'billing_enabled', 'status', 'status_reason']).where('id', '=', appId).executeTakeFirstOrThrow();
  const state = { ...a, ready: Boolean(a.ready), billing_enabled: Boolean(a.billing_enabled) };
  return { json: state, human: `${a.name} (${a.id}): ${a.status}${a.ready ? ', ready' : ', not ready'}${a.billing_enabled ? ', billing API on' : ''}` };
}

/** Runs one change on an app (by id or client id) in a transaction, then prints the app's state. */
function onApp(required: boolean, fn: (tx: Tx, actor: Actor, appId: string, reason: string | null, now: number, v: Values, pos: string[], ctx: Ctx) => Promise<void>, extra = '') {
  return {
    args: `APP_ID|CLIENT_ID${extra} ${required ? '--reason TEXT' : '[--reason TEXT]'}`, mutating: true,
    async run(ctx: Ctx, v: Values, pos: string[], actor?: Actor) {
      one(pos, `APP_ID|CLIENT_ID${extra}`, extra ? 2 : 1);
      const reason = checkReason(str(v.reason), required);
      const appId = await resolveAppId(ctx.store.db, pos[0]);
      await ctx.store.tx((tx) => fn(tx, actor!, appId, reason, ctx.clock.now(), v, pos, ctx));
      return appState(ctx, appId);
    },
  } satisfies Sub;
}

const SUBS: Record<string, Sub> = {
  'create-operator': {
    args: '--username U [--full-name NAME] [--password-stdin]',
    options: { username: { type: 'string' }, 'full-name': { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    async run(ctx, v, pos) {
      one(pos, 'no positional arguments', 0);
      if (!str(v.username)) throw new UsageError('--username is required');
      const password = v['password-stdin'] ? await passwordFromStdin() : await promptPassword();
      const by = str(v.operator) ? { operatorId: await operatorId(ctx.store.db, str(v.operator)!), via: 'cli' as const } : undefined;
      const op = await createOperator(ctx, { username: str(v.username)!, password, fullName: str(v['full-name']) }, by);
      return { json: { env: ctx.env, ...op }, human: `operator ${op.username} created in ${ctx.env} (id ${op.id})` };
    },
  },
  codes: {
    args: '[--type commercial|regular] [--count N]', mutating: true,
    options: { type: { type: 'string' }, count: { type: 'string' } },
    async run(ctx, v, pos, actor) {
      one(pos, 'no positional arguments', 0);
      const { type, count } = checkCodesRequest(v.type, v.count);
      const codes = await ctx.store.tx((tx) => issueOperatorCodes(tx, actor!, type, count, ctx.clock.now()));
      return { json: { env: ctx.env, type, codes }, human: codes.join('\n') };
    },
  },
  apps: {
    args: `list [--filter ${APP_FILTERS.join('|')}]`,
    options: { filter: { type: 'string' } },
    async run(ctx, v, pos) {
      if (pos[0] !== 'list' || pos.length !== 1) throw new UsageError('try: admin apps list');
      const filter = (str(v.filter) ?? 'all') as AppFilter;
      if (!APP_FILTERS.includes(filter)) throw new UsageError(`--filter must be one of ${APP_FILTERS.join(', ')}`);
      const [apps, pending] = await Promise.all([
        listApps(ctx.store.db, filter, 10_000),
        ctx.store.db.selectFrom('golive_requests').select('app_id').where('status', '=', 'pending').execute(),
      ]);
      const waiting = new Set(pending.map((p) => p.app_id));
      const rows = apps.map((a) => ({
        id: a.id, client_id: a.client_id, name: a.name, owner: a.owner, home_url: a.home_url, status: a.status,
        ready: Boolean(a.ready), billing_enabled: Boolean(a.billing_enabled), golive_pending: waiting.has(a.id),
      }));
      const human = rows.map((r) => `${r.id}  ${r.status.padEnd(9)} ${r.ready ? 'ready    ' : 'not-ready'} ${r.golive_pending ? 'golive-pending ' : ''}${r.name} (@${r.owner}) ${r.home_url}`);
      return { json: rows, human: human.join('\n') || '(no apps)' };
    },
  },
  activate: onApp(false, (tx, a, id, reason, now, _v, _p, ctx) => activateApp(tx, a, id, reason, now, ctx.env === 'production')),
  'refuse-golive': onApp(true, (tx, a, id, reason, now) => refuseGolive(tx, a, id, reason!, now)),
  'grant-billing': onApp(false, (tx, a, id, reason, now) => setBilling(tx, a, id, true, reason, now)),
  'revoke-billing': onApp(false, (tx, a, id, reason, now) => setBilling(tx, a, id, false, reason, now)),
  'authorize-distribution': onApp(false, (tx, a, id, r, now, _v, pos) => decideDistribution(tx, a, id, pos[1], 'authorized', r, now), ' ACCOUNT_HANDLE'),
  'refuse-distribution': onApp(false, (tx, a, id, r, now, _v, pos) => decideDistribution(tx, a, id, pos[1], 'refused', r, now), ' ACCOUNT_HANDLE'),
  suspend: onApp(true, (tx, a, id, reason, now) => changeAppStatus(tx, a, id, 'suspend', reason!, now)),
  reinstate: onApp(true, (tx, a, id, reason, now) => changeAppStatus(tx, a, id, 'reinstate', reason!, now)),
  revoke: onApp(true, (tx, a, id, reason, now) => changeAppStatus(tx, a, id, 'revoke', reason!, now)),
  audit: {
    args: '[--limit N] [--action ACTION] [--target ID]',
    options: { limit: { type: 'string' }, action: { type: 'string' }, target: { type: 'string' } },
    async run(ctx, v, pos) {
      one(pos, 'no positional arguments', 0);
      const limit = str(v.limit) ?? '50';
      if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1) throw new UsageError('--limit must be a whole number from 1 to 9999');
      const action = str(v.action);
      if (action && !(AUDIT_ACTIONS as readonly string[]).includes(action)) throw new UsageError(`--action must be one of ${AUDIT_ACTIONS.join(', ')}`);
      const { rows } = await listAudit(ctx.store.db, { action, targetId: str(v.target), limit: Number(limit), offset: 0 });
      const human = rows.map((r) => `${apiDate(r.createdAt)}  ${(r.operatorUsername ?? r.operatorId).padEnd(12)} ${r.action.padEnd(22)} ${r.targetType}:${r.targetId}${r.reason ? `  "${r.reason}"` : ''}`);
      return { json: rows, human: human.join('\n') || '(empty)' };
    },
  },
};


/** Its subcommands, as the registry lists them without loading this file. */
export const ADMIN_SUBS = Object.keys(SUBS);

export const adminCommand: Command = {
  usage: REGISTRY.admin.usage,
  async run(argv) {
    const [name, ...rest] = argv;
    const sub = name ? SUBS[name] : undefined;
    if (!sub) {
      const list = Object.entries(SUBS).map(([k, s]) => `  mpandco admin ${k} ${s.args}`).join('\n');
      throw new UsageError(`unknown admin command "${name ?? ''}"; one of:\n${list}`);
    }
    const { values, positionals } = parse(rest, { env: { type: 'string' }, operator: { type: 'string' }, reason: { type: 'string' }, ...sub.options });
    const v = values as Values;
    const env = envArg(v.env, 'production');
    if (sub.mutating && !str(v.operator)) throw new UsageError(`admin ${name} changes ${env}: say who you are with --operator USERNAME`);
    const result = await withEnv(env, str(v['data-dir']), async (ctx) => {
      try {
        const actor = sub.mutating ? { operatorId: await operatorId(ctx.store.db, str(v.operator)!), via: 'cli' as const } : undefined;
        return await sub.run(ctx, v, positionals, actor);
      } catch (e) {
        if (e instanceof DomainError && !(e instanceof ValidationError)) throw new Error(t('es', e.msg.key, e.msg.params));
        throw e;
      }
    });
    output(Boolean(v.json), result.json, v.json ? undefined : result.human);
    return 0;
  },
};

async function passwordFromStdin(): Promise<string> {
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  const password = data.replace(/\r?\n$/, '');
  if (!password) throw new UsageError('--password-stdin: no password on standard input');
  return password;
}

/** Asks twice without echo; only on a terminal, so a script never waits for a prompt. */
async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError('no password: pipe it with --password-stdin, or run in a terminal to be asked');
  const first = await ask('Password: ');
  const second = await ask('Repeat the password: ');
  if (first !== second) throw new UsageError('the two passwords differ');
  return first;
}

function ask(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    let muted = false;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (!muted) process.stdout.write(s);
    };
    rl.question(prompt, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}
