import { type DeepCounts, type DeepFallMeasure, deepFallMeasure } from './deep-fall';
import { memoizedPeaks } from './window-peaks';

/** What `learnScaleInWindow` reads: the group's load history and how fast capacity comes back. */
export interface ScaleInWindowInput {
  /** Load per metric step on a regular grid, oldest first; a non-finite value is a missing step. */
  readonly loadPerStep: readonly number[];
  readonly targetLoadPerInstance: number;
  /**
   * Load per instance above which the group's service level is missed; a release is regretted when
   * the next load needs more than was kept at the lower of this and the target.
   * @default targetLoadPerInstance
   */
  readonly sloLoadPerInstance?: number;
  /**
   * Highest load per instance the group's policy can read (100 for CPU %): from `k` instances
   * (at least one) it sees at most `k` × this, so one return takes it to at most
   * ⌈`k` × this / target⌉ instances, and a fall the climb back from takes several returns is a
   * *deep* fall. Undefined: the metric grows with the load (requests, bytes), one return
   * brings back any capacity, and no fall is deep.
   */
  readonly saturatedLoadPerInstance?: number;
  /** Share of the target (0–1] at which predictive scale-in serves the window's peak. */
  readonly targetRatio: number;
  /**
   * Steps until capacity released now could be back in service if the load needs it again: the
   * lead time plus the tick interval, in metric steps (≥ 1).
   */
  readonly returnSteps: number;
  /**
   * Candidate windows in metric steps, ascending (≥ 1). The last one is how long the group's own
   * policy holds capacity after a fall (its low alarm), so it releases what the policy would.
   */
  readonly windowSteps: readonly number[];
  /** Largest share of a window's releases that may be regretted (0–1). */
  readonly maxRegretShare: number;
}

/** Releases and regrets per candidate window shorter than the hold (the hold never releases). */
export interface ReleaseCounts {
  readonly releases: Float64Array;
  readonly regrets: Float64Array;
}

/**
 * Releases and regrets of some history steps: over all of them, over those within the hold after
 * a launch, and over the deep releases with their weighed trade.
 */
export interface ScaleInReleaseTally {
  readonly all: ReleaseCounts;
  readonly afterLaunch: ReleaseCounts;
  readonly deep: DeepCounts;
}

/**
 * The first and last history steps `learnScaleInWindow` counts at: from the hold's first whole
 * window to the last step whose next `returnSteps` are in the history (last < first: none).
 */
export function scaleInCountedSteps(input: ScaleInWindowInput): {
  readonly first: number;
  readonly last: number;
} {
  const holdSteps = input.windowSteps[input.windowSteps.length - 1] as number;
  return { first: holdSteps - 1, last: input.loadPerStep.length - 1 - input.returnSteps };
}

/**
 * The releases and regrets `learnScaleInWindow` counts at the history steps t with
 * `fromStep ≤ t ≤ toStep` (clipped to {@link scaleInCountedSteps}). A step's count reads only the
 * loads from 2 × hold − 1 steps before it to `returnSteps` after it, so this reads only those:
 * the tallies of adjacent ranges add up to the whole history's, whole numbers exactly. The input
 * is not validated (see `validateScaleInWindowInput`).
 */
export function tallyScaleInReleases(
  input: ScaleInWindowInput,
  fromStep: number,
  toStep: number,
): ScaleInReleaseTally {
  const { loadPerStep, windowSteps, returnSteps } = input;
  const holdSteps = windowSteps[windowSteps.length - 1] as number;
  const counted = scaleInCountedSteps(input);
  const first = Math.max(fromStep, counted.first);
  const last = Math.min(toStep, counted.last);
  const shorterCount = windowSteps.filter((w) => w < holdSteps).length;
  const counts = (): ReleaseCounts => ({
    releases: new Float64Array(shorterCount),
    regrets: new Float64Array(shorterCount),
  });
  const deepCounts = (): DeepCounts => ({
    ...counts(),
    savedInstanceSteps: new Float64Array(shorterCount),
    missedInstanceSteps: new Float64Array(shorterCount),
  });
  if (last < first) return { all: counts(), afterLaunch: counts(), deep: deepCounts() };
  // The launch that puts step t within the hold after it came at t − hold + 1 or later, and was
  // judged against the hold's peak before it: nothing older than 2 × hold − 1 steps before t.
  const start = Math.max(0, first - 2 * holdSteps + 1);
  const end = last + returnSteps + 1;
  const loads = start === 0 && end === loadPerStep.length ? loadPerStep : loadPerStep.slice(start, end);
  const measures = capacityMeasures(input);
  const peaksOf = memoizedPeaks(loads);
  const lastLaunch = lastLaunchSteps(loads, peaksOf(holdSteps), measures.kept);
  return countReleases(input, first - start, last - start, {
    ...measures,
    peaksOf,
    lastLaunch,
    counts,
    deepCounts,
    deep: deepFallMeasure(input.targetLoadPerInstance, input.saturatedLoadPerInstance),
  });
}

