import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readBodyOfGet } from '../http/body.ts';
import type { Ctx } from '../context.ts';
import type { PayoutBatchesTable } from '../db/schema.ts';
import { idempotent } from '../http/idempotency.ts';
import { paginate, readPage } from '../http/paginator.ts';
import { authenticateApi, idempotencyScope } from '../oauth/bearer.ts';
import { doc, text } from '../shared/input.ts';
import { listBatchesSchema, registerItemGetSchema, registerItemSchema, showBatchSchema, submitBatchSchema } from './payout.schema.ts';
import { ownBatch, readType, registerItem, submitBatch } from './payout.service.ts';
import { serializeBatch, serializeItem } from './payout.serializer.ts';

type Batch = PayoutBatchesTable;

async function batchWithItems(ctx: Ctx, b: Batch) {
  const items = await ctx.store.db.selectFrom('payout_items').selectAll().where('batch_id', '=', b.id).orderBy('created_at').orderBy('ref').execute();
  return { ...serializeBatch(b), items: items.map(serializeItem) };
}

export async function registerPayouts(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const register = async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = await authenticateApi(ctx, request);
    return idempotent(ctx, request, reply, idempotencyScope(caller), async () => {
      const type = readType(request.query);
      return { status: 200, body: await registerItem(ctx, caller, type, request.body) };
    });
  };
  app.post('/api/multipayment/register-item.json', { schema: registerItemSchema }, register);
  // The documentation's example sends it as `curl -X GET ... -d '{json}'`: a GET with a body.
  app.get('/api/multipayment/register-item.json', { schema: registerItemGetSchema }, async (request, reply) => {
    (request as { body: unknown }).body = await readBodyOfGet(request);
    return register(request, reply);
  });

  app.get('/api/multipayment/.json', { schema: listBatchesSchema }, async (request) => {
    const caller = await authenticateApi(ctx, request);
    const page = readPage(request.query);
    const base = ctx.store.db.selectFrom('payout_batches').where('owner_user_id', '=', caller.user.id);
    const [{ n }, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      base.selectAll().orderBy('created_at', 'desc').orderBy('ref', 'desc').limit(page.maxPerPage).offset(page.offset).execute(),
    ]);
    return paginate(`${ctx.config.publicUrl}/api/multipayment/.json`, page, Number(n), rows.map(serializeBatch));
  });

  app.get('/api/multipayment/show.json', { schema: showBatchSchema }, async (request) => {
    const caller = await authenticateApi(ctx, request);
    return batchWithItems(ctx, await ownBatch(ctx, caller, text(doc(request.query).id)));
  });

  app.post('/api/multipayment/submit.json', { schema: submitBatchSchema }, async (request, reply) => {
    const caller = await authenticateApi(ctx, request);
    return idempotent(ctx, request, reply, idempotencyScope(caller), async () => {
      const id = text(doc(request.query).id) ?? text(doc(doc(request.body).multi_payment).id);
      return { status: 200, body: await batchWithItems(ctx, await submitBatch(ctx, caller, id)) };
    });
  });
}
