import { recentLoadHold } from './recent-load-hold';
import { replayTargetTracking, type TrackingReplayInput, wholeInstances } from './replay-target-tracking';

/**
 * The quantile of the newest day's loads a steady hold keeps: high enough that the day's swings
 * stay under it, as a fleet sized for the day would be. Held at p95 a flat group missed about twice
 * the minutes for half a point less (ac20cd at 60 %: 49 minutes at p95, 23 at p98; docs/BENCHMARKS.md,
 * *Cost/SLO frontier*, *The day held*).
 */
export const STEADY_HOLD_QUANTILE = 0.98;

/** What judging a steady hold reads: the group's newest day of load, replayed with and without it. */
export type SteadyHoldInput = Omit<TrackingReplayInput, 'floorPerStep'> & {
  /** The most the hold may add to target tracking's instance-steps in the replay, a share ≥ 0. */
  readonly maxExtraCostShare: number;
  /** Fewest replayed steps with a load before a verdict is given. */
  readonly minSteps: number;
  /**
   * The highest load of the group's newest 15 minutes, target tracking's low-alarm hold (NaN:
   * unknown). The hold is for a level the load is still at: when that load needs two instances or
   * more fewer than the day's median, it has left the level (a fall the day's p98 would hold for
   * most of a day), and nothing is held, as target tracking itself would release it then.
   */
  readonly newestPeakLoad: number;
};

/** Whether holding the day's high load is cheap enough to keep, and what it holds. */
export type SteadyHoldJudgement =
  | { readonly kind: 'too-little-record'; readonly steps: number }
  | { readonly kind: 'left-level'; readonly heldLoad: number; readonly reason: string }
  | {
      readonly kind: 'holds' | 'too-dear';
      /**
       * The load held: the replayed steps' {@link STEADY_HOLD_QUANTILE}, or, held one instance
       * under it, that many instances' load at the target.
       */
      readonly heldLoad: number;
      /** Instances the hold keeps: the p98's, or one fewer when only those were cheap enough. */
      readonly instances: number;
      /** Share (0–1 and up) the hold added to target tracking's instance-steps in the replay. */
      readonly extraCostShare: number;
      /** Target tracking's short steps in the replay, alone and over the hold. */
      readonly shortSteps: { readonly alone: number; readonly held: number };
      readonly reason: string;
    };

/**
 * Judges holding the group's newest day of load at its {@link STEADY_HOLD_QUANTILE} on its own
 * record: target tracking is replayed over those steps alone and over a floor of the instances that
 * load needs. The hold is kept when it adds at most `maxExtraCostShare` to target tracking's
 * instances. On flat load target tracking already holds about that level and chases each swing a
 * launch late; the hold costs a percent or two there and takes most of the minutes the chase
 * misses (ac20cd: 81 → 23 minutes for 1.2 % more), as a fleet sized for the day does. On load with
 * a daily cycle or on/off load the day's high level held all day costs 50 % or more, so it is not
 * kept and the forecast plans the day (docs/BENCHMARKS.md, *Cost/SLO frontier*, *The day held*).
 * A day's p98 outlasts a fall by most of a day, so the hold is for a level the load is still at:
 * `left-level` when the newest 15 minutes' highest load needs two instances or more fewer than the
 * day's median load: below the level itself, not merely in one of its troughs (released when
 * below the p98 by that much, the hold came and went with flat load's troughs and lost most of
 * what it bought over seven days: docs/BENCHMARKS.md, *The day held*).
 * The p98's whole instances round its load up, and on a large group that last instance is the
 * dearest part of the hold: when the p98's instances are too dear, one instance under them is
 * judged the same way (kept when within the stake and short fewer steps than target tracking
 * alone). A fleet one instance under the p98 still holds the day's swings but for their few
 * highest minutes (cc0c53 at 60 %: the p98 needs 35 instances for 5.5 %, 34 for 2.8 %; 69 → 42
 * minutes for 0.7 % more). One rung only: lower rungs leave the day's level, and a small spiky
 * group's 2-instance floor under a 20-instance p98 cost 40 % more where predictive scale-in ran it
 * at 1 (fe7f93; docs/BENCHMARKS.md, *One instance under*).
 * Pure; `too-little-record` when fewer than `minSteps` steps have a load and a full hold before them.
 * @throws RangeError when `maxExtraCostShare` is negative or not finite
 */
