import {
  type DominanceVerdict,
  dominanceVerdict,
  type FrontierGap,
  frontierGap,
  paretoFrontier,
  sloAtCost,
  type TradeOffPoint,
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

/** The policies Prescale is compared against. */
export const RIVALS = ['reactive', 'ec2-predictive'] as const;

/** How Prescale's trade-off curve compares with one rival's on one trace. */
export interface RivalComparison {
  readonly rival: (typeof RIVALS)[number];
  /** Is every rival point weakly dominated by some Prescale point? Which are not. */
  readonly verdict: DominanceVerdict<SweepPoint>;
  /** SLO minutes Prescale's frontier saves at the cost of each rival frontier point. */
  readonly gap: FrontierGap;
}

/** Everything the frontier report says about one trace. */
export interface FrontierComparison {
  /** Each policy's Pareto frontier, cost ascending. */
  readonly frontiers: Readonly<Record<string, readonly SweepPoint[]>>;
  readonly rivals: readonly RivalComparison[];
  /**
   * At reactive's default setting's cost: Prescale's SLO minutes interpolated on its frontier, and
   * their ratio to reactive's (NaN when reactive has none; undefined when Prescale cannot get that
   * cheap).
   */
  readonly matchedCost?: {
    readonly costUsd: number;
    readonly reactiveSloMinutes: number;
    readonly prescaleSloMinutes: number | undefined;
    readonly ratio: number | undefined;
  };
  /** Prescale's default against reactive's default: is it worse on both axes? */
  readonly defaultsWorseOnBoth?: boolean;
}

/**
 * Compares the knob sweeps of every policy on one trace: each policy's Pareto frontier; for each
 * rival (reactive, ec2-predictive) the dominance verdict of Prescale's points over the rival's and
 * the SLO minutes Prescale saves at equal cost; Prescale's minutes at reactive's default cost; and
 * whether Prescale's default is worse than reactive's on both axes. Pure.
 */
export function compareFrontiers(points: readonly SweepPoint[]): FrontierComparison {
  const policies = [...new Set(points.map((p) => p.policy))];
  const frontiers: Record<string, SweepPoint[]> = {};
  for (const policy of policies)
    frontiers[policy] = paretoFrontier(points.filter((p) => p.policy === policy));
  const prescale = points.filter((p) => p.policy === 'prescale');
  const prescaleFrontier = frontiers.prescale ?? [];
  const rivals: RivalComparison[] = [];
  if (prescale.length > 0) {
    for (const rival of RIVALS) {
      const theirs = points.filter((p) => p.policy === rival);
      if (theirs.length === 0) continue;
      rivals.push({
        rival,
        verdict: dominanceVerdict(prescale, theirs),
        gap: frontierGap(prescaleFrontier, frontiers[rival] ?? []),
      });
    }
  }
  const reactiveDefault = points.find((p) => p.policy === 'reactive' && p.isDefault);
  const prescaleDefault = prescale.find((p) => p.isDefault);
  let matchedCost: FrontierComparison['matchedCost'];
  if (reactiveDefault && prescale.length > 0) {
    const prescaleSloMinutes = sloAtCost(prescaleFrontier, reactiveDefault.costUsd);
    matchedCost = {
      costUsd: reactiveDefault.costUsd,
      reactiveSloMinutes: reactiveDefault.sloViolationMinutes,
      prescaleSloMinutes,
      ratio:
        prescaleSloMinutes === undefined
          ? undefined
          : reactiveDefault.sloViolationMinutes === 0
            ? prescaleSloMinutes === 0
              ? 0
              : Number.NaN
            : prescaleSloMinutes / reactiveDefault.sloViolationMinutes,
    };
  }
  const defaultsWorseOnBoth =
    reactiveDefault && prescaleDefault
      ? prescaleDefault.costUsd > reactiveDefault.costUsd &&
        prescaleDefault.sloViolationMinutes > reactiveDefault.sloViolationMinutes
      : undefined;
  return {
    frontiers,
    rivals,
    ...(matchedCost ? { matchedCost } : {}),
    ...(defaultsWorseOnBoth !== undefined ? { defaultsWorseOnBoth } : {}),
  };
}
