import { AsyncLocalStorage } from 'node:async_hooks';
import type { Tx } from './store.ts';

/**
 * Work that must commit together with whatever a request writes. A request that holds an
 * Idempotency-Key registers one: every write transaction the request runs then also
 * records, in that same transaction, that the key's work has committed. Without it a crash
 * between the money transaction and the key's record would let a retry run twice.
 */
export interface TxHook {
  /** Runs inside the transaction, after the caller's work; a throw rolls the whole transaction back. */
  inTx(tx: Tx): Promise<void>;
  /** Called once the transaction is durably committed. */
  committed(): void;
}

// On Node.js 20 an enabled AsyncLocalStorage puts a hook on every promise of the process,
// not only on the request that set it. So the storage is enabled only while some request
// with a hook runs, and disabled again when the last one ends: requests without an
// Idempotency-Key do not pay for the ones that carry it.
const current = new AsyncLocalStorage<TxHook>();
let running = 0;

export async function withTxHook<T>(hook: TxHook, fn: () => Promise<T>): Promise<T> {
  running++;
  try {
    return await current.run(hook, fn);
  } finally {
    if (--running === 0) current.disable();
  }
}

/**
 * Wraps a store's transaction runner so that the hook of the calling request (read now,
 * in the caller's async context, not later where the transaction happens to run) takes
 * part in the transaction.
 */
export async function hookedTx<T>(run: (fn: (tx: Tx) => Promise<T>) => Promise<T>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const hook = running > 0 ? current.getStore() : undefined;
  if (!hook) return run(fn);
  const value = await run(async (tx) => {
    const out = await fn(tx);
    await hook.inTx(tx);
    return out;
  });
  hook.committed();
  return value;
}
