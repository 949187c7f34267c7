import { CompiledQuery } from 'kysely';
import type { Tx } from './store.ts';
import { guardedBody, outsideTransaction } from './tx-guard.ts';
import { flushDeferred, jobReleased, jobRolledBack } from './tx-deferred.ts';

// Group commit, for both stores. A durable COMMIT waits for the disk, so transactions that
// arrive together run one after the other inside one transaction, each in its own
// savepoint: a failing one rolls back alone, deferred credits are applied once at the end,
// and every caller is answered only after the shared COMMIT is on disk. SQLite has one
// writer, so one group at a time; PostgreSQL runs several groups ("lanes") at once.

interface Job {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface GroupOptions {
  /** Runs `body` in one database transaction. */
  begin: <T>(body: (tx: Tx) => Promise<T>) => Promise<T>;
  lanes: number;
  maxGroup: number;
  /** A whole group that failed this way (deadlock, serialization) runs again. */
  retryable: (e: unknown) => boolean;
}

const SAVEPOINT = CompiledQuery.raw('savepoint grp');
const RELEASE = CompiledQuery.raw('release savepoint grp');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint grp');
const ATTEMPTS = 5;

type Outcome = { ok: boolean; value: unknown };

export class GroupCommitter {
  private queue: Job[] = [];
  private busy = 0;
  private scheduled = false;

  constructor(private readonly opts: GroupOptions) {}

  run<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Let the requests already read from the sockets enqueue theirs before a group starts;
    // the group runs in no caller's context.
    outsideTransaction(() => setImmediate(() => {
      this.scheduled = false;
      this.fill();
    }));
  }

  private fill(): void {
    while (this.busy < this.opts.lanes && this.queue.length) {
      const group = this.queue.splice(0, this.opts.maxGroup);
      this.busy++;
      void this.settle(group).finally(() => {
        this.busy--;
        if (this.queue.length) this.kick();
      });
    }
  }

  /** Runs a group; when the group as a whole fails, each job again on its own, so only the guilty one fails. */
  private async settle(group: Job[]): Promise<void> {
    try {
      const outcomes = await this.attempt(group);
      group.forEach((job, i) => (outcomes[i].ok ? job.resolve(outcomes[i].value) : job.reject(outcomes[i].value)));
    } catch (e) {
      if (group.length === 1) {
        group[0].reject(e);
        return;
      }
      for (const job of group) await this.settle([job]);
    }
  }

  private async attempt(group: Job[]): Promise<Outcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.opts.begin(async (tx) => {
          const outcomes: Outcome[] = [];
          for (const job of group) outcomes.push(await this.one(tx, job));
          await flushDeferred(tx);
          return outcomes;
        });
      } catch (e) {
        if (!this.opts.retryable(e) || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  /** One job in its savepoint; a deadlock inside it releases its locks and runs it again. */
  private async one(tx: Tx, job: Job): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      await tx.executeQuery(SAVEPOINT);
      try {
        const value = await guardedBody(job.fn)(tx);
        await tx.executeQuery(RELEASE);
        jobReleased(tx);
        return { ok: true, value };
      } catch (e) {
        await tx.executeQuery(ROLLBACK_TO);
        await tx.executeQuery(RELEASE);
        jobRolledBack(tx);
        if (!this.opts.retryable(e) || attempt >= ATTEMPTS) return { ok: false, value: e };
      }
    }
  }
}
