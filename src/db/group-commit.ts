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
  /** Times a deadlock sent it back to the queue. */
  deadlocks: number;
}

export interface GroupOptions {
  /** Runs `body` in one database transaction. */
  begin: <T>(body: (tx: Tx) => Promise<T>) => Promise<T>;
  lanes: number;
  maxGroup: number;
  /**
   * The fewest jobs a group may start with while another group is running (1: any). A
   * group with no other running starts at once, whatever its size; a further one waits
   * until that many jobs wait, or until a running group ends. Each group pays for a BEGIN,
   * a COMMIT and the credit of its shops: on a store whose CPU is the limit, fewer and
   * larger groups serve more payments; where a round trip is the limit, the queue grows
   * faster, and the lanes open.
   */
  minGroup?: number;
  /** A whole group that failed this way (deadlock, serialization) runs again. */
  retryable: (e: unknown) => boolean;
  /**
   * A whole group that failed this way may have committed: the connection was lost, perhaps
   * after its COMMIT was sent and before the answer came. Its jobs are not run again one by
   * one (a payment could be made twice); each caller gets the error, and retries with its
   * Idempotency-Key or reads what happened.
   */
  unknownOutcome?: (e: unknown) => boolean;
  /**
   * Send the end of one job's savepoint and the start of the next as one statement text
   * (PostgreSQL's simple protocol takes several): one round trip per payment fewer. SQLite
   * prepares one statement at a time, and its calls do not leave the process anyway.
   */
  mergeBoundaries?: boolean;
}

const SAVEPOINT = CompiledQuery.raw('savepoint grp');
const RELEASE = CompiledQuery.raw('release savepoint grp');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint grp');
const RELEASE_THEN_SAVEPOINT = CompiledQuery.raw('release savepoint grp; savepoint grp');
const UNDO = CompiledQuery.raw('rollback to savepoint grp; release savepoint grp');
const UNDO_THEN_SAVEPOINT = CompiledQuery.raw('rollback to savepoint grp; release savepoint grp; savepoint grp');
const ATTEMPTS = 5;

/** A job's result, or `again`: it met a deadlock and runs in a later group. */
type Outcome = { ok: boolean; value: unknown } | { again: true };

export class GroupCommitter {
  private queue: Job[] = [];
  private busy = 0;
  private scheduled = false;

  constructor(private readonly opts: GroupOptions) {}

  run<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject, deadlocks: 0 });
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
      if (this.busy > 0 && this.queue.length < (this.opts.minGroup ?? 1)) return;
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
      const again: Job[] = [];
      group.forEach((job, i) => {
        const o = outcomes[i];
        if ('again' in o) again.push(job);
        else if (o.ok) job.resolve(o.value);
        else job.reject(o.value);
      });
      // First in line for the next group, now that this one's locks are gone.
      if (again.length) this.queue.unshift(...again);
    } catch (e) {
      if (group.length === 1 || this.opts.unknownOutcome?.(e)) {
        for (const job of group) job.reject(e);
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
          await tx.executeQuery(SAVEPOINT);
          for (let i = 0; i < group.length; i++) outcomes.push(await this.one(tx, group[i], i + 1 < group.length));
          await flushDeferred(tx);
          return outcomes;
        });
      } catch (e) {
        if (!this.opts.retryable(e) || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  /**
   * One job in its savepoint. A deadlock inside it (a payer with payments in two groups at
   * once, taken in opposite orders) rolls it back, and it goes back to the queue: the other
   * group waits for locks that earlier jobs of this group hold until COMMIT, so running it
   * again here would only meet the same deadlock.
   */
  private async one(tx: Tx, job: Job, more: boolean): Promise<Outcome> {
    // The job runs in the savepoint opened before it; it closes it and, when another job
    // follows, opens the next one (in the same statement text where the store allows).
    const merge = more && this.opts.mergeBoundaries;
    try {
      const value = await guardedBody(job.fn)(tx);
      if (merge) await tx.executeQuery(RELEASE_THEN_SAVEPOINT);
      else {
        await tx.executeQuery(RELEASE);
        if (more) await tx.executeQuery(SAVEPOINT);
      }
      jobReleased(tx);
      return { ok: true, value };
    } catch (e) {
      if (merge) await tx.executeQuery(UNDO_THEN_SAVEPOINT);
      else if (this.opts.mergeBoundaries) await tx.executeQuery(UNDO);
      else {
        await tx.executeQuery(ROLLBACK_TO);
        await tx.executeQuery(RELEASE);
        if (more) await tx.executeQuery(SAVEPOINT);
      }
      jobRolledBack(tx);
      if (this.opts.retryable(e) && ++job.deadlocks < ATTEMPTS) return { again: true };
      return { ok: false, value: e };
    }
  }
}
