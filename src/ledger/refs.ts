import { sql } from 'kysely';
import { prepared } from '../db/prepared.ts';
import { pgShared, type Tx } from '../db/store.ts';
import { refDay } from '../shared/clock.ts';
import { REF_BLOCK } from '../db/ref-sequence.migration.ts';

// Human references: prefix + yymmdd + a number of at least 7 digits (P2611260000001).
//
// SQLite has one writer: a daily counter row per prefix costs nothing there and numbers
// restart each day. On PostgreSQL such a row would be held locked by every money movement
// until its COMMIT, so every payment of the platform would wait for the one before it; there
// the number comes from one sequence (`ref_seq`, migration 0030), which hands out unique
// numbers without a lock held: they grow across days instead of restarting. The sequence
// steps by REF_BLOCK (migration 0055): one nextval reserves that many numbers for this
// process, which hands them out one by one, so most movements need no round trip for their
// reference. Numbers stay unique across processes and nodes; a block left unused when a
// process stops is a gap, and references from two processes interleave out of time order.

const bumpCounter = prepared((tx, name: string) => tx
  .insertInto('ref_counters')
  .values({ name, value: 1 })
  .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('ref_counters.value', '+', 1) })))
  .returning('value'));

async function pgNumber(tx: Tx, refs: { next: bigint; end: bigint }): Promise<string> {
  if (refs.next >= refs.end) {
    const start = BigInt((await sql<{ n: string }>`select nextval('ref_seq')::text as n`.execute(tx)).rows[0].n);
    // Another transaction of this process may have taken a block meanwhile: either is ours alone.
    refs.next = start;
    refs.end = start + BigInt(REF_BLOCK);
  }
  return String(refs.next++);
}

export async function nextRef(tx: Tx, prefix: 'P' | 'MP' | 'R' | 'T', nowMs: number): Promise<string> {
  const name = `${prefix}${refDay(nowMs)}`;
  const shared = pgShared(tx);
  const value = shared ? await pgNumber(tx, shared.refs) : String((await bumpCounter(tx, name))[0].value);
  return `${name}${value.padStart(7, '0')}`;
}
