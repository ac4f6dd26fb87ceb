import { campaignStepEffect, validateCampaign } from '../forecast/apply-campaigns';
import { median } from '../forecast/median';
import type { CampaignWindow, DemandForecast, LoadObservation } from '../forecast/types';

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
  /**
   * The offset before decay of the steps outside every campaign, in load units (negative lowers
   * the forecast); 0 when none of them was observed.
   */
  readonly offsetLoad: number;
  /**
   * Residuals of steps outside every campaign used (0 when no observation fell on a forecast step:
   * the forecast is unchanged; or when all fell in campaigns, whose own offsets move only their steps).
   */
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
 * 0, which keeps intervals nested (the same shift, then a monotone floor).
 *
 * With `campaigns` (the windows the forecast was raised by, as `applyCampaigns` applied them), a
 * residual under a campaign measures how wrong its expected uplift was, not the model's level: a
 * sale expected ×3 that brings ×1.5 must not pull the ordinary steps after it down to 0. So the
 * steps are grouped by the campaigns that raise them (none, A, A and B together…), each group
 * takes its own offset from its own newest residuals, decaying from its own newest observed step,
 * and a group with no observed step yet takes the offset of the ordinary steps, scaled by the
 * step's multipliers (a level error of δ is δ·f once a campaign multiplies by f; added load
 * leaves it as is). A `headroom` window (extra instances, no load arrives with it) groups no
 * steps: its residuals are read against the forecast without its load, which its steps keep.
 * Without campaigns every step is ordinary and the result is the plain correction above. Pure.
 * @param observations load since the refresh, at the forecast's step timestamps; others are ignored.
 * @param campaigns the windows the forecast was given, headroom windows applied last (`campaignWindows`).
 * @throws RangeError when `residualCount` < 1 or `persistencePerStep` is outside [0, 1).
 * @throws InvalidCampaignError for a malformed campaign window (as `applyCampaigns`).
 */
export function correctForecastLevel(
  forecast: DemandForecast,
  observations: readonly LoadObservation[],
  settings: LevelCorrectionSettings = DEFAULT_LEVEL_CORRECTION,
  campaigns: readonly CampaignWindow[] = [],
): LevelCorrection {
  const rho = settings.persistencePerStep;
  if (!(settings.residualCount >= 1) || !(rho >= 0 && rho < 1)) {
    throw new RangeError(
      `level correction: expected residualCount ≥ 1 and persistencePerStep in [0, 1), got ${settings.residualCount} and ${rho}`,
    );
  }
  const stepMs = forecast.stepSeconds * 1000;
  const horizonSteps = Math.max(
    forecast.mean.length,
    ...forecast.intervals.flatMap((i) => [i.lower.length, i.upper.length]),
  );
  const raised = campaignSteps(forecast.startMs, stepMs, horizonSteps, campaigns);
  const residualByStep = residualsByStep(forecast, observations, raised);
  const steps = [...residualByStep.keys()].sort((a, b) => a - b);
  const lastStep = steps[steps.length - 1];
  if (lastStep === undefined) return { forecast, offsetLoad: 0, residualsUsed: 0 };
  const offsets = offsetsByGroup(steps, residualByStep, raised, settings.residualCount);
  const ordinary = offsets.get(0);
  // One shift per step, shared by the median and every interval bound.
  const shiftLoad = new Float64Array(horizonSteps);
  for (let h = lastStep + 1; h < horizonSteps; h += 1) {
    const own = offsets.get(raised ? (raised.group[h] as number) : 0);
    if (own) shiftLoad[h] = own.offsetLoad * rho ** (h - own.lastStep);
    else if (ordinary && raised) {
      shiftLoad[h] = ordinary.offsetLoad * (raised.factor[h] as number) * rho ** (h - ordinary.lastStep);
    }
  }
  // A copy with the steps after `lastStep` shifted in place: the same arithmetic as a `map` per
  // step, without a callback per value (27 series of a day's steps on every run of the loop).
  const shift = (values: readonly number[]): number[] => {
    const shifted = values.slice();
    for (let h = lastStep + 1; h < shifted.length; h += 1) {
      shifted[h] = Math.max(0, (shifted[h] as number) + (shiftLoad[h] as number));
    }
    return shifted;
  };
  return {
    forecast: {
      ...forecast,
      mean: shift(forecast.mean),
      intervals: forecast.intervals.map((i) => ({ ...i, lower: shift(i.lower), upper: shift(i.upper) })),
    },
    offsetLoad: ordinary?.offsetLoad ?? 0,
    residualsUsed: ordinary?.residualsUsed ?? 0,
  };
}

