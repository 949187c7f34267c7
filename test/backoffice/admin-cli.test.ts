import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../helpers/env.ts';
import { runCli } from '../helpers/cli.ts';
import { submitGolive } from '../../src/golive/golive.service.ts';
import { accessToken, apiStatus, auditActions, productionApp, productionBusiness } from './fixtures.ts';

describe('mpandco admin', () => {
  let te: TestEnv;
  const cli = (args: string[], input?: string) => runCli(['admin', ...args], te.childEnv, input);
  const users = () => te.ctx.store.db.selectFrom('users').select(['username', 'kind']).where('kind', '=', 'operator').execute();

  beforeAll(async () => {
    te = await testEnv({ env: 'production' });
  });
  afterAll(async () => te.close());

  it('create-operator refuses a missing or weak password and never falls back to a default', async () => {
    const none = await cli(['create-operator', '--username', 'root']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--password-stdin');
    const empty = await cli(['create-operator', '--username', 'root', '--password-stdin'], '');
    expect(empty.code).toBe(2);
    const weak = await cli(['create-operator', '--username', 'root', '--password-stdin'], 'abcdefgh\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('password: La contraseña debe tener al menos 8 caracteres, con letras y números.');
    const noName = await cli(['create-operator', '--password-stdin'], 'Fuerte2026\n');
    expect(noName.code).toBe(2);
    expect(await users()).toEqual([]);
  });

  it('create-operator --password-stdin makes an operator of the production store, who can sign in', async () => {
    const r = await cli(['create-operator', '--username', 'Root.Ops', '--full-name', 'Equipo de Operaciones', '--password-stdin', '--json'], 'Fuerte2026\n');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ env: 'production', username: 'root.ops' });
    expect(await users()).toEqual([{ username: 'root.ops', kind: 'operator' }]);
    const wallets = await te.ctx.store.db.selectFrom('digital_accounts').select('id').where('user_id', '=', out.id).execute();
    expect(wallets).toEqual([]);
    const { signIn } = await import('../../src/accounts/accounts.service.ts');
    expect((await signIn(te.ctx.store.autocommit, 'root.ops', 'Fuerte2026', te.clock.now(), ['operator'])).ok).toBe(true);
    expect(await auditActions(te.ctx)).toMatchObject([{ action: 'operator.create', operator_id: out.id, target_id: out.id }]);
    const twice = await cli(['create-operator', '--username', 'root.ops', '--password-stdin'], 'Fuerte2026\n');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('Este usuario ya está registrado.');
  });

  it('requires a real --operator for every change', async () => {
    const missing = await cli(['codes', '--count', '2']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--operator USERNAME');
    const unknown = await cli(['codes', '--operator', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No existe un operador activo con ese usuario.');
    const count = await te.ctx.store.db.selectFrom('affiliation_codes').select('code').execute();
    expect(count).toEqual([]);
  });

  it('issues codes, lists apps and decides on them, each change audited in the operator\'s name', async () => {
    const opId = (await te.ctx.store.db.selectFrom('users').select('id').where('username', '=', 'root.ops').executeTakeFirstOrThrow()).id;
    const codes = await cli(['codes', '--count', '2', '--operator', 'root.ops', '--json']);
    expect(codes.code, codes.stderr).toBe(0);
    const issued = JSON.parse(codes.stdout).codes as string[];
    expect(issued).toHaveLength(2);
    const rows = await te.ctx.store.db.selectFrom('affiliation_codes').selectAll().where('code', 'in', issued).execute();
    expect(rows.map((r) => [r.type, r.issued_by])).toEqual([['commercial', opId], ['commercial', opId]]);

    const biz = await productionBusiness(te.ctx, opId);
    const { app } = await productionApp(te.ctx, biz);
    await te.ctx.store.tx((tx) => submitGolive(tx, biz.userId, app.id, {
      affiliationCode: biz.code, ownSourceCode: true, sourceDescription: 'Desarrollo propio', hostingProvider: 'VPS propio',
    }, te.clock.now()));
    await te.ctx.store.autocommit.insertInto('app_distribution_accounts').values({
      app_id: app.id, account_id: biz.accountId, status: 'pending', requested_at: te.clock.now(), decided_at: null, decided_by: null,
    }).execute();
    const token = await accessToken(te.ctx, app.id, biz.userId);

    const list = JSON.parse((await cli(['apps', 'list', '--filter', 'waiting', '--json'])).stdout);
    expect(list).toEqual([expect.objectContaining({ id: app.id, client_id: app.client_id, ready: false, golive_pending: true })]);

    expect(await apiStatus(te.ctx, token)).toBe(503);
    const act = await cli(['activate', app.client_id, '--reason', 'Requisitos verificados', '--operator', 'root.ops', '--json']);
    expect(act.code, act.stderr).toBe(0);
    expect(JSON.parse(act.stdout)).toMatchObject({ id: app.id, ready: true, billing_enabled: false, status: 'active' });
    expect(await apiStatus(te.ctx, token)).toBe(200);
    expect(await apiStatus(te.ctx, token, 'billing')).toBe(403);

    const steps: string[][] = [
      ['grant-billing', app.id],
      ['authorize-distribution', app.id, biz.handle],
      ['suspend', app.id, '--reason', 'Investigación de fraude'],
      ['reinstate', app.id, '--reason', 'Investigación cerrada'],
      ['revoke-billing', app.id],
      ['revoke', app.id, '--reason', 'Cierre del comercio'],
    ];
    for (const args of steps) {
      const r = await cli([...args, '--operator', 'root.ops']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(app.name);
    }
    const dist = await te.ctx.store.db.selectFrom('app_distribution_accounts').selectAll().executeTakeFirstOrThrow();
    expect([dist.status, dist.decided_by]).toEqual(['authorized', opId]);
    expect(await apiStatus(te.ctx, token)).toBe(403);

    const audit = JSON.parse((await cli(['audit', '--json', '--limit', '100'])).stdout) as { action: string; operatorId: string; details: { via: string } }[];
    expect(audit.map((a) => a.action).reverse()).toEqual([
      'operator.create', 'codes.issue', 'golive.activate', 'billing.grant', 'distribution.authorize', 'app.suspend', 'app.reinstate',
      'billing.withdraw', 'app.revoke',
    ]);
    expect(audit.every((a) => a.operatorId === opId && a.details.via === 'cli')).toBe(true);
  });

  it('explains refusals clearly and changes nothing', async () => {
    const app = await te.ctx.store.db.selectFrom('apps').selectAll().executeTakeFirstOrThrow();
    const before = (await auditActions(te.ctx)).length;
    const cases: [string[], number, string][] = [
      [['suspend', app.id, '--operator', 'root.ops'], 1, 'reason: Indique el motivo.'],
      [['reinstate', app.id, '--reason', 'x', '--operator', 'root.ops'], 1, 'La aplicación fue revocada; ya no admite cambios.'],
      [['activate', 'no-such-app', '--operator', 'root.ops'], 1, 'No existe esa aplicación.'],
      [['codes', '--count', '5000', '--operator', 'root.ops'], 1, 'count: Indique una cantidad de 1 a 100.'],
      [['apps', 'list', '--filter', 'weird'], 2, '--filter must be one of'],
      [['launch-rockets'], 2, 'unknown admin command "launch-rockets"'],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
    expect((await auditActions(te.ctx)).length).toBe(before);
  });
});
