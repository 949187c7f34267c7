// Additive work a transaction defers to just before its COMMIT: credits to balances. Many
// payments to one shop, committed together, then touch the shop's balance row once, at
// the end, instead of each holding it locked from its own UPDATE to the shared COMMIT.
//
// Work deferred by a job that rolls back to its savepoint is dropped with it; work taken
// back early by a later job (a debit of that same account) returns if that job rolls back.

type Flush = (tx: object, items: [key: string, amount: bigint][]) => Promise<void>;

interface State {
  flush?: Flush;
  /** Deferred by jobs already released. */
  kept: Map<string, bigint>;
  /** Deferred by the job now running. */
  job: Map<string, bigint>;
  /** Taken from `kept` by the job now running. */
  taken: Map<string, bigint>;
}

const states = new WeakMap<object, State>();

function stateOf(tx: object): State {
  let s = states.get(tx);
  if (!s) {
    s = { kept: new Map(), job: new Map(), taken: new Map() };
    states.set(tx, s);
  }
  return s;
}

const add = (m: Map<string, bigint>, key: string, amount: bigint) => m.set(key, (m.get(key) ?? 0n) + amount);

/** Adds `amount` under `key`, to be flushed (with every other deferred amount) before COMMIT. */
export function defer(tx: object, key: string, amount: bigint, flush: Flush): void {
  const s = stateOf(tx);
  s.flush ??= flush;
  add(s.job, key, amount);
}

/** Takes back what is deferred under `key` so the caller applies it now (under the row's lock). */
export function takeDeferred(tx: object, key: string): bigint {
  const s = states.get(tx);
  if (!s) return 0n;
  const fromKept = s.kept.get(key) ?? 0n;
  const fromJob = s.job.get(key) ?? 0n;
  s.kept.delete(key);
  s.job.delete(key);
  if (fromKept !== 0n) add(s.taken, key, fromKept);
  return fromKept + fromJob;
}

/** A job's savepoint was released: what it deferred is kept for the COMMIT. */
export function jobReleased(tx: object): void {
  const s = states.get(tx);
  if (!s) return;
  for (const [k, v] of s.job) add(s.kept, k, v);
  s.job.clear();
  s.taken.clear();
}

/** A job rolled back to its savepoint: its own deferrals go, and what it took returns. */
export function jobRolledBack(tx: object): void {
  const s = states.get(tx);
  if (!s) return;
  s.job.clear();
  for (const [k, v] of s.taken) add(s.kept, k, v);
  s.taken.clear();
}

/** Applies everything deferred, keys in a fixed order (so that two transactions cannot deadlock on them). */
export async function flushDeferred(tx: object): Promise<void> {
  const s = states.get(tx);
  if (!s?.flush) return;
  jobReleased(tx);
  const items = [...s.kept].filter(([, v]) => v !== 0n).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  s.kept.clear();
  if (items.length) await s.flush(tx, items);
}
