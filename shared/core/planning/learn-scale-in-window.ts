import {
  chooseWeighed,
  type DeepCounts,
  type DeepFallCandidates,
  type DeepFallMeasure,
  deepCountsOf,
  deepFallMeasure,
  deepFallReturn,
} from './deep-fall';
import { memoizedPeaks } from './window-peaks';

export type { DeepFallCandidates } from './deep-fall';

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

/** Per candidate window: steps where it released capacity the longest window held, and how many of those were regretted. */
export type ScaleInWindowCandidates = readonly {
  readonly windowSteps: number;
  readonly releases: number;
  readonly regrets: number;
}[];

/** The window chosen and the history behind it. */
export interface ScaleInWindowChoice {
  /** The shortest candidate window whose releases were regretted no more than allowed, else the longest. */
  readonly windowSteps: number;
  readonly candidates: ScaleInWindowCandidates;
  /**
   * The same choice made only over the releases that came within the hold after a launch (a step
   * whose load needed more than the hold before it kept: where the group's policy scales out),
   * never shorter than `windowSteps`: a group whose load comes back soon after a burst holds then,
   * and keeps prompt scale-in elsewhere.
   */
  readonly afterLaunch: { readonly windowSteps: number; readonly candidates: ScaleInWindowCandidates };
  /** Whether the history's newest step lies within the hold after a launch (then `afterLaunch` applies). */
  readonly launchedWithinHold: boolean;
  /**
   * The history's *deep* releases: those the group's policy climbs back from in more than one
   * return, each from `k` instances to ⌈max(1, `k`) × `saturatedLoadPerInstance` / target⌉
   * (none without a saturating metric).
   */
  readonly deepFall: DeepFallChoice;
}

/** What the history's deep releases cost, and the capacity to take back now. */
export interface DeepFallChoice {
  /**
   * The choice of window made over the deep releases alone, each weighed: the instance-steps it
   * saved against, when regretted, the instances the load needed back beyond what was kept ×
   * `returnSteps` × the returns of the climb; never shorter than the window that applies at the
   * newest step (`afterLaunch` when `launchedWithinHold`, else `windowSteps`). Longer than that
   * window: the group's deep releases cost more than they save there.
   */
  readonly windowSteps: number;
  readonly candidates: DeepFallCandidates;
  /**
   * When the deep releases cost more than they save (`windowSteps` is longer than the window that
   * applies) and the newest step's load needs more than a deep release made by that window within
   * the newest `returnSteps` kept: the capacity the hold kept there (the most of them), which the
   * group's own policy would still hold. Otherwise 0.
   */
  readonly regainCapacity: number;
}

/**
 * Learns how far back predictive scale-in should look from the load's own burst spacing. For every
 * step of the history and every candidate window, scale-in ahead would keep the capacity the
 * window's peak needs at `targetRatio` × the target; it *releases* where that is less than what the
 * longest window (the policy's own hold) keeps, and the release is *regretted* where the load
 * within the next `returnSteps` needs more than was kept (up to what the hold kept), counted at the
 * service level (`sloLoadPerInstance` when it is below the target, else the target): the capacity
 * let go comes back only one lead time later, after the minutes it was missing. The shortest window
 * whose regretted share of releases is at most `maxRegretShare` is chosen; with no release in the
 * history, the shortest window. Smooth load (falls that last) keeps a short window and prompt
 * scale-in; load whose bursts return within a lead time gets the policy's hold back. The choice is
 * made a second time over the releases within the hold after a *launch* (a step whose load needs
 * more than the hold before it kept, at least one instance more: where target tracking scales
 * out), so a group whose bursts come in clusters holds after a launch (`afterLaunch`, read when
 * `launchedWithinHold`) while its other falls are still released at once. Under a saturating
 * metric (`saturatedLoadPerInstance`: CPU reads at most 100 % per instance) a *deep* release, one
 * the policy climbs back from in several returns, costs its regrets far more than it saves: the
 * deep releases are weighed (instance-steps saved against those missed over the climb) and, where
 * their regrets take more than `maxRegretShare` of that trade at the window that applies, a load
 * that comes back into one within `returnSteps` gets the hold's capacity back
 * (`deepFall.regainCapacity`), while the others (most of them) keep their saving.
 * @throws RangeError on an empty or unsorted candidate list, a non-positive target or SLO, a ratio or
 *   share outside its range, or fewer than one return step
 */
