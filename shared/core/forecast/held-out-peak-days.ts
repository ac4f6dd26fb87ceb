/**
 * One day of a held-out backtest row: how the selection's forecast, made without knowing that
 * day, compared with the day's actual peak.
 */
export interface HeldOutPeakDay {
  /** Actual maximum load of the day (real bursts included; in `forecastDemand`, replaced glitches not). */
  readonly actualPeak: number;
  /** Forecast load (floored at 0) at the step where the actual peak happened (first if tied). */
  readonly forecastAtActualPeak: number;
  /** Maximum of the forecast over the day. */
  readonly forecastPeak: number;
  /** The backtest origin's recency weight (> 0). */
  readonly weight: number;
}

/**
 * Cuts the selection's held-out backtest rows into days and reads each day's peak.
 *
 * Row k starts at history index `origins[k]` and holds actual − forecast, so the forecast is
 * actual − error (floored at 0, as the live forecast is). Each row is cut into consecutive windows
 * of min(`dailySteps`, row length) steps from its origin; a trailing window shorter than half of
 * that is left out. Days of different rows may overlap in time: each is a separate forecast.
 * The day's peak is read from `peaks`, which may differ from `actual`: a glitch the anomaly
 * detector replaced is no peak a capacity plan should reach for.
 * @param actual - the history the rows were measured against.
 * @param errors - held-out rows (see `heldOutErrors`), one per origin.
 * @param origins - history index of each row's first step.
 * @param weights - recency weight of each row; a missing or non-positive weight counts as 1.
 * @param peaks - the history the peaks are read from (`actual` by default), same length.
 * @returns one entry per whole day of every row; empty without rows.
 */
export function heldOutPeakDays(
  actual: readonly number[],
  errors: readonly Float64Array[],
  origins: readonly number[],
  weights: readonly number[],
  dailySteps: number,
  peaks: readonly number[] = actual,
): HeldOutPeakDay[] {
  const days: HeldOutPeakDay[] = [];
  errors.forEach((row, k) => {
    const origin = origins[k];
    if (origin === undefined || row.length === 0) return;
    const window = Math.max(1, Math.min(dailySteps, row.length));
    const w = weights[k];
    const weight = w !== undefined && w > 0 && Number.isFinite(w) ? w : 1;
    for (let from = 0; from < row.length; from += window) {
      const end = Math.min(row.length, from + window);
      if (end - from < window / 2) break;
      let peakStep = from;
      let forecastPeak = 0;
      for (let h = from; h < end; h += 1) {
        const value = peaks[origin + h] as number;
        if (value > (peaks[origin + peakStep] as number)) peakStep = h;
        forecastPeak = Math.max(forecastPeak, forecastAt(actual, row, origin, h));
      }
      const actualPeak = peaks[origin + peakStep] as number;
      const forecastAtActualPeak = forecastAt(actual, row, origin, peakStep);
      if (
        Number.isFinite(actualPeak) &&
        Number.isFinite(forecastAtActualPeak) &&
        Number.isFinite(forecastPeak)
      ) {
        days.push({ actualPeak, forecastAtActualPeak, forecastPeak, weight });
      }
    }
  });
  return days;
}

function forecastAt(actual: readonly number[], row: Float64Array, origin: number, h: number): number {
  return Math.max(0, (actual[origin + h] as number) - (row[h] as number));
}
