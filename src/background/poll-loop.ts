import type { Ctx } from '../context.ts';

/**
 * Runs `pass` every `intervalMs` (real time) until stopped. The returned function stops
 * the loop and resolves once a pass in progress has finished, so shutdown is clean.
 */
export function pollLoop(ctx: Ctx, name: string, intervalMs: number, pass: () => Promise<unknown>): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        await pass();
      } catch (e) {
        ctx.log.error({ err: e, worker: name }, 'background pass failed');
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    })();
  };
  timer = setTimeout(tick, 0);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}

/** A background loop started with each environment's listener; the function it returns stops it. */
export type Worker = (ctx: Ctx) => () => Promise<void>;
