import type { LoadObservation } from '../forecast/types';

/**
 * The planned load with every step already over replaced by the load observed in it, where one
 * was. A model refit stops reading history a few steps before now so that the level correction
 * has residuals to read (`levelCorrectionFitEndMs`), and `correctForecastLevel` leaves those
 * observed steps as the model made them; they are no longer a forecast, yet planning reads them:
 * the ramp into the current step (`rampPeakLoad`) is half the change from the step before. After a
 * refit on a Monday night the steps before held Sunday night's ten-times load, and half that fall
 * planned 14 instances for a load needing 3 (nyc_taxi, docs/BENCHMARKS.md, *Cost/SLO frontier*,
 * *A step already over plans what was observed in it*). Pure.
 * @param plannedLoad load planned per step from `forecastStartMs`
 * @param observations the group's history (any order; non-finite values ignored)
 * @returns the same length; steps that end after `nowMs`, or without an observation, unchanged
 */
export function withObservedSteps(
  plannedLoad: readonly number[],
  forecastStartMs: number,
  stepMs: number,
  nowMs: number,
  observations: readonly LoadObservation[],
): number[] {
  if (!(stepMs > 0)) throw new RangeError(`stepMs must be > 0, got ${stepMs}`);
  const over = Math.min(plannedLoad.length, Math.max(0, Math.floor((nowMs - forecastStartMs) / stepMs)));
  const planned = [...plannedLoad];
  if (over === 0) return planned;
  for (const o of observations) {
    const offset = o.timestampMs - forecastStartMs;
    if (!Number.isFinite(o.value) || offset < 0 || offset % stepMs !== 0) continue;
    const step = offset / stepMs;
    if (step < over) planned[step] = Math.max(0, o.value);
  }
  return planned;
}
