import fc from 'fast-check';
import type { ScaleInWindowInput } from '../../shared/core/planning/tally-scale-in-releases';

/** Target 60 served at 0.9 × 60 = 54 per instance; capacity comes back 2 steps after a release. */
export const scaleInWindowInput = (
  loadPerStep: readonly number[],
  overrides: Partial<ScaleInWindowInput> = {},
) => ({
  loadPerStep,
  targetLoadPerInstance: 60,
  targetRatio: 0.9,
  returnSteps: 2,
  windowSteps: [1, 2, 3],
  maxRegretShare: 0.5,
  ...overrides,
});

/**
 * The definition read literally: every window's peak recomputed at every step (what the
 * sliding-window implementation must count exactly), over the steps `fromStep`…`toStep`.
 */
export function countScaleInByDefinition(
  i: ScaleInWindowInput,
  fromStep = 0,
  toStep = Number.POSITIVE_INFINITY,
) {
  const peak = (from: number, to: number) => {
    let p: number | undefined;
    for (let k = Math.max(0, from); k <= to && k < i.loadPerStep.length; k += 1) {
      const v = i.loadPerStep[k] as number;
      if (Number.isFinite(v) && v >= 0) p = Math.max(p ?? 0, v);
    }
    return p;
  };
  const served = i.targetLoadPerInstance * i.targetRatio;
  const kept = (x: number) => Math.max(0, Math.ceil(x / served - 1e-9));
  const service = Math.min(i.targetLoadPerInstance, i.sloLoadPerInstance ?? i.targetLoadPerInstance);
  const needed = (x: number) => Math.max(0, Math.ceil(x / service - 1e-9));
  const hold = i.windowSteps[i.windowSteps.length - 1] as number;
  // A launch: a step needing more than the hold just before it kept, and at least two instances.
  const launchAt = (u: number) => {
    const load = i.loadPerStep[u];
    const before = peak(u - hold, u - 1);
    return (
      load !== undefined &&
      Number.isFinite(load) &&
      load >= 0 &&
      u > 0 &&
      before !== undefined &&
      kept(load) > Math.max(1, kept(before))
    );
  };
  const launchedBy = (t: number) =>
    Array.from({ length: hold }, (_, k) => t - k).some((u) => u >= 0 && launchAt(u));
  const counts = i.windowSteps.map((w) => ({ windowSteps: w, releases: 0, regrets: 0 }));
  const afterLaunch = i.windowSteps.map((w) => ({ windowSteps: w, releases: 0, regrets: 0 }));
  // Deep: one return of the policy takes capacity c (at least one) to at most ⌈c × saturated / target⌉.
  const growth =
    i.saturatedLoadPerInstance !== undefined ? i.saturatedLoadPerInstance / i.targetLoadPerInstance : 0;
  const climb = (c: number) => Math.ceil(Math.max(1, c) * growth - 1e-9);
  const isDeep = (held: number, k: number) => growth > 0 && k < held && held > climb(k);
  const returnsOf = (k: number, n: number) => {
    let returns = 1;
    for (let c = climb(k); c < n; c = climb(c)) returns += 1;
    return returns;
  };
  const deep = i.windowSteps.map((w) => ({
    windowSteps: w,
    releases: 0,
    regrets: 0,
    savedInstanceSteps: 0,
    missedInstanceSteps: 0,
  }));
  for (
    let t = Math.max(hold - 1, fromStep);
    t + i.returnSteps < i.loadPerStep.length && t <= toStep;
    t += 1
  ) {
    const held = peak(t - hold + 1, t);
    const next = peak(t + 1, t + i.returnSteps);
    if (held === undefined || next === undefined) continue;
    const heldCapacity = kept(held);
    i.windowSteps.forEach((w, k) => {
      const p = peak(t - w + 1, t);
      if (p === undefined || kept(p) >= heldCapacity) return;
      const need = Math.min(needed(next), heldCapacity);
      const regret = need > kept(p) ? 1 : 0;
      for (const c of launchedBy(t) ? [counts[k], afterLaunch[k]] : [counts[k]]) {
        if (!c) continue;
        c.releases += 1;
        c.regrets += regret;
      }
      const d = deep[k];
      if (!d || !isDeep(heldCapacity, kept(p))) return;
      d.releases += 1;
      d.regrets += regret;
      d.savedInstanceSteps += heldCapacity - kept(p);
      if (regret) d.missedInstanceSteps += (need - kept(p)) * i.returnSteps * returnsOf(kept(p), need);
    });
  }
  return {
    candidates: counts,
    afterLaunch,
    deep,
    launchedWithinHold: launchedBy(i.loadPerStep.length - 1),
  };
}

/**
 * Generators of scale-in window inputs: loads (missing steps as NaN), ascending candidate windows,
 * optional SLOs and optional saturating loads per instance (above the target of 60).
 */
export const scaleInArbitraries = {
  loads: fc.array(fc.oneof(fc.double({ min: 0, max: 3000, noNaN: true }), fc.constant(Number.NaN)), {
    maxLength: 80,
  }),
  windows: fc
    .uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 })
    .map((w) => [...w].sort((a, b) => a - b)),
  slos: fc.option(fc.double({ min: 10, max: 120, noNaN: true }), { nil: undefined }),
  saturations: fc.option(fc.double({ min: 61, max: 400, noNaN: true }), { nil: undefined }),
};
