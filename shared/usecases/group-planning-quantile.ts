import type { LoadObservation } from '../core/forecast/types';
import { adaptPlanningQuantile, DEFAULT_QUANTILE_CONTROLLER } from '../core/planning/adapt-planning-quantile';
import { SCALE_IN_HOLD_MS } from '../core/planning/replay-target-tracking';
import { scoreProvisioning } from '../core/planning/score-provisioning';
import { type QuantileSeed, seedPlanningQuantile } from '../core/planning/seed-planning-quantile';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { GroupState, PlannedStep, StateStore } from '../ports/state-store';
import type { GroupForecast } from './group-forecaster';
import { STEP_SETTLE_MS } from './history-query';
import type { LoadGrid } from './load-grid';
import { joinPastSteps, PAST_PLAN_LOOKBACK_MS, unscoredPastSteps } from './past-plan-steps';
import type { ResolvedGroupSettings } from './resolve-group-settings';

/** A group's settings as resolved for its run. */
type GroupSettings = ResolvedGroupSettings['settings'];

/** What scoring the past runs' plans gives this run: the steps to carry, their errors and the adapted quantile. */
export interface ScoredPastPlans {
  /** Past planned steps not scored before this run (carried into the next state). */
  readonly pastSteps: readonly PlannedStep[];
  /** Absolute errors of the past medians scored now. */
  readonly absErrors: readonly number[];
  readonly scoredUntilMs: number | undefined;
  readonly quantile: ReturnType<typeof adaptPlanningQuantile>;
}

/**
 * Scores the steps past runs planned and no run scored yet against the load that came, and adapts
 * the planning quantile to the SLO budget on them.
 */
export async function scorePastPlans(
  stateStore: StateStore,
  settings: GroupSettings,
  group: GroupSnapshot,
  history: readonly LoadObservation[],
  previous: GroupState | undefined,
  { nowMs, tickIntervalMs }: { readonly nowMs: number; readonly tickIntervalMs: number },
  seed: QuantileSeed | undefined,
): Promise<ScoredPastPlans> {
  // Only steps not scored yet: each step feeds the controller once.
  const scoredSinceMs = Math.max(nowMs - PAST_PLAN_LOOKBACK_MS, previous?.scoredUntilMs ?? 0);
  // The capacity in service now served the steps that ended since the last run: kept with them for
  // the run that scores them.
  const pastSteps = (
    await unscoredPastSteps(stateStore, group.name, previous, scoredSinceMs, tickIntervalMs)
  ).map((step) =>
    step.servedCapacity === undefined && step.endMs <= nowMs
      ? { ...step, servedCapacity: group.inServiceCapacity }
      : step,
  );
  // A step is scored once its CloudWatch data is whole: AWS's metrics come 1–3 minutes late, so
  // the step that ended at this run's tick holds its first minutes only (scored on them before
  // 2026-12-06: 3 minutes late, the newest step's load read its early part, and the controller
  // walked with that lateness; group-planning-quantile-late-metrics.test.ts).
  const { steps, absErrors, scoredUntilMs } = joinPastSteps(
    pastSteps,
    history,
    scoredSinceMs,
    nowMs - STEP_SETTLE_MS,
  );
  const adapted = adaptPlanningQuantile(
    previous?.planningQuantile ?? seed?.quantile ?? settings.planningQuantile,
    scoreProvisioning(
      steps.map((step) => ({ ...step, servedCapacity: step.servedCapacity ?? group.inServiceCapacity })),
      settings.targetLoadPerInstance,
    ),
    {
      ...DEFAULT_QUANTILE_CONTROLLER,
      minQuantile: settings.planningQuantileMin,
      maxQuantile: settings.planningQuantileMax,
    },
  );
  const quantile =
    seed === undefined
      ? adapted
      : {
          ...adapted,
          reason: `started at ${seed.quantile.toFixed(2)} from the history (short on ${(100 * seed.shortfallShare).toFixed(1)} % of ${seed.replayedSteps} replayed steps); ${adapted.reason}`,
        };
  return { pastSteps, absErrors, scoredUntilMs, quantile };
}

/**
 * Where the group's first run starts the planning-quantile controller (`seedPlanningQuantile`) on
 * the newest `planningQuantileSeedDays` of its history; undefined when that is 0 or the history or
 * forecast cannot say (the controller then starts at `planningQuantile`).
 */
export function groupQuantileSeed(
  settings: GroupSettings,
  { grid, startMs }: LoadGrid,
  forecast: GroupForecast['forecast'],
): QuantileSeed | undefined {
  const stepMs = settings.stepSeconds * 1000;
  if (settings.planningQuantileSeedDays <= 0 || forecast.stepSeconds !== settings.stepSeconds)
    return undefined;
  return seedPlanningQuantile({
    loadPerStep: grid,
    startMs,
    forecast,
    replaySteps: Math.round((settings.planningQuantileSeedDays * 86_400_000) / stepMs),
    targetLoadPerInstance: settings.targetLoadPerInstance,
    reactiveHoldSteps: Math.max(1, Math.round(SCALE_IN_HOLD_MS / stepMs)),
    minQuantile: settings.planningQuantileMin,
    startQuantile: Math.max(settings.planningQuantileMin, settings.planningQuantile),
    shortfallBudget: DEFAULT_QUANTILE_CONTROLLER.shortfallBudget,
    timeZone: settings.timeZone,
  });
}
