// Geometry of the server-drawn SVG charts: the views only place the rectangles and labels,
// so the charts need no JavaScript and scale with their viewBox on any screen.

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  value: number;
}

export interface ColumnChart {
  width: number;
  /** Where the plot starts: the axis labels sit left of it. */
  left: number;
  height: number;
  plotTop: number;
  plotBottom: number;
  bars: Bar[];
  /** Horizontal guide lines with their values, bottom to top. */
  ticks: { y: number; value: number }[];
  /** Which bars get a label under the axis (every few, so they do not overlap). */
  labelEvery: number;
}

/** The smallest 1, 2 or 5 × 10^n that is at least v: round axis maxima. */
export function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((c) => c >= v)!;
}

/** `floor`: the least axis maximum, so an empty month still shows a readable scale. */
export function columnChart(points: { label: string; value: number }[], floor = 1, width = 640, height = 220): ColumnChart {
  const left = 84;
  const right = 8;
  const plotTop = 10;
  const plotBottom = height - 28;
  const max = niceCeil(Math.max(floor, ...points.map((p) => p.value)));
  const slot = (width - left - right) / Math.max(points.length, 1);
  const bars = points.map((p, i) => {
    const h = Math.round(((plotBottom - plotTop) * p.value) / max * 10) / 10;
    return { x: Math.round((left + i * slot + slot * 0.15) * 10) / 10, y: plotBottom - h, width: Math.round(slot * 0.7 * 10) / 10, height: h, label: p.label, value: p.value };
  });
  const ticks = [0, 1].map((f) => ({ y: plotBottom - (plotBottom - plotTop) * f, value: max * f }));
  return { width, left, height, plotTop, plotBottom, bars, ticks, labelEvery: Math.max(1, Math.ceil(points.length / 6)) };
}

/** Horizontal bars, one per row (the chart by application), as fractions of the largest. */
export function rowChart(rows: { label: string; value: number }[]) {
  const max = Math.max(0, ...rows.map((r) => r.value));
  return rows.map((r) => ({ ...r, fraction: max > 0 ? r.value / max : 0 }));
}