export function judgeSteadyHold(input: SteadyHoldInput): SteadyHoldJudgement {
  const { maxExtraCostShare, minSteps, newestPeakLoad, ...replay } = input;
  if (!(Number.isFinite(maxExtraCostShare) && maxExtraCostShare >= 0))
    throw new RangeError(`maxExtraCostShare must be a finite number ≥ 0, got ${maxExtraCostShare}`);
  const alone = replayTargetTracking(replay);
  const day = replay.loadPerStep.slice(replay.fromStep);
  const heldLoad = recentLoadHold(day, STEADY_HOLD_QUANTILE);
  if (alone.steps < minSteps || heldLoad === undefined)
    return { kind: 'too-little-record', steps: alone.steps };
  const floor = wholeInstances(heldLoad / replay.targetLoadPerInstance);
  const level = wholeInstances((recentLoadHold(day, 0.5) as number) / replay.targetLoadPerInstance);
  const newestNeed = wholeInstances(newestPeakLoad / replay.targetLoadPerInstance);
  if (!(newestNeed >= level - 1)) {
    const reason = `the newest 15 minutes need ${Number.isFinite(newestNeed) ? newestNeed : 'an unknown number of'} instances, below the day's median (${level}) by more than one`;
    return { kind: 'left-level', heldLoad, reason };
  }
  return judgeHeldInstances(replay, alone, { heldLoad, floor, maxExtraCostShare });
}

type TrackingReplay = ReturnType<typeof replayTargetTracking>;

/** A floor of `instances` replayed under target tracking, and what it added to its instance-steps. */
function replayHeld(replay: TrackingReplayInput, alone: TrackingReplay, instances: number) {
  const held = replayTargetTracking({
    ...replay,
    floorPerStep: new Array(replay.loadPerStep.length).fill(instances),
  });
  return { instances, held, extraCostShare: held.instanceSteps / Math.max(1, alone.instanceSteps) - 1 };
}

/** The p98's instances judged against the stake, then one instance under them when they are too dear. */
function judgeHeldInstances(
  replay: TrackingReplayInput,
  alone: TrackingReplay,
  p98: {
    readonly heldLoad: number;
    readonly floor: number;
    readonly maxExtraCostShare: number;
  },
): SteadyHoldJudgement {
  const atP98 = replayHeld(replay, alone, p98.floor);
  const verdict = (kind: 'holds' | 'too-dear', heldLoad: number, at: typeof atP98, reason: string) => ({
    kind,
    heldLoad,
    instances: at.instances,
    extraCostShare: at.extraCostShare,
    shortSteps: { alone: alone.shortSteps, held: at.held.shortSteps },
    reason: `${reason}, ${at.held.shortSteps} short steps of ${at.held.steps} where it had ${alone.shortSteps}`,
  });
  const p98Reason =
    `the day's p${Math.round(STEADY_HOLD_QUANTILE * 100)} held (${p98.floor} instances) would have cost ` +
    `${pct(atP98.extraCostShare)} more than target tracking alone (at most ${pct(p98.maxExtraCostShare)})`;
  if (atP98.extraCostShare <= p98.maxExtraCostShare) return verdict('holds', p98.heldLoad, atP98, p98Reason);
  const under = p98.floor - 1;
  if (under >= 1) {
    const atUnder = replayHeld(replay, alone, under);
    if (atUnder.extraCostShare <= p98.maxExtraCostShare && atUnder.held.shortSteps < alone.shortSteps)
      return verdict(
        'holds',
        under * replay.targetLoadPerInstance,
        atUnder,
        `${p98Reason}; one instance under it (${under}) costs ${pct(atUnder.extraCostShare)}`,
      );
  }
  return verdict('too-dear', p98.heldLoad, atP98, p98Reason);
}

function pct(share: number): string {
  return `${(100 * share).toFixed(1)} %`;
}
