import type { Tx } from '../db/store.ts';
import { newId } from '../shared/ids.ts';
import { insertCallback } from './callbacks.repository.ts';

// The outbox: a state change that owes the merchant a call writes this row in its own
// transaction; the delivery worker makes the call later, outside any transaction.

export interface CallbackInput {
  /** Null for a test delivery ("Enviar prueba"), which belongs to no intent. */
  intentId: string | null;
  appId: string;
  /** The exact URL to GET, query parameters already appended. */
  url: string;
  nowMs: number;
  test?: boolean;
}

export async function enqueueCallback(tx: Tx, c: CallbackInput): Promise<string> {
  const id = newId();
  await insertCallback(tx, {
    id, intent_id: c.intentId, app_id: c.appId, url: c.url, status: 'pending', attempts: 0,
    next_attempt_at: c.nowMs, locked_until: 0, locked_by: null, created_at: c.nowMs, delivered_at: null,
    ...(c.test ? { test: 1 } : {}),
  });
  return id;
}
