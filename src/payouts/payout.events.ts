import type { Tx } from '../db/store.ts';
import { eventStatus, insertEvent } from '../callbacks/events.ts';
import { serializeBatch, serializeItem } from './payout.serializer.ts';

// payout.batch_settled and payout.item_failed, written in the transaction that settles the
// batch. Settlement runs in the background, not on a payment: one read of the app decides,
// and a batch nobody listens for costs nothing more.

const FAILED_ITEM = new Set(['REJECTED', 'FAILED']);

export async function emitSettlement(tx: Tx, batchId: string, nowMs: number): Promise<void> {
  const batch = await tx.selectFrom('payout_batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
  const app = await tx.selectFrom('apps').select(['webhook_url', 'webhook_events', 'events_listen_until'])
    .where('id', '=', batch.app_id).executeTakeFirst();
  if (!app) return;
  const settled = eventStatus(app, 'payout.batch_settled', nowMs);
  const failed = eventStatus(app, 'payout.item_failed', nowMs);
  if (!settled && !failed) return;
  const items = await tx.selectFrom('payout_items').selectAll().where('batch_id', '=', batch.id).orderBy('created_at').orderBy('ref').execute();
  const base = { appId: batch.app_id, userId: batch.owner_user_id, nowMs };
  if (failed) {
    for (const item of items.filter((i) => FAILED_ITEM.has(i.status))) {
      const data = { ...serializeItem(item), batch: { id: batch.id, ref: batch.ref, type: batch.type } };
      await insertEvent(tx, { ...base, type: 'payout.item_failed', objectId: item.ref, data }, failed);
    }
  }
  if (settled) {
    await insertEvent(tx, { ...base, type: 'payout.batch_settled', objectId: batch.id, data: { ...serializeBatch(batch), items: items.map(serializeItem) } }, settled);
  }
}
