import {
  chooseScaleInWindow,
  type ScaleInWindowChoice,
  type ScaleInWindowInput,
  validateScaleInWindowInput,
} from '../core/planning/learn-scale-in-window';
import {
  type ReleaseCounts,
  type ScaleInReleaseTally,
  tallyScaleInReleases,
} from '../core/planning/tally-scale-in-releases';

/** Where a load grid sits: whose history it is, and the start of its first step on a grid of `stepMs`. */
export interface LoadGridPlace {
  readonly key: string;
  readonly startMs: number;
  readonly stepMs: number;
}

/** `learnScaleInWindow` as the loop calls it, told where the grid sits (a cache may use it). */
export type ScaleInWindowLearner = (input: ScaleInWindowInput, place: LoadGridPlace) => ScaleInWindowChoice;

/** One group's last grid: a copy of its loads, the settings it was counted with, and its tally. */
interface HeldTally {
  readonly startMs: number;
  readonly stepMs: number;
  readonly loads: readonly number[];
  readonly input: ScaleInWindowInput;
  readonly tally: ScaleInReleaseTally;
}

/** Groups held by default: a worker batch's 10 groups and more; a 14-day 5-minute grid is ~32 KB. */
const DEFAULT_CAPACITY_GROUPS = 32;

/**
 * `learnScaleInWindow` for a warm container: a group's history grid differs from its previous run's
 * by the steps that came since (and those that left its start), so only the steps whose count
 * reads a changed load are counted again. Each step's count (`tallyScaleInReleases`) reads the
 * loads from 2 × hold − 1 steps before it to `returnSteps` after it; a step whose loads equal
 * (`Object.is`) the held grid's at the same place relative to it, and that the grid's start cuts
 * short in neither, keeps its count. The held tally minus the counts of the held steps not kept,
 * plus those of the new steps, is the whole history's tally: whole numbers, so exactly what
 * `learnScaleInWindow` counts. Another setting, a grid not after the held one, or nothing in
 * common counts the whole grid. At most `capacityGroups` groups are held (least recently used
 * dropped first); `clear` makes it cold.
 */
export class WarmScaleInWindows {
  private readonly held = new Map<string, HeldTally>();
  /** Choices that reused a held tally, and choices counted over the whole grid, since the last `clear`. */
  readonly stats = { reused: 0, counted: 0 };

  constructor(readonly capacityGroups = DEFAULT_CAPACITY_GROUPS) {}

  /** Forgets every group (a cold container). */
  clear(): void {
    this.held.clear();
    this.stats.reused = 0;
    this.stats.counted = 0;
  }

  /**
   * The choice `learnScaleInWindow(input)` makes.
   * @throws RangeError as `learnScaleInWindow` does
   */
  readonly learn: ScaleInWindowLearner = (input, place) => {
    validateScaleInWindowInput(input);
    const found = this.held.get(place.key);
    this.held.delete(place.key);
    const reused = found === undefined ? undefined : tallyFromHeld(found, input, place);
    if (reused !== undefined) this.stats.reused += 1;
    else this.stats.counted += 1;
    const tally = reused ?? tallyScaleInReleases(input, 0, input.loadPerStep.length - 1);
    const loads = input.loadPerStep.slice();
    this.held.set(place.key, {
      startMs: place.startMs,
      stepMs: place.stepMs,
      loads,
      input: { ...input, loadPerStep: loads, windowSteps: [...input.windowSteps] },
      tally,
    });
    while (this.held.size > this.capacityGroups) this.held.delete(this.held.keys().next().value as string);
    return chooseScaleInWindow(input, tally);
  };
}

/** The whole grid's tally from the held one, or undefined when no step's count can be kept. */
function tallyFromHeld(
  held: HeldTally,
  input: ScaleInWindowInput,
  place: LoadGridPlace,
): ScaleInReleaseTally | undefined {
  if (!sameCounting(held.input, input) || !Object.is(held.stepMs, place.stepMs)) return undefined;
  const shift = (place.startMs - held.startMs) / place.stepMs;
  if (!Number.isInteger(shift) || shift < 0) return undefined;
  const loads = input.loadPerStep;
  let common = 0;
  const end = Math.min(loads.length, held.loads.length - shift);
  while (common < end && sameNumber(loads[common] as number, held.loads[common + shift] as number))
    common += 1;
  const holdSteps = input.windowSteps[input.windowSteps.length - 1] as number;
  // Kept: steps whose loads lie in the common part and, when the start moved, are not cut short by it.
  const firstKept = shift === 0 ? holdSteps - 1 : 2 * holdSteps - 1;
  const lastKept = common - 1 - input.returnSteps;
  if (lastKept < firstKept) return undefined;
  const last = Number.MAX_SAFE_INTEGER;
  return combine(held.tally, [
    [-1, tallyScaleInReleases(held.input, 0, firstKept + shift - 1)],
    [-1, tallyScaleInReleases(held.input, lastKept + shift + 1, last)],
    [1, tallyScaleInReleases(input, 0, firstKept - 1)],
    [1, tallyScaleInReleases(input, lastKept + 1, last)],
  ]);
}

/** `Object.is` for numbers (NaN is NaN, −0 is not 0), without a call per step of the grid. */
function sameNumber(a: number, b: number): boolean {
  // biome-ignore lint/suspicious/noSelfCompare: NaN is the one number not equal to itself.
  return a === b ? a !== 0 || 1 / a === 1 / b : a !== a && b !== b;
}

/** Whether both inputs count releases alike for the same loads (the regret share only chooses). */
function sameCounting(a: ScaleInWindowInput, b: ScaleInWindowInput): boolean {
  return (
    Object.is(a.targetLoadPerInstance, b.targetLoadPerInstance) &&
    Object.is(a.sloLoadPerInstance, b.sloLoadPerInstance) &&
    Object.is(a.saturatedLoadPerInstance, b.saturatedLoadPerInstance) &&
    Object.is(a.targetRatio, b.targetRatio) &&
    Object.is(a.returnSteps, b.returnSteps) &&
    a.windowSteps.length === b.windowSteps.length &&
    a.windowSteps.every((w, i) => Object.is(w, b.windowSteps[i]))
  );
}

/** `base` plus each signed tally, per candidate (whole numbers: exact in any order). */
function combine(
  base: ScaleInReleaseTally,
  terms: readonly (readonly [sign: number, tally: ScaleInReleaseTally])[],
): ScaleInReleaseTally {
  const add = (pick: (t: ScaleInReleaseTally) => Float64Array): Float64Array => {
    const sum = Float64Array.from(pick(base));
    for (const [sign, tally] of terms) {
      const counts = pick(tally);
      for (let c = 0; c < sum.length; c += 1) sum[c] = (sum[c] as number) + sign * (counts[c] as number);
    }
    return sum;
  };
  const counts = (pick: (t: ScaleInReleaseTally) => ReleaseCounts): ReleaseCounts => ({
    releases: add((t) => pick(t).releases),
    regrets: add((t) => pick(t).regrets),
  });
  return {
    all: counts((t) => t.all),
    afterLaunch: counts((t) => t.afterLaunch),
    deep: {
      ...counts((t) => t.deep),
      savedInstanceSteps: add((t) => t.deep.savedInstanceSteps),
      missedInstanceSteps: add((t) => t.deep.missedInstanceSteps),
    },
  };
}

/**
 * The scale-in windows a warm worker container holds, shared by the runs it serves: a group's
 * next run counts only its newest steps.
 */
export const warmScaleInWindows = new WarmScaleInWindows();
