import {
  chooseWeighed,
  type DeepFallCandidates,
  deepCountsOf,
  deepFallMeasure,
  deepFallReturn,
} from './deep-fall';
import {
  capacityMeasures,
  lastLaunchSteps,
  type ReleaseCounts,
  type ScaleInReleaseTally,
  type ScaleInWindowInput,
  tallyScaleInReleases,
} from './tally-scale-in-releases';
import { memoizedPeaks } from './window-peaks';

export type { DeepFallCandidates } from './deep-fall';
export type { ScaleInWindowInput } from './tally-scale-in-releases';

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

/**
 * The choice `learnScaleInWindow` makes from the tally of its whole history's counted steps (the
 * sum of {@link tallyScaleInReleases} over ranges covering `scaleInCountedSteps`).
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
