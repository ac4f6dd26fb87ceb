/**
 * The forecast's skill at the planning horizon against the naive forecast "load stays where it was
 * last seen" (persistence, what a reactive policy in effect plans with), as exponentially decayed
 * sums of absolute errors. Its ratio is a relative MAE in the manner of Hyndman & Koehler's MASE
 * ("Another look at measures of forecast accuracy", IJF 2006), but against persistence on the live
 * steps rather than an in-sample seasonal naive: below 1 the forecast sees load coming that the
 * last observation does not; above 1 it does worse than just reacting.
 */
export interface ForecastSkill {
  /** Decayed sum of |actual − forecast median| at the planning horizon, load units. */
  readonly modelAbsError: number;
  /** Decayed sum of |actual − last load observed when the plan was made|, load units. */
  readonly naiveAbsError: number;
  /** Decayed count of the steps summed. */
  readonly steps: number;
}

/** One scored step: the load that arrived, what the forecast said, what persistence said. */
export interface SkillStep {
  readonly actualLoad: number;
  readonly medianLoad: number;
  readonly naiveLoad: number;
}

/** How skill is tracked and when the forecast counts as unskilled. */
export interface ForecastSkillSettings {
  /** Weight an old step keeps per newer step, in (0, 1): 1 − step/window. */
  readonly decayPerStep: number;
  /** Decayed steps needed before a verdict (fewer: the forecast is trusted). */
  readonly minSteps: number;
  /** The forecast is unskilled when model error / naive error exceeds this. */
  readonly maxErrorRatio: number;
}

/** The settings for a forecast step: a one-day window, a verdict after one hour of steps. */
export function forecastSkillSettings(stepSeconds: number): ForecastSkillSettings {
  if (!(stepSeconds > 0)) throw new RangeError(`stepSeconds must be > 0, got ${stepSeconds}`);
  return {
    decayPerStep: Math.max(0.5, 1 - stepSeconds / 86_400),
    minSteps: Math.max(3, Math.round(3600 / stepSeconds)),
    maxErrorRatio: 1,
  };
}

/**
 * Adds the newly scored steps (oldest first) to the decayed sums: each step first decays what is
 * there by `decayPerStep`. Steps with a non-finite value are skipped. Pure.
 */
export function updateForecastSkill(
  previous: ForecastSkill | undefined,
  steps: readonly SkillStep[],
  settings: ForecastSkillSettings,
): ForecastSkill {
  let {
    modelAbsError,
    naiveAbsError,
    steps: count,
  } = previous ?? { modelAbsError: 0, naiveAbsError: 0, steps: 0 };
  const d = settings.decayPerStep;
  for (const s of steps) {
    if (!Number.isFinite(s.actualLoad) || !Number.isFinite(s.medianLoad) || !Number.isFinite(s.naiveLoad))
      continue;
    modelAbsError = d * modelAbsError + Math.abs(s.actualLoad - s.medianLoad);
    naiveAbsError = d * naiveAbsError + Math.abs(s.actualLoad - s.naiveLoad);
    count = d * count + 1;
  }
  return { modelAbsError, naiveAbsError, steps: count };
}

/**
 * Whether the forecast has shown no skill over persistence: enough steps scored and its error
 * above `maxErrorRatio` × persistence's (a persistence error of 0 with a positive model error
 * counts as unskilled). Pure.
 */
export function isForecastUnskilled(
  skill: ForecastSkill | undefined,
  settings: ForecastSkillSettings,
): boolean {
  if (!skill || skill.steps < settings.minSteps) return false;
  return skill.modelAbsError > settings.maxErrorRatio * skill.naiveAbsError;
}
