import { meansBySlot } from '../core/forecast/clean-series';
import type { LoadObservation } from '../core/forecast/types';

/** A group's history on its metric's grid: the load per step from `startMs`, NaN where missing. */
export interface LoadGrid {
  readonly grid: readonly number[];
  readonly startMs: number;
}

/**
 * The history on a regular grid of `stepMs` aligned to the epoch, from the step of its oldest
 * observation (`startMs`); missing steps are NaN. As the forecaster's cleaning does
 * (`cleanSeries`), each observation snaps to the nearest step boundary and a step's observations
 * (a finer period's datapoints) are averaged, so every reader of the history sees the same steps;
 * a non-finite value is no observation. Until 2026-12-07 the grid started at the oldest
 * observation and a step kept the last of its datapoints: minutes 1–6 at 300 s read 3 and 6 here
 * where the forecast read 2 and 5.
 */
export function loadGrid(history: readonly LoadObservation[], stepMs: number): LoadGrid {
  const bySlot: { slot: number; value: number }[] = [];
  for (const o of history)
    if (Number.isFinite(o.timestampMs) && Number.isFinite(o.value))
      bySlot.push({ slot: Math.round(o.timestampMs / stepMs), value: o.value });
  if (bySlot.length === 0) return { grid: [], startMs: 0 };
  const { firstSlot, values, present } = meansBySlot(bySlot);
  const grid = values.map((value, i) => (present[i] ? value : Number.NaN));
  return { grid, startMs: firstSlot * stepMs };
}
