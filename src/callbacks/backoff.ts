import { HOUR_MS } from '../shared/clock.ts';

// Retries: 30 s, 1 min, 2 min, 4 min ... doubling up to 2 h between attempts, each delay
// spread ±20 % so that many callbacks failing together do not retry together. A callback
// not delivered within 24 hours of its creation is given up (status failed).

export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 2 * HOUR_MS;
export const GIVE_UP_AFTER_MS = 24 * HOUR_MS;

/** The wait after the n-th failed attempt (n >= 1). */
export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  const exp = Math.min(Math.max(failedAttempts, 1) - 1, 20);
  const base = Math.min(FIRST_RETRY_MS * 2 ** exp, MAX_RETRY_MS);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base * (0.8 + 0.4 * r));
}

/** When to try again, or null when the 24-hour window is over. */
export function nextAttemptAt(createdAt: number, nowMs: number, failedAttempts: number, random?: () => number): number | null {
  const at = nowMs + retryDelayMs(failedAttempts, random);
  return at > createdAt + GIVE_UP_AFTER_MS ? null : at;
}
