import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../src/db/group-commit.ts';
import type { Tx } from '../../src/db/store.ts';

// How many groups run at once: a group starts at once when no other runs; a further one
// only when `minGroup` jobs wait for it, or else when a running group ends. Each group here
// holds its COMMIT until the test lets it go.

function lanes(minGroup: number) {
  const groups: string[][] = [];
  const commits: (() => void)[] = [];
  const committer = new GroupCommitter({
    begin: async (body) => {
      const names: string[] = [];
      groups.push(names);
      const out = await body({ executeQuery: async () => undefined, names } as unknown as Tx);
      await new Promise<void>((resolve) => commits.push(resolve));
      return out;
    },
    lanes: 4, maxGroup: 10, minGroup, retryable: () => false, mergeBoundaries: true,
  });
  const job = (name: string) => committer.run(async (tx) => {
    (tx as unknown as { names: string[] }).names.push(name);
    return name;
  });
  return { groups, commits, job };
}

// Groups start on the event loop's next turn (setImmediate), after the callers' jobs queue.
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('groups at once', () => {
  it('with minGroup 3: a lone job starts at once; two more wait; a third makes them a group', async () => {
    const { groups, commits, job } = lanes(3);
    const done = [job('a')];
    await settle();
    expect(groups).toEqual([['a']]);
    done.push(job('b'), job('c'));
    await settle();
    expect(groups).toEqual([['a']]);
    done.push(job('d'));
    await settle();
    expect(groups).toEqual([['a'], ['b', 'c', 'd']]);

    // One job waits while both groups run; the first group's end is not enough (another
    // still runs and one job is not a group), the second's is.
    done.push(job('e'));
    await settle();
    commits.shift()!();
    await settle();
    expect(groups).toHaveLength(2);
    commits.shift()!();
    await settle();
    expect(groups).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
    commits.shift()!();
    expect(await Promise.all(done)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('with minGroup 1: every free lane takes what waits, one job or more', async () => {
    const { groups, commits, job } = lanes(1);
    const done = [job('a')];
    await settle();
    done.push(job('b'));
    await settle();
    done.push(job('c'), job('d'));
    await settle();
    expect(groups).toEqual([['a'], ['b'], ['c', 'd']]);
    for (const commit of commits.splice(0)) commit();
    expect(await Promise.all(done)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('a group whose outcome is unknown', () => {
  it('is not run again job by job: the connection was lost, perhaps after its COMMIT; each caller gets the error', async () => {
    const ran: string[] = [];
    const lost = Object.assign(new Error('Connection terminated unexpectedly'), { code: undefined });
    let groups = 0;
    const committer = new GroupCommitter({
      begin: async (body) => {
        groups++;
        const out = await body({ executeQuery: async () => undefined } as unknown as Tx);
        // The COMMIT went out; its answer never came.
        if (groups === 1) throw lost;
        return out;
      },
      lanes: 1, maxGroup: 10, retryable: () => false, unknownOutcome: (e) => e === lost, mergeBoundaries: true,
    });
    const job = (name: string) => committer.run(async () => {
      ran.push(name);
      return name;
    });
    const outcomes = await Promise.allSettled([job('a'), job('b'), job('c')]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? o.reason : o.value))).toEqual([lost, lost, lost]);
    // Each payment's work ran once: none is made a second time behind the caller's back.
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(groups).toBe(1);
    // The next group runs as usual.
    expect(await job('d')).toBe('d');
  });

  it('any other failure of a whole group runs its jobs again one by one, so only the guilty one fails', async () => {
    const ran: string[] = [];
    let groups = 0;
    const committer = new GroupCommitter({
      begin: async (body) => {
        groups++;
        const out = await body({ executeQuery: async () => undefined } as unknown as Tx);
        if (groups === 1) throw new Error('deferred credit refused');
        return out;
      },
      lanes: 1, maxGroup: 10, retryable: () => false, unknownOutcome: () => false, mergeBoundaries: true,
    });
    const job = (name: string) => committer.run(async () => {
      ran.push(name);
      return name;
    });
    expect(await Promise.all([job('a'), job('b')])).toEqual(['a', 'b']);
    expect(ran).toEqual(['a', 'b', 'a', 'b']);
  });
});
