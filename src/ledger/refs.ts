import { refDay } from '../shared/clock.ts';
import type { Tx } from '../db/store.ts';
import { prepared } from '../db/prepared.ts';

const bumpCounter = prepared((tx, name: string) => tx
  .insertInto('ref_counters')
  .values({ name, value: 1 })
  .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('ref_counters.value', '+', 1) })))
  .returning('value'));

/** Human references: prefix + yymmdd + a 7-digit daily sequence (P2611260000001). */
export async function nextRef(tx: Tx, prefix: 'P' | 'MP' | 'R' | 'T', nowMs: number): Promise<string> {
  const day = refDay(nowMs);
  const name = `${prefix}${day}`;
  const [row] = await bumpCounter(tx, name);
  return `${name}${String(row.value).padStart(7, '0')}`;
}
