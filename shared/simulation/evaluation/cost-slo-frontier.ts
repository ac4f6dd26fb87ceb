/**
 * Cost/SLO trade-off curves of scaling policies. A policy run is one point (cost, SLO-violation
 * minutes); sweeping the policy's own knob gives a set of points, and the Pareto frontier of that
 * set is the trade-off curve a user chooses from. Both axes are "lower is better". Pure.
 */

/** One run of a policy at one knob setting. */
export interface TradeOffPoint {
  /** Cost of the run, USD (any consistent cost unit works). */
  readonly costUsd: number;
  readonly sloViolationMinutes: number;
}

/** The verdict of comparing a frontier with a challenger's points. */
export interface DominanceVerdict<T extends TradeOffPoint> {
  /** True when every challenger point is weakly dominated by some frontier point. */
  readonly dominatesAll: boolean;
  /** The challenger points no frontier point weakly dominates. */
  readonly undominated: readonly T[];
}

/** How much a frontier saves against another at equal cost, over their common cost range. */
export interface FrontierGap {
  /** Points of the other frontier inside the reference frontier's cost range. */
  readonly comparedPoints: number;
  /**
   * Mean over those points of (their SLO minutes − the reference's interpolated SLO minutes at the
   * same cost): positive means the reference saves minutes. NaN when no point is compared.
   */
  readonly meanSavedMinutes: number;
  /** The smallest saving over those points (the other frontier's best showing). NaN when none. */
  readonly minSavedMinutes: number;
}

function assertPoint(p: TradeOffPoint, where: string): void {
  if (
    !Number.isFinite(p.costUsd) ||
    p.costUsd < 0 ||
    !Number.isFinite(p.sloViolationMinutes) ||
    p.sloViolationMinutes < 0
  ) {
    throw new RangeError(
      `${where}: expected a finite cost ≥ 0 and finite SLO minutes ≥ 0, got (${p.costUsd}, ${p.sloViolationMinutes})`,
    );
  }
}

/** Whether `a` is worse than `b` on both axes (more cost and more SLO minutes). */
export function worseOnBoth(a: TradeOffPoint, b: TradeOffPoint): boolean {
  return a.costUsd > b.costUsd && a.sloViolationMinutes > b.sloViolationMinutes;
}

/** Whether `a` is at least as good as `b` on both axes (≤ cost and ≤ SLO minutes). */
export function weaklyDominates(a: TradeOffPoint, b: TradeOffPoint): boolean {
  return a.costUsd <= b.costUsd && a.sloViolationMinutes <= b.sloViolationMinutes;
}

/**
 * The Pareto frontier of `points`: the points no other point strictly improves on, sorted by cost
 * ascending, so SLO minutes strictly decrease along it. Of several identical points, the first is
 * kept. Every input point is weakly dominated by some frontier point.
 * @throws RangeError on a negative or non-finite coordinate.
 */
export function paretoFrontier<T extends TradeOffPoint>(points: readonly T[]): T[] {
  points.forEach((p, i) => {
    assertPoint(p, `point ${i}`);
  });
  const sorted = points
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) => a.p.costUsd - b.p.costUsd || a.p.sloViolationMinutes - b.p.sloViolationMinutes || a.i - b.i,
    );
  const frontier: T[] = [];
  let bestSlo = Number.POSITIVE_INFINITY;
  for (const { p } of sorted) {
    if (p.sloViolationMinutes < bestSlo) {
      frontier.push(p);
      bestSlo = p.sloViolationMinutes;
    }
  }
  return frontier;
}

/**
 * Whether some point of `frontier` weakly dominates each point of `challengers`, and which
 * challenger points escape. `frontier` may be any point set (its dominated points change nothing).
 */
export function dominanceVerdict<T extends TradeOffPoint>(
  frontier: readonly TradeOffPoint[],
  challengers: readonly T[],
): DominanceVerdict<T> {
  const undominated = challengers.filter((c) => !frontier.some((f) => weaklyDominates(f, c)));
  return { dominatesAll: undominated.length === 0, undominated };
}

/**
 * The SLO minutes a frontier reaches at a budget of `costUsd`, interpolated linearly between its
 * neighbouring points (running each setting for part of the time). Below the frontier's cheapest
 * point it is not reachable (undefined); above its dearest point it stays at that point's minutes.
 * @param frontier a Pareto frontier as {@link paretoFrontier} returns it (cost ascending).
 */
export function sloAtCost(frontier: readonly TradeOffPoint[], costUsd: number): number | undefined {
  const first = frontier[0];
  if (first === undefined || costUsd < first.costUsd) return undefined;
  for (let i = 1; i < frontier.length; i += 1) {
    const right = frontier[i] as TradeOffPoint;
    if (costUsd < right.costUsd) {
      const left = frontier[i - 1] as TradeOffPoint;
      const share = (costUsd - left.costUsd) / (right.costUsd - left.costUsd);
      return left.sloViolationMinutes + share * (right.sloViolationMinutes - left.sloViolationMinutes);
    }
  }
  return (frontier[frontier.length - 1] as TradeOffPoint).sloViolationMinutes;
}

/**
 * The SLO minutes `reference` saves against `other` at equal cost: for each point of `other`
 * whose cost the reference can reach, its minutes minus the reference's interpolated minutes.
 * @param reference a Pareto frontier (cost ascending), e.g. Prescale's.
 * @param other the points of the policy compared against, e.g. reactive's frontier.
 */
export function frontierGap(
  reference: readonly TradeOffPoint[],
  other: readonly TradeOffPoint[],
): FrontierGap {
  const savings: number[] = [];
  for (const o of other) {
    const slo = sloAtCost(reference, o.costUsd);
    if (slo !== undefined) savings.push(o.sloViolationMinutes - slo);
  }
  if (savings.length === 0)
    return { comparedPoints: 0, meanSavedMinutes: Number.NaN, minSavedMinutes: Number.NaN };
  return {
    comparedPoints: savings.length,
    meanSavedMinutes: savings.reduce((a, b) => a + b, 0) / savings.length,
    minSavedMinutes: Math.min(...savings),
  };
}
