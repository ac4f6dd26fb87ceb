import {
  type DominanceVerdict,
  dominanceVerdict,
  type FrontierGap,
  frontierGap,
  paretoFrontier,
  sloAtCost,
  type TradeOffPoint,
  worseOnBoth,
} from './cost-slo-frontier';

/** One run of a knob sweep: which policy, at which setting, and where it landed. */
export interface SweepPoint extends TradeOffPoint {
  readonly policy: string;
  /** The knob setting, readable (`target 60 %`, `target 50 %, buffer 900 s`). */
  readonly knob: string;
  /** True for the policy's default setting (at most one per policy). */
  readonly isDefault: boolean;
  readonly instanceHours: number;
}

/**
 * How much dearer than reactive's default a Prescale setting may be and still count as matched
 * cost: issue 14's "within 2 % of reactive's instance-hours" (one instance type, so cost and
 * instance-hours move together).
 */
export const MATCHED_COST_TOLERANCE = 0.02;

/** The series name of the oracle's points at a foresight resolution (`oracle`, `oracle-5min`). */
export const oracleSeries = (foresightMinutes: number): string =>
  foresightMinutes === 1 ? 'oracle' : `oracle-${foresightMinutes}min`;

const isOracleSeries = (policy: string): boolean => /^oracle(-\d+min)?$/.test(policy);

/** The policies Prescale is compared against. */
export const RIVALS = ['reactive', 'ec2-predictive'] as const;

/** How Prescale's trade-off curve compares with one rival's on one trace. */
export interface RivalComparison {
  readonly rival: (typeof RIVALS)[number];
  /** Is every rival point weakly dominated by some Prescale point? Which are not. */
  readonly verdict: DominanceVerdict<SweepPoint>;
  /**
   * Of `verdict.undominated`, the points that no mix of two Prescale settings reaches either (its
   * frontier read at their cost, `sloAtCost`, misses more minutes, or cannot get that cheap): the
   * rest fall between two Prescale settings, not beyond its curve. Not the verdict, which asks for
   * one setting.
   */
  readonly beyondMixes: readonly SweepPoint[];
  /** By how much each point of `verdict.undominated` escapes, in its order (`escapeMargin`). */
  readonly margins: readonly EscapeMargin[];
  /** SLO minutes Prescale's frontier saves at the cost of each rival frontier point. */
  readonly gap: FrontierGap;
}

/**
 * How far one rival point lies from being dominated by a single Prescale setting, each way: the SLO
 * minutes the fewest-minute Prescale point at no more cost misses over it, and the extra cost the
 * cheapest Prescale point with no more minutes takes. An escape by a minute or by a fraction of a
 * percent is a setting between two of Prescale's; one by hundreds of minutes is a curve it lacks.
 */
export interface EscapeMargin {
  /** Minutes over the rival point at ≤ its cost (undefined: no Prescale setting is that cheap). */
  readonly extraMinutes: number | undefined;
  /** Cost share over the rival point at ≤ its minutes (undefined: none misses so few). */
  readonly extraCostShare: number | undefined;
}

/** `point`'s {@link EscapeMargin} against Prescale's points. Pure. */
export function escapeMargin(prescale: readonly SweepPoint[], point: SweepPoint): EscapeMargin {
  let fewestMinutes: number | undefined;
  let cheapest: number | undefined;
  for (const p of prescale) {
    if (p.costUsd <= point.costUsd)
      fewestMinutes = Math.min(fewestMinutes ?? Number.POSITIVE_INFINITY, p.sloViolationMinutes);
    if (p.sloViolationMinutes <= point.sloViolationMinutes)
      cheapest = Math.min(cheapest ?? Number.POSITIVE_INFINITY, p.costUsd);
  }
  return {
    extraMinutes: fewestMinutes === undefined ? undefined : fewestMinutes - point.sloViolationMinutes,
    extraCostShare: cheapest === undefined || point.costUsd <= 0 ? undefined : cheapest / point.costUsd - 1,
  };
}

