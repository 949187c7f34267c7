import { sql } from 'kysely';
import { prepared } from '../db/prepared.ts';
import { isPostgres, type Tx } from '../db/store.ts';
import { refDay } from '../shared/clock.ts';

// Human references: prefix + yymmdd + a number of at least 7 digits (P2611260000001).
//
// SQLite has one writer: a daily counter row per prefix costs nothing there and numbers
// restart each day. On PostgreSQL such a row would be held locked by every money movement
// until its COMMIT, so every payment of the platform would wait for the one before it; there
// the number comes from one sequence (`ref_seq`, migration 0030), which hands out unique
// numbers without a lock held: they grow across days instead of restarting.

const bumpCounter = prepared((tx, name: string) => tx
  .insertInto('ref_counters')
  .values({ name, value: 1 })
  .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('ref_counters.value', '+', 1) })))
  .returning('value'));

export async function nextRef(tx: Tx, prefix: 'P' | 'MP' | 'R' | 'T', nowMs: number): Promise<string> {
  const name = `${prefix}${refDay(nowMs)}`;
  const value = isPostgres(tx)
    ? (await sql<{ n: string }>`select nextval('ref_seq')::text as n`.execute(tx)).rows[0].n
    : String((await bumpCounter(tx, name))[0].value);
  return `${name}${value.padStart(7, '0')}`;
}
