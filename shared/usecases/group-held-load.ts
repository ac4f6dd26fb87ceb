import type { LoadObservation } from '../core/forecast/types';
import { judgeSteadyHold, type SteadyHoldJudgement } from '../core/planning/judge-steady-hold';
import { holdRecentLoad, recentLoadHold } from '../core/planning/recent-load-hold';
import { SCALE_IN_HOLD_MS } from '../core/planning/replay-target-tracking';
import type { GroupSnapshot } from '../ports/scaling-target';
import { trackingReplayOf } from './forecast-floor-check';
import type { GroupForecast } from './group-forecaster';
import type { LoadGrid } from './load-grid';
import type { ResolvedGroupSettings } from './resolve-group-settings';

/** A group's settings as resolved for its run. */
type GroupSettings = ResolvedGroupSettings['settings'];

const DAY_MS = 86_400_000;
/** Share of the day's steps that must have a load before a steady hold is judged. */
const MIN_RECORD_SHARE = 0.9;

/** The planned load once a held load raised it, and which hold did. */
export interface HeldLoad {
  readonly plannedLoad: number[];
  /** The load held when it raised a step still to come; undefined otherwise. */
  readonly heldRecentLoad: number | undefined;
  /** The steady hold's judgement when it was asked (no `recentLoadHoldMinutes`, `steadyHoldMaxExtraCost` > 0). */
  readonly steadyHold: SteadyHoldJudgement | undefined;
}

/** When a held load applies, and what the steady hold's replay reads. */
export interface HoldWindow {
  readonly nowMs: number;
  /** Steps starting before this instant are held (the next run's launches are in service after it). */
  readonly untilMs: number;
  /** Launch to in service, ms: how late target tracking's launches serve in the replay. */
  readonly leadTimeMs: number;
}

/**
 * The planned load with a held load (`holdRecentLoad`) until the next run's launches are in
 * service: the `recentLoadHoldQuantile` of the newest `recentLoadHoldMinutes` when the group opted
 * in; otherwise, for a group with its own scaling policies, the newest day's steady hold when it is
 * cheap on that day's record (`judgeSteadyHold`, `steadyHoldMaxExtraCost`). The planned load as it
 * was when neither applies or the history is too short.
 */
export function groupHeldLoad(
  settings: GroupSettings,
  group: Pick<GroupSnapshot, 'hasScalingPolicies'>,
  plannedLoad: number[],
  forecast: GroupForecast['forecast'],
  { history, historyGrid }: { readonly history: readonly LoadObservation[]; readonly historyGrid: LoadGrid },
  window: HoldWindow,
): HeldLoad {
  if (settings.recentLoadHoldMinutes > 0) {
    // A step counts when any of it lies in the window: an observation is stamped with its start.
    const sinceMs = window.nowMs - settings.recentLoadHoldMinutes * 60_000 - settings.stepSeconds * 1000;
    const recent = history.filter((o) => o.timestampMs > sinceMs).map((o) => o.value);
    const held = recentLoadHold(recent, settings.recentLoadHoldQuantile);
    return { ...raisedBy(plannedLoad, held, forecast, window), steadyHold: undefined };
  }
  const steadyHold = groupSteadyHold(settings, group, historyGrid, {
    leadTimeMs: window.leadTimeMs,
    newestPeakLoad: newestPeak(history, window.nowMs - settings.stepSeconds * 1000),
  });
  const held = steadyHold?.kind === 'holds' ? steadyHold.heldLoad : undefined;
  return { ...raisedBy(plannedLoad, held, forecast, window), steadyHold };
}

/** The steady hold judged on the group's newest day; undefined when it is off or the group has no policies to replay. */
function groupSteadyHold(
  settings: GroupSettings,
  group: Pick<GroupSnapshot, 'hasScalingPolicies'>,
  { grid }: LoadGrid,
  { leadTimeMs, newestPeakLoad }: { readonly leadTimeMs: number; readonly newestPeakLoad: number },
): SteadyHoldJudgement | undefined {
  if (settings.steadyHoldMaxExtraCost <= 0 || !group.hasScalingPolicies) return undefined;
  const stepMs = settings.stepSeconds * 1000;
  const daySteps = Math.round(DAY_MS / stepMs);
  return judgeSteadyHold({
    loadPerStep: grid,
    fromStep: Math.max(0, grid.length - daySteps),
    ...trackingReplayOf(settings, leadTimeMs),
    maxExtraCostShare: settings.steadyHoldMaxExtraCost,
    minSteps: Math.ceil(daySteps * MIN_RECORD_SHARE),
    newestPeakLoad,
  });
}

/**
 * The highest load observed over target tracking's low-alarm hold before `nowMs`; NaN when none
 * was. Steps are stamped with their start, so `nowMs` is moved a step back by the caller.
 */
function newestPeak(history: readonly LoadObservation[], nowMs: number): number {
  let peak = Number.NaN;
  for (const o of history)
    if (o.timestampMs > nowMs - SCALE_IN_HOLD_MS && Number.isFinite(o.value) && !(o.value <= peak))
      peak = o.value;
  return peak;
}

/** `plannedLoad` raised to `held` until the window's end, and `held` when it raised a step still to come. */
function raisedBy(
  plannedLoad: number[],
  held: number | undefined,
  forecast: GroupForecast['forecast'],
  { nowMs, untilMs }: HoldWindow,
): Pick<HeldLoad, 'plannedLoad' | 'heldRecentLoad'> {
  if (held === undefined) return { plannedLoad, heldRecentLoad: undefined };
  const stepMs = forecast.stepSeconds * 1000;
  const raised = holdRecentLoad(plannedLoad, held, { forecastStartMs: forecast.startMs, stepMs, untilMs });
  // The reason names the hold only when it raised a step still to come (the cached forecast may start in the past).
  const raisedAhead = raised.some(
    (load, step) => forecast.startMs + (step + 1) * stepMs > nowMs && load > (plannedLoad[step] as number),
  );
  return { plannedLoad: raised, heldRecentLoad: raisedAhead ? held : undefined };
}
