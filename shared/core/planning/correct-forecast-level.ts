import { median } from '../forecast/median';
import type { DemandForecast, LoadObservation } from '../forecast/types';

/** How a forecast made at the last model refresh is moved to the newest observations. */
export interface LevelCorrectionSettings {
  /** Newest residuals (actual − forecast median) whose median sets the offset; ≥ 1. */
  readonly residualCount: number;
  /**
   * Share of the offset still there one step later, in [0, 1): the AR(1) coefficient of the
   * forecast error (see `residualPersistence`). 0 turns the correction off.
   */
  readonly persistencePerStep: number;
}

/** Three residuals: one burst (a single step) moves nothing, a shift seen twice does. */
export const DEFAULT_LEVEL_CORRECTION: LevelCorrectionSettings = {
  residualCount: 3,
  persistencePerStep: 0.944,
};

/** The corrected forecast and what the correction did. */
export interface LevelCorrection {
  readonly forecast: DemandForecast;
  /** The offset before decay, in load units (negative lowers the forecast). */
  readonly offsetLoad: number;
  /** Residuals used (0 when no observation fell on a forecast step: the forecast is unchanged). */
  readonly residualsUsed: number;
}

/**
 * Where a model refitted at `refreshedAtMs` should stop reading history: `residualCount` steps
 * earlier, so its forecast already covers that many observed steps and the level can be corrected
 * from the very run that refits it, instead of that run planning on the model's raw level. Pure.
 * @throws RangeError when `stepMs` ≤ 0 or `residualCount` is not a whole number ≥ 0.
 */
export function levelCorrectionFitEndMs(
  refreshedAtMs: number,
  stepMs: number,
  residualCount: number,
): number {
  if (!(stepMs > 0) || !Number.isInteger(residualCount) || residualCount < 0) {
    throw new RangeError(
      `levelCorrectionFitEndMs: expected stepMs > 0 and a whole residualCount ≥ 0, got ${stepMs} and ${residualCount}`,
    );
  }
  return refreshedAtMs - residualCount * stepMs;
}

/**
 * Corrects the level of a forecast made at the last model refresh with the observations that
 * arrived since: the offset is the median of the newest `residualCount` residuals (actual −
 * forecast median at the same step), so one spike does not move it but a sustained shift does.
 * The offset is added to the median and every interval bound of each step after the newest
 * observation, h steps after it times persistencePerStep^h (an AR(1) error: the model's seasonal
 * shape takes over again as the horizon grows); steps already observed are left as they were. Bounds are floored at
 * 0, which keeps intervals nested (the same shift, then a monotone floor). Pure.
 * @param observations load since the refresh, at the forecast's step timestamps; others are ignored.
 * @throws RangeError when `residualCount` < 1 or `persistencePerStep` is outside [0, 1).
 */
export function correctForecastLevel(
  forecast: DemandForecast,
  observations: readonly LoadObservation[],
  settings: LevelCorrectionSettings = DEFAULT_LEVEL_CORRECTION,
): LevelCorrection {
  const rho = settings.persistencePerStep;
  if (!(settings.residualCount >= 1) || !(rho >= 0 && rho < 1)) {
    throw new RangeError(
      `level correction: expected residualCount ≥ 1 and persistencePerStep in [0, 1), got ${settings.residualCount} and ${rho}`,
    );
  }
  const stepMs = forecast.stepSeconds * 1000;
  const residualByStep = new Map<number, number>();
  for (const o of observations) {
    const offsetMs = o.timestampMs - forecast.startMs;
    const step = offsetMs / stepMs;
    // Only whole steps of the horizon: most of the history lies before it (no array lookup then).
    if (!Number.isInteger(step) || step < 0 || step >= forecast.mean.length) continue;
    const mean = forecast.mean[step];
    if (mean === undefined || !Number.isFinite(o.value) || o.value < 0) continue;
    residualByStep.set(step, o.value - mean);
  }
  const steps = [...residualByStep.keys()].sort((a, b) => a - b);
  const newest = steps.slice(-settings.residualCount);
  const lastStep = newest[newest.length - 1];
  if (lastStep === undefined) return { forecast, offsetLoad: 0, residualsUsed: 0 };
  const offsetLoad = median(newest.map((s) => residualByStep.get(s) as number));
  // One decay per step, shared by the median and every interval bound.
  const horizonSteps = Math.max(
    forecast.mean.length,
    ...forecast.intervals.flatMap((i) => [i.lower.length, i.upper.length]),
  );
  const decay = new Float64Array(horizonSteps);
  for (let h = lastStep + 1; h < horizonSteps; h += 1) decay[h] = rho ** (h - lastStep);
  // A copy with the steps after `lastStep` shifted in place: the same arithmetic as a `map` per
  // step, without a callback per value (27 series of a day's steps on every run of the loop).
  const shift = (values: readonly number[]): number[] => {
    const shifted = values.slice();
    for (let h = lastStep + 1; h < shifted.length; h += 1) {
      shifted[h] = Math.max(0, (shifted[h] as number) + offsetLoad * (decay[h] as number));
    }
    return shifted;
  };
  return {
    forecast: {
      ...forecast,
      mean: shift(forecast.mean),
      intervals: forecast.intervals.map((i) => ({ ...i, lower: shift(i.lower), upper: shift(i.upper) })),
    },
    offsetLoad,
    residualsUsed: newest.length,
  };
}
