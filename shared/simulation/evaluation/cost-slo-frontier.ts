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
 * The vertices of a frontier's lower convex hull, cost ascending: the points no mix of two others
 * beats. Running setting A for a share w of the time and B for the rest costs and misses the
 * w-weighted mean of the two, so every point on a segment between two runs is reachable, not only
 * segments between neighbours; a frontier point above such a segment is a setting no one would run.
 * The cheapest and the dearest point are always vertices. Pure.
 * @param frontier a Pareto frontier as {@link paretoFrontier} returns it (cost ascending).
 */
export function lowerConvexHull<T extends TradeOffPoint>(frontier: readonly T[]): T[] {
  const hull: T[] = [];
  for (const p of frontier) {
    while (hull.length >= 2 && !bendsUp(hull[hull.length - 2] as T, hull[hull.length - 1] as T, p))
      hull.pop();
    hull.push(p);
  }
  return hull;
}

/** Whether the path a → b → c turns counter-clockwise (b lies strictly below the segment a–c). */
function bendsUp(a: TradeOffPoint, b: TradeOffPoint, c: TradeOffPoint): boolean {
  const cross =
    (b.costUsd - a.costUsd) * (c.sloViolationMinutes - a.sloViolationMinutes) -
    (b.sloViolationMinutes - a.sloViolationMinutes) * (c.costUsd - a.costUsd);
  return cross > 0;
}

/**
 * The fewest SLO minutes a frontier's settings reach at a budget of `costUsd`, mixed over time:
 * linear between the vertices of its {@link lowerConvexHull}. Adding a setting never raises it
 * (between neighbours only, a new point above the line of its neighbours would). Below the
 * frontier's cheapest point it is not reachable (undefined); above its dearest point it stays at
 * that point's minutes.
 * @param frontier a Pareto frontier as {@link paretoFrontier} returns it (cost ascending).
 */
export function sloAtCost(frontier: readonly TradeOffPoint[], costUsd: number): number | undefined {
  const hull = lowerConvexHull(frontier);
  const first = hull[0];
  if (first === undefined || costUsd < first.costUsd) return undefined;
  for (let i = 1; i < hull.length; i += 1) {
    const right = hull[i] as TradeOffPoint;
    if (costUsd < right.costUsd) {
      const left = hull[i - 1] as TradeOffPoint;
      const share = (costUsd - left.costUsd) / (right.costUsd - left.costUsd);
      return left.sloViolationMinutes + share * (right.sloViolationMinutes - left.sloViolationMinutes);
    }
  }
  return (hull[hull.length - 1] as TradeOffPoint).sloViolationMinutes;
}

/**
 * The SLO minutes `reference` saves against `other` at equal cost: for each point of `other`
 * whose cost the reference can reach, its minutes minus the reference's minutes there ({@link sloAtCost}).
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
