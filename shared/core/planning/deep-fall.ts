/** Deep releases of predictive scale-in: falls the group's policy climbs back from in more than one return. */

/** Per candidate window over the deep releases: their count, regrets and the weighed trade. */
export type DeepFallCandidates = readonly {
  readonly windowSteps: number;
  readonly releases: number;
  readonly regrets: number;
  /** Instances released, summed over the deep releases' steps. */
  readonly savedInstanceSteps: number;
  /** Instances the load needed back beyond what was kept × return steps × returns of the climb, over the regrets. */
  readonly missedInstanceSteps: number;
}[];

/** Which releases are deep, and how many returns of the group's policy a climb back takes. */
export interface DeepFallMeasure {
  readonly isDeep: (heldCapacity: number, keptCapacity: number) => boolean;
  readonly returns: (keptCapacity: number, neededCapacity: number) => number;
}

/**
 * Which releases are deep, and the returns a regret's climb takes: under a saturating metric
 * each return of the group's policy (target tracking: ⌈capacity × metric / target⌉) takes
 * capacity c (at least one instance) to at most ⌈c × saturated / target⌉, whole instances.
 * Without one, no release is deep and every climb is one return.
 */
export function deepFallMeasure(
  targetLoadPerInstance: number,
  saturatedLoadPerInstance: number | undefined,
): DeepFallMeasure {
  if (saturatedLoadPerInstance === undefined) return { isDeep: () => false, returns: () => 1 };
  const growth = saturatedLoadPerInstance / targetLoadPerInstance;
  const oneReturn = (capacity: number) => Math.ceil(Math.max(1, capacity) * growth - 1e-9);
  return {
    isDeep: (heldCapacity, keptCapacity) =>
      keptCapacity < heldCapacity && heldCapacity > oneReturn(keptCapacity),
    returns: (keptCapacity, neededCapacity) => {
      let returns = 1;
      for (let capacity = oneReturn(keptCapacity); capacity < neededCapacity; capacity = oneReturn(capacity))
        returns += 1;
      return returns;
    },
  };
}

/** The deep releases' counts, and the instance-steps they saved and their regrets missed. */
export interface DeepCounts {
  readonly releases: Float64Array;
  readonly regrets: Float64Array;
  readonly savedInstanceSteps: Float64Array;
  readonly missedInstanceSteps: Float64Array;
}

/** Every candidate's deep releases, regrets and weighed trade (the hold never releases). */
export function deepCountsOf(windowSteps: readonly number[], counts: DeepCounts): DeepFallCandidates {
  const at = (values: Float64Array, c: number) => (c < values.length ? (values[c] as number) : 0);
  return windowSteps.map((w, c) => ({
    windowSteps: w,
    releases: at(counts.releases, c),
    regrets: at(counts.regrets, c),
    savedInstanceSteps: at(counts.savedInstanceSteps, c),
    missedInstanceSteps: at(counts.missedInstanceSteps, c),
  }));
}

/**
 * The shortest candidate whose regrets missed at most `maxRegretShare` of the weighed trade
 * (missed instance-steps against missed plus saved), else the longest.
 */
export function chooseWeighed(candidates: DeepFallCandidates, maxRegretShare: number): number {
  const chosen =
    candidates.find(
      (c) => c.missedInstanceSteps <= maxRegretShare * (c.missedInstanceSteps + c.savedInstanceSteps),
    ) ?? (candidates[candidates.length - 1] as DeepFallCandidates[number]);
  return chosen.windowSteps;
}

/**
 * The largest capacity the hold kept at a step within the newest `returnSteps` before it, where
 * the `windowSteps` window released a deep fall that the newest step's load needs more than; 0
 * when there is none.
 */
export function deepFallReturn(
  loadPerStep: readonly number[],
  steps: { readonly holdSteps: number; readonly windowSteps: number; readonly returnSteps: number },
  measures: {
    readonly kept: (load: number) => number;
    readonly needed: (load: number) => number;
    readonly peaksOf: (width: number) => Float64Array;
    readonly deep: DeepFallMeasure;
  },
): number {
  const { holdSteps, windowSteps, returnSteps } = steps;
  const { kept, needed, peaksOf, deep } = measures;
  const newest = loadPerStep.length - 1;
  const load = loadPerStep[newest];
  if (load === undefined || !Number.isFinite(load) || load < 0) return 0;
  const holdPeaks = peaksOf(holdSteps);
  const windowPeaks = peaksOf(windowSteps);
  let returned = 0;
  for (let t = Math.max(0, newest - returnSteps); t < newest; t += 1) {
    const held = holdPeaks[t] as number;
    const peak = windowPeaks[t] as number;
    if (Number.isNaN(held) || Number.isNaN(peak)) continue;
    const heldCapacity = kept(held);
    const keptCapacity = kept(peak);
    if (deep.isDeep(heldCapacity, keptCapacity) && needed(load) > keptCapacity)
      returned = Math.max(returned, heldCapacity);
  }
  return returned;
}
