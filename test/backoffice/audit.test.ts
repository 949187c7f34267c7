import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../helpers/env.ts';
import { listAudit, writeAudit } from '../../src/audit/audit.service.ts';
import { makeOperator } from './fixtures.ts';

describe('audit log', () => {
  let te: TestEnv;
  beforeAll(async () => {
    te = await testEnv({ env: 'production' });
  });
  afterAll(async () => te.close());

  it('is append-only: the store refuses to change or delete a row', async () => {
    const op = await makeOperator(te.ctx);
    await te.ctx.store.tx((tx) => writeAudit(tx, { operatorId: op.id, via: 'web' }, {
      action: 'app.suspend', targetType: 'app', targetId: 'app-1', reason: 'Fraude', details: { app: 'Tienda' },
    }, te.clock.now()));
    await expect(te.ctx.store.autocommit.updateTable('audit_log').set({ reason: 'nada' }).execute()).rejects.toThrow(/append-only/);
    await expect(te.ctx.store.autocommit.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    const { rows, total } = await listAudit(te.ctx.store.db, { limit: 10, offset: 0 });
    expect(total).toBe(2);
    expect(rows[0]).toMatchObject({
      action: 'app.suspend', operatorUsername: op.username, targetId: 'app-1', reason: 'Fraude', details: { via: 'web', app: 'Tienda' },
    });
    expect(rows[1]).toMatchObject({ action: 'operator.create', targetId: op.id });
  });

  it('rolls back with the action it records', async () => {
    const before = (await listAudit(te.ctx.store.db, { limit: 1, offset: 0 })).total;
    await expect(te.ctx.store.tx(async (tx) => {
      await writeAudit(tx, { operatorId: 'x', via: 'cli' }, { action: 'billing.grant', targetType: 'app', targetId: 'a' }, te.clock.now());
      throw new Error('the action failed');
    })).rejects.toThrow('the action failed');
    expect((await listAudit(te.ctx.store.db, { limit: 1, offset: 0 })).total).toBe(before);
  });
});
