import type { LoadObservation } from '../core/forecast/types';

/** A group's history on its metric's grid: the load per step from `startMs`, NaN where missing. */
export interface LoadGrid {
  readonly grid: readonly number[];
  readonly startMs: number;
}

/**
 * The history on a regular grid of `stepMs` from its oldest observation (`startMs`); missing steps
 * are NaN.
 */
export function loadGrid(history: readonly LoadObservation[], stepMs: number): LoadGrid {
  let oldestMs = Number.POSITIVE_INFINITY;
  let newestMs = Number.NEGATIVE_INFINITY;
  for (const o of history) {
    oldestMs = Math.min(oldestMs, o.timestampMs);
    newestMs = Math.max(newestMs, o.timestampMs);
  }
  if (!(newestMs >= oldestMs)) return { grid: [], startMs: 0 };
  const grid = new Array<number>(Math.round((newestMs - oldestMs) / stepMs) + 1).fill(Number.NaN);
  for (const o of history) grid[Math.round((o.timestampMs - oldestMs) / stepMs)] = o.value;
  return { grid, startMs: oldestMs };
}
