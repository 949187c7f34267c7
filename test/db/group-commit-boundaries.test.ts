import { describe, expect, it } from 'vitest';
import type { CompiledQuery } from 'kysely';
import { GroupCommitter } from '../../src/db/group-commit.ts';
import type { Tx } from '../../src/db/store.ts';

// What a group sends around its jobs, read off a recording transaction: each job in its own
// savepoint, a failing one rolled back alone; on PostgreSQL the end of one savepoint and the
// start of the next travel as one statement text.

function recorder(merge: boolean) {
  const sent: string[] = [];
  const tx = { executeQuery: async (q: CompiledQuery) => void sent.push(q.sql) } as unknown as Tx;
  const committer = new GroupCommitter({
    begin: async (body) => {
      sent.push('begin');
      const out = await body(tx);
      sent.push('commit');
      return out;
    },
    lanes: 1, maxGroup: 10, retryable: () => false, mergeBoundaries: merge,
  });
  const job = (name: string, fail = false) => committer.run(async () => {
    sent.push(name);
    if (fail) throw new Error(`${name} failed`);
    return name;
  });
  return { sent, job };
}

describe('savepoints around the jobs of a group', () => {
  it('PostgreSQL: one statement text between two jobs, a failing job rolled back alone', async () => {
    const { sent, job } = recorder(true);
    const results = await Promise.allSettled([job('a'), job('b', true), job('c'), job('d')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(sent).toEqual([
      'begin', 'savepoint grp',
      'a', 'release savepoint grp; savepoint grp',
      'b', 'rollback to savepoint grp; release savepoint grp; savepoint grp',
      'c', 'release savepoint grp; savepoint grp',
      'd', 'release savepoint grp',
      'commit',
    ]);
  });

  it('PostgreSQL: a failing last job is rolled back with no savepoint opened after it', async () => {
    const { sent, job } = recorder(true);
    const results = await Promise.allSettled([job('a'), job('b', true)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(sent).toEqual(['begin', 'savepoint grp', 'a', 'release savepoint grp; savepoint grp', 'b',
      'rollback to savepoint grp; release savepoint grp', 'commit']);
  });

  it('SQLite: one statement at a time, the same savepoints', async () => {
    const { sent, job } = recorder(false);
    const results = await Promise.allSettled([job('a'), job('b', true), job('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(sent).toEqual([
      'begin', 'savepoint grp',
      'a', 'release savepoint grp', 'savepoint grp',
      'b', 'rollback to savepoint grp', 'release savepoint grp', 'savepoint grp',
      'c', 'release savepoint grp',
      'commit',
    ]);
  });
});
