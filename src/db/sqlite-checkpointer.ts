import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// SQLite in WAL mode appends every commit to the `-wal` file; a checkpoint copies those pages
// back into the database file. Left to SQLite, the checkpoint runs inside whichever COMMIT
// crosses `wal_autocheckpoint`, on the connection that commits, and better-sqlite3 runs that
// connection on the event loop: one group of payments in a few hundred waits 10 to 50 ms for
// megabytes to be copied and flushed, and so does every request of the process meanwhile.
//
// Here a thread of its own, with a connection of its own, runs PASSIVE checkpoints: they never
// wait for the writer or the readers and never make them wait, and they copy only frames that
// no reader still needs. Once a checkpoint has copied every frame, the writer's next
// transaction starts the WAL over from its beginning, so the file stops growing. SQLite's own
// `wal_autocheckpoint` stays on the writer as a safety net, far above what the thread lets
// the WAL reach (see `openSqlite`).
//
// The thread starts only once the WAL holds `startBytes` (tests and quiet servers never pay for
// it); then it is asked for a checkpoint every `everyMs` while the WAL keeps changing.

export interface CheckpointerOptions {
  /** How often to look at the WAL. */
  everyMs: number;
  /** The WAL's size at which the thread is started. */
  startBytes: number;
}

export const CHECKPOINTER_DEFAULTS: CheckpointerOptions = { everyMs: 200, startBytes: 4 * 1024 * 1024 };

/** What one checkpoint reported: frames in the WAL, and frames copied back into the database. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

// The thread's code: CommonJS evaluated in the worker, so it needs no file of its own
// (the same code runs from the sources under the tests and from dist/).
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
let openError;
try {
  db = new Database(workerData.file);
  db.pragma('busy_timeout = 0');
  db.pragma('synchronous = FULL');
} catch (e) {
  openError = String(e && e.message || e);
}
parentPort.on('message', (m) => {
  if (m === 'close') { if (db) db.close(); parentPort.close(); return; }
  // A connection that could not open: say why, and end (the next checkpoint starts a new thread).
  if (openError) { parentPort.postMessage({ ok: false, error: openError }); if (db) db.close(); parentPort.close(); return; }
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, busy: r.busy, log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String(e && e.message || e) });
  }
});
`;

export class SqliteCheckpointer {
  private worker: Worker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<CheckpointResult | undefined> | undefined;
  private lastSeen = -1;
  private closed = false;
  /** Checkpoints run so far, and the last one's report (for tests and diagnostics). */
  runs = 0;
  last: CheckpointResult | undefined;

  /** Checkpoints that failed (the thread's connection could not open or checkpoint, or the thread died). */
  failures = 0;
  private lastReport = -Infinity;

  /**
   * `report` hears of a failure: the first, then at most one a minute (a thread that cannot
   * open its connection fails at every tick). A failed checkpoint loses nothing: the frames
   * stay in the WAL for the next one, and SQLite's own checkpoint remains the safety net.
   */
  constructor(
    private readonly file: string,
    private readonly opts: CheckpointerOptions = CHECKPOINTER_DEFAULTS,
    private readonly report: (err: Error) => void = () => undefined,
  ) {
    this.timer = setInterval(() => void this.tick(), opts.everyMs);
    this.timer.unref();
  }

  /** Looks at the WAL; starts the thread or asks it for a checkpoint when there is something to copy. */
  async tick(): Promise<CheckpointResult | undefined> {
    if (this.closed || this.inFlight) return this.inFlight;
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(`${this.file}-wal`);
    } catch {
      return undefined;
    }
    // mtime changes with every commit; an unchanged WAL has nothing new to copy.
    const seen = stat.mtimeMs * 1e6 + stat.size;
    if (seen === this.lastSeen) return undefined;
    if (!this.worker && stat.size < this.opts.startBytes) return undefined;
    this.lastSeen = seen;
    return this.checkpoint();
  }

  /** One PASSIVE checkpoint in the thread (started if need be); undefined once closed or when it failed. */
  checkpoint(): Promise<CheckpointResult | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (this.inFlight) return this.inFlight;
    const worker = (this.worker ??= this.startWorker());
    // The thread keeps the process alive only while someone waits for its answer.
    worker.ref();
    this.inFlight = new Promise<CheckpointResult | undefined>((resolve) => {
      const done = (m: { ok: boolean; busy: number; log: number; checkpointed: number; error?: string }) => {
        worker.off('exit', gone);
        if (!m.ok) this.failed(new Error(m.error ?? 'checkpoint failed'));
        resolve(m.ok ? (this.last = { busy: m.busy, log: m.log, checkpointed: m.checkpointed }) : undefined);
      };
      const gone = (code: number) => {
        worker.off('message', done);
        this.failed(this.threadError ?? new Error(`the checkpoint thread ended (exit code ${code})`));
        resolve(undefined);
      };
      worker.once('message', done);
      worker.once('exit', gone);
      worker.postMessage('checkpoint');
    }).finally(() => {
      worker.unref();
      this.runs++;
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private threadError: Error | undefined;

  private failed(err: Error): void {
    this.failures++;
    const now = Date.now();
    if (now - this.lastReport < 60_000) return;
    this.lastReport = now;
    this.report(err);
  }

  private startWorker(): Worker {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: { file: this.file, driver } });
    worker.unref();
    this.threadError = undefined;
    // A thread that dies (its connection could not open) is started again at the next tick;
    // its error is what the checkpoint waiting for it reports.
    worker.once('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    worker.on('error', (err) => {
      this.threadError = err;
    });
    return worker;
  }

  /** Stops looking at the WAL, lets a running checkpoint finish, closes the thread's connection. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.inFlight;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.ref();
    worker.postMessage('close');
    await exited;
  }
}
