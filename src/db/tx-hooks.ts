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

const current = new AsyncLocalStorage<TxHook>();

export function withTxHook<T>(hook: TxHook, fn: () => Promise<T>): Promise<T> {
  return current.run(hook, fn);
}

/**
 * Wraps a store's transaction runner so that the hook of the calling request (read now,
 * in the caller's async context, not later where the transaction happens to run) takes
 * part in the transaction.
 */
export async function hookedTx<T>(run: (fn: (tx: Tx) => Promise<T>) => Promise<T>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const hook = current.getStore();
  if (!hook) return run(fn);
  const value = await run(async (tx) => {
    const out = await fn(tx);
    await hook.inTx(tx);
    return out;
  });
  hook.committed();
  return value;
}
