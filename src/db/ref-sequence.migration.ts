import { sql, type Kysely, type Migration } from 'kysely';

/**
 * PostgreSQL: the sequence behind human references (src/ledger/refs.ts), started past every
 * number the daily counters already gave, so no reference of today can repeat.
 */
export function refSequence(d: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<any>) {
      if (d !== 'postgres') return;
      await sql`create sequence ref_seq`.execute(db);
      await sql`select setval('ref_seq', greatest(1, (select coalesce(max(value), 0) + 1 from ref_counters)), false)`.execute(db);
    },
  };
}

/** How many reference numbers one nextval reserves for a process (src/ledger/refs.ts). */
export const REF_BLOCK = 64;

/** PostgreSQL: the sequence steps by REF_BLOCK, so each value starts a block no one else is given. */
export function refBlocks(d: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<any>) {
      if (d !== 'postgres') return;
      await sql.raw(`alter sequence ref_seq increment by ${REF_BLOCK}`).execute(db);
    },
  };
}