/** Capacity kept for a peak (at the target ratio) and needed by a load (at the service level). */
export function capacityMeasures(input: ScaleInWindowInput): {
  readonly kept: (load: number) => number;
  readonly needed: (load: number) => number;
} {
  const servedPerInstance = input.targetLoadPerInstance * input.targetRatio;
  // Capacity let go comes back only after the minutes it was missing: those miss the service level
  // when the load needs more than was kept at the SLO's load per instance (by default the target).
  const serviceLoadPerInstance = Math.min(
    input.targetLoadPerInstance,
    input.sloLoadPerInstance ?? input.targetLoadPerInstance,
  );
  return {
    kept: (peak) => Math.max(0, Math.ceil(peak / servedPerInstance - 1e-9)),
    needed: (load) => Math.max(0, Math.ceil(load / serviceLoadPerInstance - 1e-9)),
  };
}

/**
 * Counts, at steps `first`…`last` of the measured loads, each candidate window shorter than the hold that
 * keeps less than the hold: a release, regretted when the next `returnSteps` need more than it
 * kept (up to what the hold kept); counted again in `afterLaunch` when a launch came within the hold.
 */
function countReleases(
  input: ScaleInWindowInput,
  first: number,
  last: number,
  measures: {
    readonly kept: (load: number) => number;
    readonly needed: (load: number) => number;
    readonly peaksOf: (width: number) => Float64Array;
    readonly lastLaunch: Float64Array;
    readonly counts: () => ReleaseCounts;
    readonly deepCounts: () => DeepCounts;
    readonly deep: DeepFallMeasure;
  },
): ScaleInReleaseTally {
  const { windowSteps, returnSteps } = input;
  const { kept, needed, peaksOf, lastLaunch, deep } = measures;
  const holdSteps = windowSteps[windowSteps.length - 1] as number;
  const heldPeaks = peaksOf(holdSteps);
  const returnPeaks = peaksOf(returnSteps);
  // The hold's own window keeps what the hold keeps, so it never releases: only shorter ones count.
  const candidatePeaks = windowSteps.filter((w) => w < holdSteps).map(peaksOf);
  const all = measures.counts();
  const afterLaunch = measures.counts();
  const deepCounts = measures.deepCounts();
  for (let t = first; t <= last; t += 1) {
    const held = heldPeaks[t] as number;
    // The next `returnSteps` steps after t are the window ending at t + returnSteps.
    const nextPeak = returnPeaks[t + returnSteps] as number;
    if (Number.isNaN(held) || Number.isNaN(nextPeak)) continue;
    const heldCapacity = kept(held);
    const nextNeed = Math.min(needed(nextPeak), heldCapacity);
    const withinHoldAfterLaunch = t - (lastLaunch[t] as number) < holdSteps;
    for (let c = 0; c < candidatePeaks.length; c += 1) {
      const peak = (candidatePeaks[c] as Float64Array)[t] as number;
      if (Number.isNaN(peak)) continue;
      const keptCapacity = kept(peak);
      if (keptCapacity >= heldCapacity) continue;
      const regretted = nextNeed > keptCapacity;
      tally(all, c, regretted);
      if (withinHoldAfterLaunch) tally(afterLaunch, c, regretted);
      if (!deep.isDeep(heldCapacity, keptCapacity)) continue;
      tally(deepCounts, c, regretted);
      deepCounts.savedInstanceSteps[c] =
        (deepCounts.savedInstanceSteps[c] as number) + heldCapacity - keptCapacity;
      if (regretted) {
        const missed = (nextNeed - keptCapacity) * returnSteps * deep.returns(keptCapacity, nextNeed);
        deepCounts.missedInstanceSteps[c] = (deepCounts.missedInstanceSteps[c] as number) + missed;
      }
    }
  }
  return { all, afterLaunch, deep: deepCounts };
}

/** One more release by candidate `c`, and one more regret when it was regretted. */
function tally(counts: ReleaseCounts, c: number, regretted: boolean): void {
  counts.releases[c] = (counts.releases[c] as number) + 1;
  if (regretted) counts.regrets[c] = (counts.regrets[c] as number) + 1;
}

/**
 * Per step u, the newest launch at or before u (−∞ when none): a step whose load needs more
 * capacity (`kept`) than the hold's peak just before it kept, and at least two instances (a rise
 * from idle to the one instance a group always runs is no launch).
 */
export function lastLaunchSteps(
  loadPerStep: readonly number[],
  heldPeaks: Float64Array,
  kept: (load: number) => number,
): Float64Array {
  const last = new Float64Array(loadPerStep.length);
  let newest = Number.NEGATIVE_INFINITY;
  for (let u = 0; u < loadPerStep.length; u += 1) {
    const load = loadPerStep[u] as number;
    const before = u > 0 ? (heldPeaks[u - 1] as number) : Number.NaN;
    if (Number.isFinite(load) && load >= 0 && !Number.isNaN(before) && kept(load) > Math.max(1, kept(before)))
      newest = u;
    last[u] = newest;
  }
  return last;
}