export function learnScaleInWindow(input: ScaleInWindowInput): ScaleInWindowChoice {
  validateScaleInWindowInput(input);
  return chooseScaleInWindow(input, tallyScaleInReleases(input, 0, input.loadPerStep.length - 1));
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
 * is not validated (see {@link validateScaleInWindowInput}).
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

/**
 * The choice `learnScaleInWindow` makes from the tally of its whole history's counted steps (the
 * sum of {@link tallyScaleInReleases} over ranges covering {@link scaleInCountedSteps}).
 */
export function chooseScaleInWindow(
  input: ScaleInWindowInput,
  tally: ScaleInReleaseTally,
): ScaleInWindowChoice {
  const { loadPerStep, windowSteps, returnSteps } = input;
  const holdSteps = windowSteps[windowSteps.length - 1] as number;
  const candidates = countsOf(windowSteps, tally.all);
  const chosen = choose(candidates, input.maxRegretShare);
  const afterLaunchCandidates = countsOf(windowSteps, tally.afterLaunch);
  const afterLaunchSteps = Math.max(chosen, choose(afterLaunchCandidates, input.maxRegretShare));
  // A launch within the hold before the newest step was judged against the hold before it, and a
  // deep release the newest load came back into lies within the newest `returnSteps` with a hold's
  // peak before it: the newest 2 × hold (or return + hold) steps decide both.
  const tail = loadPerStep.slice(
    Math.max(0, loadPerStep.length - Math.max(2 * holdSteps, returnSteps + holdSteps)),
  );
  const newest = tail.length - 1;
  const measures = capacityMeasures(input);
  const peaksOf = memoizedPeaks(tail);
  const lastLaunch = lastLaunchSteps(tail, peaksOf(holdSteps), measures.kept);
  const launchedWithinHold = newest >= 0 && newest - (lastLaunch[newest] as number) < holdSteps;
  const applied = launchedWithinHold ? afterLaunchSteps : chosen;
  const deepCandidates = deepCountsOf(windowSteps, tally.deep);
  const deepSteps = Math.max(applied, chooseWeighed(deepCandidates, input.maxRegretShare));
  const deep = deepFallMeasure(input.targetLoadPerInstance, input.saturatedLoadPerInstance);
  return {
    windowSteps: chosen,
    candidates,
    afterLaunch: { windowSteps: afterLaunchSteps, candidates: afterLaunchCandidates },
    launchedWithinHold,
    deepFall: {
      windowSteps: deepSteps,
      candidates: deepCandidates,
      regainCapacity:
        deepSteps > applied
          ? deepFallReturn(
              tail,
              { holdSteps, windowSteps: applied, returnSteps },
              { ...measures, peaksOf, deep },
            )
          : 0,
    },
  };
}

/** Capacity kept for a peak (at the target ratio) and needed by a load (at the service level). */
function capacityMeasures(input: ScaleInWindowInput): {
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

/** Every candidate's releases and regrets (the longest, the hold, never releases). */
function countsOf(windowSteps: readonly number[], counts: ReleaseCounts): ScaleInWindowCandidates {
  return windowSteps.map((w, c) => ({
    windowSteps: w,
    releases: c < counts.releases.length ? (counts.releases[c] as number) : 0,
    regrets: c < counts.regrets.length ? (counts.regrets[c] as number) : 0,
  }));
}

/** The shortest candidate regretted at most `maxRegretShare` of its releases, else the longest. */
function choose(candidates: ScaleInWindowCandidates, maxRegretShare: number): number {
  const chosen =
    candidates.find((c) => c.regrets <= maxRegretShare * c.releases) ??
    (candidates[candidates.length - 1] as ScaleInWindowCandidates[number]);
  return chosen.windowSteps;
}

/**
 * Per step u, the newest launch at or before u (−∞ when none): a step whose load needs more
 * capacity (`kept`) than the hold's peak just before it kept, and at least two instances (a rise
 * from idle to the one instance a group always runs is no launch).
 */
function lastLaunchSteps(
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

/**
 * Checks `learnScaleInWindow`'s input.
 * @throws RangeError as `learnScaleInWindow` documents
 */
export function validateScaleInWindowInput(input: ScaleInWindowInput): void {
  const { windowSteps } = input;
  if (windowSteps.length === 0) throw new RangeError('windowSteps must list at least one window, got none');
  windowSteps.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1 || (i > 0 && w <= (windowSteps[i - 1] as number))) {
      throw new RangeError(`windowSteps must be ascending whole steps ≥ 1, got ${windowSteps.join(', ')}`);
    }
  });
  if (!(input.targetLoadPerInstance > 0) || !Number.isFinite(input.targetLoadPerInstance)) {
    throw new RangeError(
      `targetLoadPerInstance must be a positive number, got ${input.targetLoadPerInstance}`,
    );
  }
  const slo = input.sloLoadPerInstance;
  if (slo !== undefined && !(slo > 0 && Number.isFinite(slo))) {
    throw new RangeError(`sloLoadPerInstance must be a positive number, got ${slo}`);
  }
  const saturated = input.saturatedLoadPerInstance;
  if (saturated !== undefined && !(saturated > input.targetLoadPerInstance && Number.isFinite(saturated))) {
    throw new RangeError(
      `saturatedLoadPerInstance must be a number above targetLoadPerInstance (${input.targetLoadPerInstance}), got ${saturated}`,
    );
  }
  if (!(input.targetRatio > 0 && input.targetRatio <= 1)) {
    throw new RangeError(`targetRatio must be in (0, 1], got ${input.targetRatio}`);
  }
  if (!Number.isInteger(input.returnSteps) || input.returnSteps < 1) {
    throw new RangeError(`returnSteps must be a whole number ≥ 1, got ${input.returnSteps}`);
  }
  if (!(input.maxRegretShare >= 0 && input.maxRegretShare <= 1)) {
    throw new RangeError(`maxRegretShare must be in [0, 1], got ${input.maxRegretShare}`);
  }
}
