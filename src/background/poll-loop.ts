import type { Ctx } from '../context.ts';

/** Stops the loop (resolving once a pass in progress has finished), and lets a caller see its passes. */
export interface Loop {
  (): Promise<void>;
  /** Resolves when the next pass has finished (at once if the loop is stopped). */
  nextPass(): Promise<void>;
  /** Whether another pass is scheduled: false once stopped. */
  scheduled(): boolean;
}

/**
 * Runs `pass` every `intervalMs` (real time), the first at once, until stopped. When `again`
 * says of a pass's result that more work is waiting (it took a whole batch), the next pass
 * starts at once instead: a backlog drains batch after batch, each in its own transaction,
 * with the event loop free between them.
 */
export function pollLoop<R>(
  ctx: Ctx, name: string, intervalMs: number, pass: () => Promise<R>, opts: { again?: (result: R) => boolean } = {},
): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let waiters: (() => void)[] = [];
  const tick = () => {
    timer = undefined;
    running = (async () => {
      let more = false;
      try {
        const result = await pass();
        more = opts.again?.(result) ?? false;
      } catch (e) {
        ctx.log.error({ err: e, worker: name }, 'background pass failed');
      }
      const done = waiters;
      waiters = [];
      for (const w of done) w();
      if (!stopped) timer = setTimeout(tick, more ? 0 : intervalMs);
    })();
  };
  timer = setTimeout(tick, 0);
  const stop = async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
    await running;
    for (const w of waiters.splice(0)) w();
  };
  return Object.assign(stop, {
    nextPass: () => (stopped ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    scheduled: () => timer !== undefined,
  });
}

/** A background loop started with each environment's listener; the function it returns stops it. */
export type Worker = (ctx: Ctx) => () => Promise<void>;
