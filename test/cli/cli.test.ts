import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { testEnv, type TestEnv } from '../helpers/env.ts';
import { runCli } from '../helpers/cli.ts';

describe('the mpandco command', () => {
  let te: TestEnv;
  let prod: TestEnv;
  beforeAll(async () => {
    te = await testEnv();
    prod = await testEnv({ env: 'production', dataDir: te.dataDir, schemaPrefix: te.childEnv.MPANDCO_PG_SCHEMA_PREFIX });
  });
  afterAll(async () => {
    await prod.close();
    await te.close();
  });

  const count = async (table: 'users' | 'affiliation_codes' | 'ledger_entries', env = te) =>
    Number((await env.ctx.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('creates a sandbox merchant with a ready OAuth app', async () => {
    const r = await runCli(['sandbox', 'merchant', '--json'], te.childEnv);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    for (const k of ['username', 'password', 'pin', 'digital_account', 'client_id', 'client_secret']) expect(m[k]).toBeTruthy();
    const app = await te.ctx.store.db.selectFrom('apps').selectAll().where('client_id', '=', m.client_id).executeTakeFirstOrThrow();
    expect(app.ready).toBe(1);
    expect(app.billing_enabled).toBe(1);
    expect(app.secret_hash).not.toContain(m.client_secret);
  });

  it('creates a sandbox payer with the balance asked for', async () => {
    const r = await runCli(['sandbox', 'payer', '--balance', '250.75', '--json'], te.childEnv);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.balance).toBe('250.75');
    expect(p.phone).toMatch(/^58414\d{7}$/);
    expect(p.document).toMatch(/^V\d{8}$/);
    const wallet = await te.ctx.store.db.selectFrom('digital_accounts').select('balance_minor').where('user_id', '=', p.payer_id).executeTakeFirstOrThrow();
    expect(Number(wallet.balance_minor)).toBe(25075);
  });

  it('creates several sandbox payers at once with --count, as a JSON array', async () => {
    const r = await runCli(['sandbox', 'payer', '--balance', '10', '--count', '3', '--json'], te.childEnv);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list).toHaveLength(3);
    expect(new Set(list.map((p: { username: string }) => p.username)).size).toBe(3);
    const wallets = await te.ctx.store.db.selectFrom('digital_accounts').select('balance_minor')
      .where('user_id', 'in', list.map((p: { payer_id: string }) => p.payer_id)).execute();
    expect(wallets.map((w) => Number(w.balance_minor))).toEqual([1000, 1000, 1000]);
  });

  it('refuses bad input with a clear message and changes nothing', async () => {
    const users = await count('users');
    const entries = await count('ledger_entries');
    for (const args of [
      ['sandbox', 'payer', '--balance', 'abc'],
      ['sandbox', 'payer', '--balance', '1.234'],
      ['sandbox', 'payer', '--balance', '-5'],
      ['sandbox', 'payer', '--count', '0'],
      ['sandbox', 'payer', '--count', '2.5'],
      ['sandbox', 'payer', '--count', '1001'],
      ['sandbox', 'merchant', '--balance', '5'],
      ['sandbox', 'nobody'],
      ['sandbox', 'payer', '--what'],
    ]) {
      const r = await runCli(args, te.childEnv);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/mpandco sandbox: .+/);
    }
    expect(await count('users')).toBe(users);
    expect(await count('ledger_entries')).toBe(entries);
  });

  it('issues sandbox affiliation codes, leaves production ones to an operator, and refuses bad ones', async () => {
    const r = await runCli(['codes', '--type', 'commercial', '--count', '3', '--json'], te.childEnv);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.env).toBe('sandbox');
    expect(out.codes).toHaveLength(3);
    for (const c of out.codes) expect(c).toMatch(/^[A-Za-z0-9]{8}$/);
    const stored = await te.ctx.store.db.selectFrom('affiliation_codes').selectAll().where('code', 'in', out.codes).execute();
    expect(stored.every((c) => c.type === 'commercial' && c.status === 'available' && c.issued_by)).toBe(true);
    const before = await count('affiliation_codes', prod);
    const prodCodes = await runCli(['codes', '--env', 'production', '--type', 'commercial'], te.childEnv);
    expect(prodCodes.code).toBe(2);
    expect(prodCodes.stderr).toContain('mpandco admin codes');
    for (const args of [
      ['codes', '--type', 'gold'],
      ['codes', '--env', 'staging', '--type', 'regular'],
      ['codes', '--type', 'regular', '--count', '0'],
      ['codes', '--type', 'regular', '--count', 'many'],
    ]) {
      const bad = await runCli(args, te.childEnv);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toContain('mpandco codes:');
    }
    expect(await count('affiliation_codes', prod)).toBe(before);
  });

  it('ledger verify passes on a sound ledger and names the violation on a broken one', async () => {
    const ok = await runCli(['ledger', 'verify'], te.childEnv);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/sandbox: OK/);
    // --env takes what the usage line names: sandbox, production or both.
    const both = await runCli(['ledger', 'verify', '--env', 'both'], te.childEnv);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(/^sandbox: OK.*\nproduction: OK/s);
    const wallet = await te.ctx.store.db.selectFrom('digital_accounts').select(['id', 'balance_minor']).where('kind', '=', 'wallet')
      .where('balance_minor', '>', 0).executeTakeFirstOrThrow();
    await te.ctx.store.autocommit.updateTable('digital_accounts').set({ balance_minor: Number(wallet.balance_minor) + 1 }).where('id', '=', wallet.id).execute();
    const bad = await runCli(['ledger', 'verify', '--env', 'sandbox'], te.childEnv);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('balance_matches_postings');
    await te.ctx.store.autocommit.updateTable('digital_accounts').set({ balance_minor: Number(wallet.balance_minor) }).where('id', '=', wallet.id).execute();
    expect((await verifyLedger(te.ctx.store.db)).ok).toBe(true);
  });

  it('migrates both stores and refuses an unknown environment', async () => {
    const r = await runCli(['migrate', '--env', 'both', '--json'], te.childEnv);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"env": "sandbox"');
    expect(r.stdout).toContain('"env": "production"');
    const migrations = await te.ctx.store.db.selectFrom('mpandco_migrations' as never).select('name' as never).execute();
    expect(migrations.length).toBeGreaterThanOrEqual(3);
    const bad = await runCli(['migrate', '--env', 'staging'], te.childEnv);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--env must be sandbox, production or both');
  });

  it('explains unknown commands and prints usage', async () => {
    const r = await runCli(['frobnicate'], te.childEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command');
    const help = await runCli(['--help'], te.childEnv);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('mpandco serve');
  });
});