/** Observed load minus the forecast's median, by whole step of the forecast's horizon. */
function residualsByStep(
  forecast: DemandForecast,
  observations: readonly LoadObservation[],
  raised: CampaignSteps | undefined,
): Map<number, number> {
  const stepMs = forecast.stepSeconds * 1000;
  const residualByStep = new Map<number, number>();
  for (const o of observations) {
    const offsetMs = o.timestampMs - forecast.startMs;
    const step = offsetMs / stepMs;
    // Only whole steps of the horizon: most of the history lies before it (no array lookup then).
    if (!Number.isInteger(step) || step < 0 || step >= forecast.mean.length) continue;
    const mean = forecast.mean[step];
    if (mean === undefined || !Number.isFinite(o.value) || o.value < 0) continue;
    // Extra instances are capacity held, not load: the load never carried them.
    const expected = raised ? mean - (raised.headroomLoad[step] as number) : mean;
    residualByStep.set(step, o.value - expected);
  }
  return residualByStep;
}

/** A campaign grouping's offset: the median of its newest residuals, and the step they end at. */
interface GroupOffset {
  readonly offsetLoad: number;
  readonly lastStep: number;
  readonly residualsUsed: number;
}

/**
 * Each campaign grouping's offset from its own newest `residualCount` residuals (`steps` sorted
 * oldest first); grouping 0 is the steps no campaign raises.
 */
function offsetsByGroup(
  steps: readonly number[],
  residualByStep: ReadonlyMap<number, number>,
  raised: CampaignSteps | undefined,
  residualCount: number,
): Map<number, GroupOffset> {
  const stepsByGroup = new Map<number, number[]>();
  for (const s of steps) {
    const group = raised ? (raised.group[s] as number) : 0;
    const list = stepsByGroup.get(group);
    if (list) list.push(s);
    else stepsByGroup.set(group, [s]);
  }
  const offsets = new Map<number, GroupOffset>();
  for (const [group, observed] of stepsByGroup) {
    const newest = observed.slice(-residualCount);
    offsets.set(group, {
      offsetLoad: median(newest.map((s) => residualByStep.get(s) as number)),
      lastStep: newest[newest.length - 1] as number,
      residualsUsed: newest.length,
    });
  }
  return offsets;
}

/** Which campaigns raise each forecast step, as `applyCampaigns` applied them. */
interface CampaignSteps {
  /** Per step, the set of (non-headroom) campaigns raising it, numbered; 0 for none. */
  readonly group: Int32Array;
  /** Per step, the product of the multipliers raising it (1 outside them). */
  readonly factor: Float64Array;
  /** Per step, the load of the headroom windows over it (extra instances, not load). */
  readonly headroomLoad: Float64Array;
}

/** The steps `campaigns` raise over `horizonSteps` steps from `startMs`; undefined without campaigns. */
function campaignSteps(
  startMs: number,
  stepMs: number,
  horizonSteps: number,
  campaigns: readonly CampaignWindow[],
): CampaignSteps | undefined {
  if (campaigns.length === 0) return undefined;
  const keys: string[] = Array.from({ length: horizonSteps }, () => '');
  const factor = new Float64Array(horizonSteps).fill(1);
  const headroomLoad = new Float64Array(horizonSteps);
  for (const [index, campaign] of campaigns.entries()) {
    validateCampaign(campaign);
    // Only the steps that can overlap the window: the one it starts within up to the one it ends in.
    const first = Math.max(0, Math.floor((campaign.startMs - startMs) / stepMs));
    const end = Math.min(horizonSteps, Math.ceil((campaign.endMs - startMs) / stepMs));
    for (let h = first; h < end; h += 1) {
      const effect = campaignStepEffect(campaign, startMs + h * stepMs, stepMs);
      if (effect === undefined) continue;
      if (campaign.headroom === true) {
        if (effect.kind === 'added-load') headroomLoad[h] = (headroomLoad[h] as number) + effect.load;
        continue;
      }
      if (effect.kind === 'multiplier') factor[h] = (factor[h] as number) * effect.factor;
      keys[h] = `${keys[h]}${index},`;
    }
  }
  const numbers = new Map<string, number>([['', 0]]);
  const group = new Int32Array(horizonSteps);
  for (const [h, key] of keys.entries()) {
    let n = numbers.get(key);
    if (n === undefined) {
      n = numbers.size;
      numbers.set(key, n);
    }
    group[h] = n;
  }
  return { group, factor, headroomLoad };
}