/** Everything the frontier report says about one trace. */
export interface FrontierComparison {
  /** Each policy's Pareto frontier, cost ascending. */
  readonly frontiers: Readonly<Record<string, readonly SweepPoint[]>>;
  readonly rivals: readonly RivalComparison[];
  /**
   * At reactive's default setting's cost: Prescale's SLO minutes on its frontier's lower convex
   * hull (its settings mixed over time, `sloAtCost`), and their ratio to reactive's (NaN when
   * reactive has none; undefined when Prescale cannot get that cheap). `withinTolerance` reads the
   * frontier at up to `MATCHED_COST_TOLERANCE` more cost.
   */
  readonly matchedCost?: {
    readonly costUsd: number;
    readonly reactiveSloMinutes: number;
    readonly prescaleSloMinutes: number | undefined;
    readonly ratio: number | undefined;
    readonly withinTolerance: {
      readonly costUsd: number;
      readonly prescaleSloMinutes: number | undefined;
      readonly ratio: number | undefined;
    };
  };
  /** Prescale's default against reactive's default: is it worse on both axes? */
  readonly defaultsWorseOnBoth?: boolean;
  /**
   * The same matched-cost reading (up to `MATCHED_COST_TOLERANCE` more cost) on each perfect-
   * foresight series (`oracle`, `oracle-5min`): the least any policy with the same launch lead time
   * and that foresight could reach, so a target below it is out of reach, not merely missed.
   */
  readonly foresightBounds?: readonly ForesightBound[];
  /**
   * The same matched-cost reading on the static frontier: the fewest minutes a fixed fleet, its
   * size chosen knowing the day's load, misses at that cost. Not a bound (a fixed fleet cannot follow
   * a day's swing) but the plainest thing a user could run instead; on flat load it is the
   * reference a scaler has to beat. `escaping`: the fixed fleet's frontier points, within the cost
   * span of Prescale's own runs, that no Prescale point weakly dominates (a fleet cheaper than every
   * Prescale run, one instance for the whole day, says nothing of Prescale's curve; and a fixed
   * fleet is not one of issue 14's rivals, so these are counted apart from theirs).
   */
  readonly fixedFleet?: MatchedCostReading & { readonly escaping: readonly SweepPoint[] };
}

/** A frontier read at reactive's default cost plus the tolerance. */
export interface MatchedCostReading {
  /** undefined when the series cannot get that cheap. */
  readonly sloMinutes: number | undefined;
  readonly ratio: number | undefined;
}

/** One perfect-foresight series read at reactive's default cost plus the tolerance. */
export interface ForesightBound extends MatchedCostReading {
  readonly series: string;
}

/** Prescale's and reactive's default points of one sweep (each undefined when the sweep has none). */
export function defaultPoints(points: readonly SweepPoint[]): {
  readonly prescale: SweepPoint | undefined;
  readonly reactive: SweepPoint | undefined;
} {
  return {
    prescale: points.find((p) => p.policy === 'prescale' && p.isDefault),
    reactive: points.find((p) => p.policy === 'reactive' && p.isDefault),
  };
}

/**
 * Compares the knob sweeps of every policy on one trace: each policy's Pareto frontier; for each
 * rival (reactive, ec2-predictive) the dominance verdict of Prescale's points over the rival's and
 * the SLO minutes Prescale saves at equal cost; Prescale's minutes at reactive's default cost;
 * whether Prescale's default is worse than reactive's on both axes; the perfect-foresight
 * series' minutes at that cost (the bound) and a fixed fleet's. Pure.
 */
