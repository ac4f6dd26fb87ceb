import type { DemandForecast } from '../../../shared/core/forecast/types';

/** The figures the forecasting benchmark's M4, NAB, hold-out and speed parts all print. */

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Nearest-rank quantile of `xs` (unsorted), `q` in 0–1. */
export const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] as number;
};

export const f3 = (x: number): string => x.toFixed(3);

/** The forecast's interval at `level` %; every benchmark asks for the levels it reads. */
export const interval = (f: DemandForecast, level: number) => {
  const found = f.intervals.find((i) => i.levelPct === level);
  if (found === undefined) throw new Error(`level ${level} missing`);
  return found;
};

/** Share of actual values at or below the upper bound (the capacity planner's side). */
export const upperCoverage = (actual: readonly number[], upper: readonly number[]): number =>
  actual.filter((a, h) => a <= (upper[h] as number)).length / actual.length;

export const formatUpper = (byLevel: Map<number, number[]>): string =>
  [...byLevel.entries()]
    .map(([l, c]) => `${l} % upper (nominal ${(50 + l / 2).toFixed(1)} %) → ${(100 * mean(c)).toFixed(1)} %`)
    .join(', ');
