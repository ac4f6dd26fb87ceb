/**
 * Target tracking replayed on a group's load per metric step, the way EC2 Auto Scaling's policy
 * reacts to it: the capacity it would have held each step, optionally never below a floor per step
 * (the MinSize a planner set), what that capacity cost and where it fell short. Prescale's own
 * model of the group's policy, in the core so the planner can ask what target tracking alone would
 * have done on the load that came: step averages where the policy acts on minutes, so it is a
 * comparison between replays on the same load, not a prediction of the group's SLO minutes.
 */

/** Target tracking's low alarm, as a share of the target (AWS: 10 % below it). */
const SCALE_IN_RATIO = 0.9;
/** How long target tracking's low alarm holds before it scales in (AWS: 15 one-minute datapoints). */
export const SCALE_IN_HOLD_MS = 15 * 60_000;
/** How long its high alarm waits above the target before it scales out (AWS: 3 one-minute datapoints). */
export const SCALE_OUT_ALARM_MS = 3 * 60_000;

/** Whole instances for a load share, at least one (a float a hair above an integer stays on it). */
export function wholeInstances(instances: number): number {
  return Math.max(1, Math.ceil(instances - 1e-9));
}

/**
 * The capacity target tracking leaves after the steps before: scaled out to the newest step's load
 * at the target when it ran above it; scaled in to the most load of the hold at the target only
 * when every step of the hold ran below 0.9 × the target (its low alarm); otherwise kept.
 */
export function trackedCapacity(capacity: number, hold: readonly number[], target: number): number {
  const newest = hold[hold.length - 1] as number;
  if (newest > capacity * target) return wholeInstances(newest / target);
  const most = Math.max(...hold);
  if (most < SCALE_IN_RATIO * capacity * target) return wholeInstances(most / target);
  return capacity;
}

/** What a replay is asked. */
export interface TrackingReplayInput {
  /** Load per metric step, oldest first, NaN where missing. */
  readonly loadPerStep: readonly number[];
  /** First step replayed; the steps before it are the policy's hold (at least `holdSteps`). */
  readonly fromStep: number;
  /** Load per instance the policy tracks. */
  readonly targetLoadPerInstance: number;
  /** Load per instance above which a step is short (the SLO; the group's target without one). */
  readonly sloLoadPerInstance: number;
  /** Steps the policy's low alarm holds before it scales in (its 15 minutes), at least 1. */
  readonly holdSteps: number;
  /**
   * Steps from the step whose load raised the policy's capacity to the step its launches serve:
   * its alarm's datapoints plus the launches' lead time, in steps (whole). Falls serve at once.
   * @default 0
   */
  readonly scaleOutDelaySteps?: number;
  /**
   * The least capacity serving each replayed step (a planner's MinSize, set a lead time ahead so
   * it is in service), aligned with `loadPerStep`; NaN where none.
   */
  readonly floorPerStep?: readonly number[];
}

/** Capacity held and shortfall over the replayed steps. */
export interface TrackingReplay {
  /** Steps replayed (those with a load and a full hold before them). */
  readonly steps: number;
  /** Instances summed over the replayed steps: the cost, in instance-steps. */
  readonly instanceSteps: number;
  /** Replayed steps whose load exceeded the capacity × the SLO load per instance. */
  readonly shortSteps: number;
}

/**
 * Replays target tracking over `loadPerStep` from `fromStep`: the policy's capacity after each step
 * is what it leaves after the hold before it (`trackedCapacity`), never below the step's floor; a
 * raise serves `scaleOutDelaySteps` steps later (the capacity launched is paid from the launch), a
 * fall at once, and the floor serves its own step. A step without a load, or without a whole hold
 * before it, is skipped and leaves the capacity as it was. Pure.
 */
export function replayTargetTracking(input: TrackingReplayInput): TrackingReplay {
  const { loadPerStep, targetLoadPerInstance: target, floorPerStep } = input;
  const hold = Math.max(1, Math.round(input.holdSteps));
  const delay = Math.max(0, Math.round(input.scaleOutDelaySteps ?? 0));
  const from = Math.max(hold, input.fromStep);
  // The policy's capacity after each replayed step, newest last (the serving capacity lags its raises).
  const launched: number[] = [];
  let steps = 0;
  let instanceSteps = 0;
  let shortSteps = 0;
  for (let i = from; i < loadPerStep.length; i += 1) {
    const load = loadPerStep[i] as number;
    const before = loadPerStep.slice(i - hold, i);
    if (!Number.isFinite(load) || !before.every(Number.isFinite)) continue;
    const floorValue = floorPerStep?.[i];
    const floor = floorValue !== undefined && Number.isFinite(floorValue) ? floorValue : 0;
    const previous = launched[launched.length - 1];
    // The first replayed step starts where the policy would sit after the hold: at its newest load.
    const tracked =
      previous === undefined
        ? wholeInstances((before[before.length - 1] as number) / target)
        : trackedCapacity(previous, before, target);
    const capacity = Math.max(tracked, floor);
    launched.push(capacity);
    const delayed = launched[Math.max(0, launched.length - 1 - delay)] as number;
    const serving = Math.max(floor, Math.min(capacity, delayed));
    steps += 1;
    instanceSteps += capacity;
    if (load > serving * input.sloLoadPerInstance) shortSteps += 1;
  }
  return { steps, instanceSteps, shortSteps };
}
