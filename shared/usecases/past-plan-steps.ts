import type { LoadObservation } from '../core/forecast/types';
import type { ScoredStep } from '../core/planning/score-provisioning';
import type { GroupState, PlannedStep, RunRecord, StateStore } from '../ports/state-store';

/** How far back past plans are scored at most (a group first seen, or after a long pause). */
export const PAST_PLAN_LOOKBACK_MS = 6 * 3600_000;

/** The steps of one run's own window, [tickMs, tickMs + tickIntervalMs), from its plan's lists. */
export function ownWindowSteps(
  plan: Pick<
    RunRecord,
    'tickMs' | 'forecastStartMs' | 'stepSeconds' | 'plannedLoad' | 'medianLoad' | 'plannedCapacity'
  >,
  tickIntervalMs: number,
): PlannedStep[] {
  const stepMs = plan.stepSeconds * 1000;
  const steps: PlannedStep[] = [];
  plan.plannedLoad.forEach((plannedLoad, i) => {
    const startMs = plan.forecastStartMs + i * stepMs;
    if (startMs < plan.tickMs || startMs >= plan.tickMs + tickIntervalMs) return;
    const medianLoad = plan.medianLoad[i];
    const plannedCapacity = plan.plannedCapacity[i];
    if (medianLoad === undefined || plannedCapacity === undefined) return;
    steps.push({ startMs, endMs: startMs + stepMs, plannedLoad, medianLoad, plannedCapacity });
  });
  return steps;
}

/**
 * The past runs' steps that may not be scored yet: carried in the group state by the last run
 * (one read fewer per run, and no run record read back); for a state written before it carried
 * them, or no state, the run records whose window reaches past `scoredSinceMs`.
 */
export async function unscoredPastSteps(
  stateStore: Pick<StateStore, 'recentRunRecords'>,
  groupName: string,
  previous: GroupState | undefined,
  scoredSinceMs: number,
  tickIntervalMs: number,
): Promise<readonly PlannedStep[]> {
  if (previous?.unscoredSteps) return previous.unscoredSteps;
  // The run a whole interval before scoredSinceMs ended there: it is not read.
  const records = await stateStore.recentRunRecords(groupName, scoredSinceMs - tickIntervalMs + 1);
  return records.flatMap((record) => ownWindowSteps(record, tickIntervalMs));
}

/**
 * Joins past steps starting at or after `sinceMs` with the load that arrived; `scoredUntilMs` is
 * the end of the last step joined. Steps whose load has not arrived yet are left out, and so are
 * steps ending after `settledUntilMs`, whose load may have arrived in part (each step is scored
 * once: scored then, it would count its first minutes as its load).
 */
export function joinPastSteps(
  past: readonly PlannedStep[],
  history: readonly LoadObservation[],
  sinceMs: number,
  settledUntilMs = Number.POSITIVE_INFINITY,
): { steps: ScoredStep[]; absErrors: number[]; scoredUntilMs: number | undefined } {
  // The load at each step to score (the last finite observation at its start): one pass over
  // the history, keeping only the few instants asked for.
  const actualByTime = new Map<number, number | undefined>();
  // The instants span a few hours of a 14-day history: most observations are outside their range
  // and are passed over with two comparisons instead of a map lookup (NaN is never a key).
  let earliestMs = Number.POSITIVE_INFINITY;
  let latestMs = Number.NEGATIVE_INFINITY;
  for (const step of past) {
    if (!(step.startMs >= sinceMs)) continue;
    actualByTime.set(step.startMs, undefined);
    earliestMs = Math.min(earliestMs, step.startMs);
    latestMs = Math.max(latestMs, step.startMs);
  }
  for (const o of history) {
    const timestampMs = o.timestampMs;
    if (timestampMs < earliestMs || timestampMs > latestMs) continue;
    if (Number.isFinite(o.value) && actualByTime.has(timestampMs)) actualByTime.set(timestampMs, o.value);
  }
  const steps: ScoredStep[] = [];
  const absErrors: number[] = [];
  let scoredUntilMs: number | undefined;
  for (const step of past) {
    if (step.startMs < sinceMs || step.endMs > settledUntilMs) continue;
    const actual = actualByTime.get(step.startMs);
    if (actual === undefined) continue;
    const { plannedLoad, medianLoad, plannedCapacity, servedCapacity } = step;
    steps.push({
      actualLoad: actual,
      medianLoad,
      plannedLoad,
      plannedCapacity,
      ...(servedCapacity !== undefined ? { servedCapacity } : {}),
    });
    absErrors.push(Math.abs(actual - medianLoad));
    scoredUntilMs = Math.max(scoredUntilMs ?? 0, step.endMs);
  }
  return { steps, absErrors, scoredUntilMs };
}

/**
 * What the next run may still score: the past steps at or after both `scoredUntilMs` (each step
 * counts once) and the lookback, then this run's own window (replacing any steps a failed earlier
 * attempt of the same tick left).
 */
export function stepsLeftToScore(
  past: readonly PlannedStep[],
  own: readonly PlannedStep[],
  scoredUntilMs: number | undefined,
  nowMs: number,
): PlannedStep[] {
  const fromMs = Math.max(scoredUntilMs ?? 0, nowMs - PAST_PLAN_LOOKBACK_MS);
  const ownStarts = new Set(own.map((s) => s.startMs));
  return [...past.filter((s) => s.startMs >= fromMs && !ownStarts.has(s.startMs)), ...own];
}
