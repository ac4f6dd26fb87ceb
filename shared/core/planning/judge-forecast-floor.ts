import {
  replayTargetTracking,
  type TrackingReplay,
  type TrackingReplayInput,
} from './replay-target-tracking';

const DAY_MS = 86_400_000;

/**
 * A floor adding at most this share of instances keeps its place whatever it saved: standing it
 * down gives it up for a day on a comparison of a few averaged steps, which such a floor's cost
 * does not justify.
 */
const MIN_EXTRA_COST_SHARE = 0.02;

/**
 * Fewest short steps target tracking alone must have in the replay, per day judged, before a floor
 * can be stood down: averaged steps hide the minutes above the SLO, so a replay in which target
 * tracking is (almost) never short — a target well below the SLO — cannot see what the floor saves.
 */
const MIN_SHORT_STEPS_PER_DAY = 12;

/** What judging a group's floor reads: its load and the floor its plans asked for over the same steps. */
export type FloorJudgementInput = Omit<TrackingReplayInput, 'floorPerStep'> & {
  /** The metric step, seconds (to count the days judged). */
  readonly stepSeconds: number;
  /** The floor (MinSize) the group's plans asked for per step, aligned with `loadPerStep`; NaN where unknown. */
  readonly floorPerStep: readonly number[];
  /** Fewest replayed steps with a load and a known floor before a verdict is given. */
  readonly minSteps: number;
};

/** Whether the floor paid for itself on the group's own load, and the replays that say so. */
export type FloorJudgement =
  | { readonly kind: 'too-little-record'; readonly steps: number; readonly reason: string }
  | {
      readonly kind: 'pays' | 'does-not-pay';
      /** Target tracking with the floor under it. */
      readonly withFloor: TrackingReplay;
      /** Target tracking alone. */
      readonly trackingAlone: TrackingReplay;
      /** Share (0–1) of target tracking's short steps the floor took away. */
      readonly savedShare: number;
      /** Share (0–1) the floor added to target tracking's instance-steps. */
      readonly extraCostShare: number;
      readonly reason: string;
    };

/**
 * Judges a group's forecast floor on its own record: target tracking is replayed on the load that
 * came, once with the floor the plans asked for under it and once alone. The floor pays when it
 * adds no more than `MIN_EXTRA_COST_SHARE` to target tracking's instances, or when it takes away
 * at least as large a share of target tracking's short steps as the share it adds to its instances
 * (10 % more instances for at least 10 % fewer short steps). Load whose rises the forecast places
 * passes by far (nyc_taxi: 55 % fewer for 4 % more); on/off load, whose switch it cannot place,
 * fails by far (a floor held through hours of low load: 0–8 % fewer for 5–48 % more):
 * docs/BENCHMARKS.md, *Cost/SLO frontier*.
 *
 * The replay is on metric steps (5-minute averages) where the policy acts on minutes, so it
 * compares the two replays with each other, not with the group's SLO minutes; where target
 * tracking alone is short on fewer than `MIN_SHORT_STEPS_PER_DAY` steps a day it cannot show what
 * the floor saves, and the floor pays. For the same reason it does not ask what a lower target
 * would buy instead (on averaged flat load a target 5 % lower clears every short step, on minutes
 * it does not).
 * Pure; `too-little-record` when fewer than `minSteps` steps have a load and a known floor.
 */
export function judgeForecastFloor(input: FloorJudgementInput): FloorJudgement {
  const { floorPerStep, minSteps, stepSeconds, ...replay } = input;
  const known = countKnownFloorSteps(input);
  if (known < minSteps) {
    return {
      kind: 'too-little-record',
      steps: known,
      reason: `${known} of the ${minSteps} steps with a recorded floor needed to judge it`,
    };
  }
  const withFloor = replayTargetTracking({ ...replay, floorPerStep });
  const trackingAlone = replayTargetTracking(replay);
  const extraCostShare = withFloor.instanceSteps / Math.max(1, trackingAlone.instanceSteps) - 1;
  const saved = trackingAlone.shortSteps - withFloor.shortSteps;
  const savedShare = trackingAlone.shortSteps > 0 ? saved / trackingAlone.shortSteps : 0;
  const days = withFloor.steps / Math.max(1, Math.round(DAY_MS / (stepSeconds * 1000)));
  const blind = trackingAlone.shortSteps < MIN_SHORT_STEPS_PER_DAY * days;
  const pays = blind || extraCostShare <= MIN_EXTRA_COST_SHARE || (saved > 0 && savedShare >= extraCostShare);
  const reason =
    `the floor: ${withFloor.shortSteps} short of ${withFloor.steps} steps for ${pct(extraCostShare)} more instances; ` +
    `target tracking alone: ${trackingAlone.shortSteps} short (${pct(savedShare)} saved)` +
    (blind ? ', too seldom to judge the floor' : '');
  return {
    kind: pays ? 'pays' : 'does-not-pay',
    withFloor,
    trackingAlone,
    savedShare,
    extraCostShare,
    reason,
  };
}

function pct(share: number): string {
  return `${(100 * share).toFixed(1)} %`;
}

/** Replayed steps that have a load and a known floor. */
function countKnownFloorSteps(input: FloorJudgementInput): number {
  const hold = Math.max(1, Math.round(input.holdSteps));
  let known = 0;
  for (let i = Math.max(hold, input.fromStep); i < input.loadPerStep.length; i += 1)
    if (Number.isFinite(input.loadPerStep[i]) && Number.isFinite(input.floorPerStep[i])) known += 1;
  return known;
}