export function compareFrontiers(points: readonly SweepPoint[]): FrontierComparison {
  const policies = [...new Set(points.map((p) => p.policy))];
  const frontiers: Record<string, SweepPoint[]> = {};
  for (const policy of policies)
    frontiers[policy] = paretoFrontier(points.filter((p) => p.policy === policy));
  const prescale = points.filter((p) => p.policy === 'prescale');
  const prescaleFrontier = frontiers.prescale ?? [];
  const rivals = prescale.length > 0 ? rivalComparisons(points, prescale, frontiers) : [];
  const { reactive: reactiveDefault, prescale: prescaleDefault } = defaultPoints(points);
  const toleratedCostUsd = reactiveDefault && reactiveDefault.costUsd * (1 + MATCHED_COST_TOLERANCE);
  const matchedCost =
    reactiveDefault && toleratedCostUsd !== undefined && prescale.length > 0
      ? matchedCostReading(reactiveDefault, toleratedCostUsd, prescaleFrontier)
      : undefined;
  const readAtTolerance = (series: string): MatchedCostReading | undefined => {
    if (!reactiveDefault || toleratedCostUsd === undefined) return undefined;
    const sloMinutes = sloAtCost(frontiers[series] ?? [], toleratedCostUsd);
    return { sloMinutes, ratio: sloRatio(sloMinutes, reactiveDefault.sloViolationMinutes) };
  };
  const foresightBounds: ForesightBound[] = policies.filter(isOracleSeries).flatMap((series) => {
    const reading = readAtTolerance(series);
    return reading ? [{ series, ...reading }] : [];
  });
  const fixedFleetReading = policies.includes('static') ? readAtTolerance('static') : undefined;
  const fixedFleet = fixedFleetReading && {
    ...fixedFleetReading,
    escaping: dominanceVerdict(prescale, withinCostSpan(frontiers.static ?? [], prescale)).undominated,
  };
  const defaultsWorseOnBoth =
    reactiveDefault && prescaleDefault ? worseOnBoth(prescaleDefault, reactiveDefault) : undefined;
  return {
    frontiers,
    rivals,
    ...(matchedCost ? { matchedCost } : {}),
    ...(defaultsWorseOnBoth !== undefined ? { defaultsWorseOnBoth } : {}),
    ...(foresightBounds.length > 0 ? { foresightBounds } : {}),
    ...(fixedFleet ? { fixedFleet } : {}),
  };
}

/** Each rival's dominance verdict under Prescale's points, its escapes' margins and the frontier gap. */
function rivalComparisons(
  points: readonly SweepPoint[],
  prescale: readonly SweepPoint[],
  frontiers: Readonly<Record<string, SweepPoint[]>>,
): RivalComparison[] {
  const prescaleFrontier = frontiers.prescale ?? [];
  const rivals: RivalComparison[] = [];
  for (const rival of RIVALS) {
    const theirs = points.filter((p) => p.policy === rival);
    if (theirs.length === 0) continue;
    const verdict = dominanceVerdict(prescale, theirs);
    rivals.push({
      rival,
      verdict,
      beyondMixes: verdict.undominated.filter((r) => {
        const mixed = sloAtCost(prescaleFrontier, r.costUsd);
        return mixed === undefined || mixed > r.sloViolationMinutes;
      }),
      margins: verdict.undominated.map((r) => escapeMargin(prescale, r)),
      gap: frontierGap(prescaleFrontier, frontiers[rival] ?? []),
    });
  }
  return rivals;
}

/** Prescale's frontier read at reactive's default cost, and at that cost plus the tolerance. */
function matchedCostReading(
  reactiveDefault: SweepPoint,
  toleratedCostUsd: number,
  prescaleFrontier: readonly SweepPoint[],
): NonNullable<FrontierComparison['matchedCost']> {
  const reactiveSloMinutes = reactiveDefault.sloViolationMinutes;
  const prescaleSloMinutes = sloAtCost(prescaleFrontier, reactiveDefault.costUsd);
  const toleratedSloMinutes = sloAtCost(prescaleFrontier, toleratedCostUsd);
  return {
    costUsd: reactiveDefault.costUsd,
    reactiveSloMinutes,
    prescaleSloMinutes,
    ratio: sloRatio(prescaleSloMinutes, reactiveSloMinutes),
    withinTolerance: {
      costUsd: toleratedCostUsd,
      prescaleSloMinutes: toleratedSloMinutes,
      ratio: sloRatio(toleratedSloMinutes, reactiveSloMinutes),
    },
  };
}

/** The points of `points` that cost no less than the cheapest of `span` and no more than its dearest. */
function withinCostSpan<T extends SweepPoint>(points: readonly T[], span: readonly SweepPoint[]): T[] {
  const costs = span.map((p) => p.costUsd);
  const [low, high] = [Math.min(...costs), Math.max(...costs)];
  return points.filter((p) => p.costUsd >= low && p.costUsd <= high);
}

/** Prescale's minutes over reactive's: NaN when only reactive has none, undefined when unreachable. */
function sloRatio(prescaleSloMinutes: number | undefined, reactiveSloMinutes: number): number | undefined {
  if (prescaleSloMinutes === undefined) return undefined;
  if (reactiveSloMinutes === 0) return prescaleSloMinutes === 0 ? 0 : Number.NaN;
  return prescaleSloMinutes / reactiveSloMinutes;
}
