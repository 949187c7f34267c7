export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can move: the 24-hour and lock-out rules read only this. */
export class ManualClock implements Clock {
  constructor(private ms: number = Date.now()) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

// Venezuela has kept UTC-4 with no daylight saving since 2016.
const CARACAS_OFFSET_MS = -4 * 3600 * 1000;

function caracasParts(ms: number) {
  const d = new Date(ms + CARACAS_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    y: p(d.getUTCFullYear(), 4),
    mo: p(d.getUTCMonth() + 1),
    d: p(d.getUTCDate()),
    h: p(d.getUTCHours()),
    mi: p(d.getUTCMinutes()),
    s: p(d.getUTCSeconds()),
  };
}

/** The API's date format, `YYYY-MM-DD HH:mm:ss`, in Venezuelan time. */
export function apiDate(ms: number): string {
  const x = caracasParts(ms);
  return `${x.y}-${x.mo}-${x.d} ${x.h}:${x.mi}:${x.s}`;
}

/** yymmdd in Venezuelan time, for human references. */
export function refDay(ms: number): string {
  const x = caracasParts(ms);
  return `${x.y.slice(2)}${x.mo}${x.d}`;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
