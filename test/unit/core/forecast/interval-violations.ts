import type { PredictionInterval } from '../../../../shared/core/forecast/types';

/**
 * Every way `mean` and its `intervals` (narrowest first) are not well formed, one line each:
 * a non-finite value, a bound on the wrong side of the mean, an interval not nesting the one
 * inside it, and with `nonNegative` a negative lower bound. The tests assert the list is empty
 * (one `expect` for the whole forecast: one per value made Jest's assertion bookkeeping a tenth
 * of the forecasting tests' time, and a failure now lists every bad step at once).
 */
export function intervalViolations(
  mean: readonly number[],
  intervals: readonly PredictionInterval[],
  { nonNegative = false }: { readonly nonNegative?: boolean } = {},
): string[] {
  const violations: string[] = [];
  mean.forEach((m, h) => {
    if (!Number.isFinite(m)) violations.push(`mean[${h}] = ${m}`);
  });
  intervals.forEach((interval, k) => {
    const at = (h: number) => `${interval.levelPct} % at step ${h}`;
    mean.forEach((m, h) => {
      const lower = interval.lower[h] as number;
      const upper = interval.upper[h] as number;
      if (!(Number.isFinite(lower) && Number.isFinite(upper)))
        violations.push(`${at(h)}: [${lower}, ${upper}]`);
      if (nonNegative && lower < 0) violations.push(`${at(h)}: lower ${lower} < 0`);
      if (lower > m) violations.push(`${at(h)}: lower ${lower} > mean ${m}`);
      if (upper < m) violations.push(`${at(h)}: upper ${upper} < mean ${m}`);
      const inner = intervals[k - 1];
      if (inner === undefined) return;
      if (lower > (inner.lower[h] as number))
        violations.push(`${at(h)}: lower above the narrower interval's`);
      if (upper < (inner.upper[h] as number))
        violations.push(`${at(h)}: upper below the narrower interval's`);
    });
  });
  return violations;
}
