import { CompiledQuery } from 'kysely';
import { nameStatement } from './pg-named.ts';
import { isPostgres, type Tx } from './store.ts';

// Writes whose answers nobody waits for, sent together. A payment's ledger entry, postings,
// payments row, intent state, event and e-mails need nothing back but "done" (and how many
// rows the state change touched). On PostgreSQL a batch sends them as one statement, each
// write a data-modifying CTE:
//
//   with w1 as (insert ... returning 1), w2 as (update ... returning 1), ...
//   select (select count(1) from w1) as n1, (select count(1) from w2) as n2, ...
//
// so the payment costs one round trip, one parse-bind-execute and one executor start-up for
// all of them instead of one each. Foreign keys are checked at the end of that statement (a
// posting may reference the entry inserted beside it) and the ledger's deferred sum check at
// COMMIT, as before. On SQLite, where a statement is a function call and not a round trip,
// each write runs at once, in the order given: the same rows, the same errors.
//
// The rules for a caller: nothing in the batch may be read (or written again) before
// flush(), since the sub-statements of one statement share its snapshot and cannot see one
// another's rows; a write's failure surfaces at flush() on PostgreSQL and at add() on SQLite,
// mapped by its onError either way; the transaction rolls back (or its savepoint) on either.
// A write may also be judged by how many rows it changed (`after`, run once that is known:
// a guarded debit that changed nothing throws there), and may name the row it changes
// (`key`): a second write of the same row flushes the first, since one statement cannot
// change a row twice.

/** Maps a failure of this write to the error its caller throws; undefined when it is not this write's. */
export type OnError = (e: unknown) => Error | undefined;

/** How many rows a write touched: known after flush() (at once on SQLite). */
export interface Slot {
  changed: number;
}

/** Run once the write's count is known; may throw, which fails the batch like a failed write. */
export type After = (changed: number) => Promise<void>;

export interface AddOptions {
  after?: After;
  /** The row the write changes: a second write of it in the batch flushes the first. */
  key?: string;
}

interface Part {
  query: CompiledQuery;
  onError?: OnError;
  slot: Slot;
  table?: string;
  after?: After;
  key?: string;
}

export class WriteBatch {
  private parts: Part[] = [];
  private readonly fuse: boolean;

  constructor(private readonly tx: Tx) {
    this.fuse = isPostgres(tx);
  }

  /** Whether writes wait for flush() (PostgreSQL) or run at add() (SQLite). */
  get fuses(): boolean {
    return this.fuse;
  }

  /** A write to send with the others (PostgreSQL), or to run now (SQLite). */
  async add(query: CompiledQuery, onError?: OnError, opts: AddOptions = {}): Promise<Slot> {
    const slot: Slot = { changed: -1 };
    if (!this.fuse) {
      slot.changed = await run(this.tx, query, onError);
      await opts.after?.(slot.changed);
      return slot;
    }
    if (opts.key !== undefined && this.parts.some((p) => p.key === opts.key)) await this.flush();
    this.parts.push({ query, onError, slot, table: tableOf(query.sql), after: opts.after, key: opts.key });
    return slot;
  }

  /** Sends what was added, as one statement; then each write's `after`, in order. */
  async flush(): Promise<void> {
    const parts = this.parts;
    this.parts = [];
    if (parts.length === 0) return;
    if (parts.length === 1) {
      parts[0].slot.changed = await run(this.tx, parts[0].query, parts[0].onError);
    } else {
      let row: Record<string, unknown>;
      try {
        const text = fusedText(parts.map((p) => p.query.sql));
        const result = await this.tx.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, parts.flatMap((p) => p.query.parameters)));
        row = result.rows[0];
      } catch (e) {
        throw mapped(parts, e);
      }
      parts.forEach((p, i) => { p.slot.changed = Number(row[`n${i + 1}`]); });
    }
    for (const p of parts) await p.after?.(p.slot.changed);
  }
}

/** One write now, outside any batch, or added to the batch when there is one. */
export async function writeNowOrLater(tx: Tx, batch: WriteBatch | undefined, query: CompiledQuery, onError?: OnError): Promise<Slot> {
  if (batch) return batch.add(query, onError);
  return { changed: await run(tx, query, onError) };
}

async function run(tx: Tx, query: CompiledQuery, onError?: OnError): Promise<number> {
  try {
    return Number((await tx.executeQuery(query)).numAffectedRows ?? 0);
  } catch (e) {
    throw onError?.(e) ?? e;
  }
}

/**
 * PostgreSQL names the table of a constraint it enforces (a unique key, a foreign key, a
 * CHECK): only the writes to that table are asked. An error raised by a trigger names none:
 * every write is asked, in order.
 */
function mapped(parts: Part[], e: unknown): unknown {
  const table = (e as { table?: string })?.table;
  for (const p of parts) {
    if (table && p.table && p.table !== table) continue;
    const m = p.onError?.(e);
    if (m) return m;
  }
  return e;
}

function tableOf(text: string): string | undefined {
  return /^\s*(?:insert\s+into|update|delete\s+from)\s+"?([A-Za-z_][\w]*)"?/i.exec(text)?.[1];
}

// One text per sequence of write texts (a payment makes the same few), named once so that
// each connection plans it once.
const fused = new Map<string, string>();

export function fusedText(texts: string[]): string {
  const key = texts.join('\u0000');
  let text = fused.get(key);
  if (!text) {
    let offset = 0;
    const ctes = texts.map((t, i) => {
      const { text: renumbered, count } = renumber(t, offset);
      offset += count;
      return `w${i + 1} as (${renumbered}${/\breturning\b/i.test(t) ? '' : ' returning 1'})`;
    });
    const counts = texts.map((_, i) => `(select count(1) from w${i + 1}) as n${i + 1}`);
    text = `with ${ctes.join(', ')} select ${counts.join(', ')}`;
    nameStatement(text);
    fused.set(key, text);
  }
  return text;
}

/** Shifts a statement's $n placeholders by `offset` (not inside quoted literals or names). */
function renumber(text: string, offset: number): { text: string; count: number } {
  let count = 0;
  const out = text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\d+)/g, (m, n: string | undefined) => {
    if (n === undefined) return m;
    count = Math.max(count, Number(n));
    return `$${Number(n) + offset}`;
  });
  return { text: out, count };
}
