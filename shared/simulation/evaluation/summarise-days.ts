import { median } from '../../core/forecast/median';
import type { ForesightBound, FrontierComparison, RIVALS, SweepPoint } from './compare-frontiers';
import type { TradeOffPoint } from './cost-slo-frontier';

/** A policy's default point: what a user who changes nothing pays and misses. */
export type DefaultPoint = TradeOffPoint;

/** One trace's frontier comparison on one evaluated day (the day after `warmupDays` of history). */
export interface TraceDay {
  readonly name: string;
  /** The trace the day belongs to, when several days of one trace are summarised; default `name`. */
  readonly trace?: string;
  /** Days of history before the evaluated window. */
  readonly warmupDays: number;
  /** The simulation seed, when the run had several: each day and seed is summarised on its own. */
  readonly seed?: number;
  readonly comparison: FrontierComparison;
  /** Prescale's and reactive's default points that day, to sum a trace's days (`defaultsSummed`). */
  readonly defaults?: { readonly prescale: DefaultPoint; readonly reactive: DefaultPoint };
  /** Every setting's point that day, to pool a trace's days (`poolTraceDays`). */
  readonly points?: readonly SweepPoint[];
}

/** A series' matched-cost median over trace-days (perfect foresight's, the fixed fleet's), and how many had no reading. */
export interface ForesightMedian {
  readonly median: number | undefined;
  readonly withoutReading: number;
}

/** A trace's default points summed over its evaluated days. */
export interface SummedDefaults {
  readonly trace: string;
  readonly days: number;
  readonly prescale: DefaultPoint;
  readonly reactive: DefaultPoint;
}

/** What the frontier comparisons of a set of trace-days say together. */
export interface DaySummary {
  /** Trace-days summarised. */
  readonly traces: number;
  /** Rival points no Prescale point weakly dominates, reactive and ec2-predictive together. */
  readonly escapingRivalPoints: number;
  /** Of those, the points beyond any mix of two Prescale settings (`beyondMixes`), the rivals together. */
  readonly escapingBeyondMixes: number;
  /** The same per rival. */
  readonly escapingByRival: Readonly<Record<(typeof RIVALS)[number], number>>;
  /** Per rival, the traces whose whole frontier Prescale weakly dominates. */
  readonly dominated: Readonly<Record<(typeof RIVALS)[number], number>>;
  /**
   * The median over traces of Prescale's SLO minutes against reactive's at reactive's default
   * cost plus the matched-cost tolerance (0–1); undefined when no trace has a reading.
   */
  readonly matchedCostMedianWithinTolerance: number | undefined;
  /**
   * Traces left out of that median: Prescale cannot get that cheap (undefined ratio) or reactive's
   * default misses no minute (NaN ratio).
   */
  readonly withoutMatchedCost: number;
  /** Names of the traces whose Prescale default is worse than reactive's on both axes. */
  readonly defaultsWorseOnBoth: readonly string[];
  /**
   * Per perfect-foresight series (`foresightBounds`), the median over traces of its matched-cost
   * ratio within the tolerance and the traces left out of it, read like Prescale's
   * (`matchedCostMedianWithinTolerance`, `withoutMatchedCost`): the bound beside Prescale's figure,
   * over the traces where the series has a reading; empty without such series.
   */
  readonly foresightMedians: Readonly<Record<string, ForesightMedian>>;
  /**
   * The same median of the fixed fleet's reading (`fixedFleet`) over the traces that ran static
   * fleets; undefined without any.
   */
  readonly fixedFleetMedian: ForesightMedian | undefined;
  /** Fixed-fleet frontier points no Prescale point weakly dominates (`fixedFleet.escaping`), over the traces. */
  readonly fixedFleetEscaping: number;
}

/** One evaluated day's summary: the day after `warmupDays` days of history. */
export interface EvaluatedDaySummary extends DaySummary {
  readonly warmupDays: number;
  /** The evaluated day's number, 1-based: `warmupDays + 1` (day 8 after 7 days of history). */
  readonly day: number;
  /** The seed of the day's runs, when the run had several. */
  readonly seed?: number;
}

/**
 * The evaluated day after `warmupDays` days of history, 1-based (7 → 8, 3.3 → 4.3), rounded to
 * thousandths so a fractional warm-up reads as typed rather than as its binary sum.
 */
export const evaluatedDay = (warmupDays: number): number => Math.round((warmupDays + 1) * 1000) / 1000;

function summarise(traceDays: readonly TraceDay[]): DaySummary {
  const dominated = { reactive: 0, 'ec2-predictive': 0 };
  const escapingByRival = { reactive: 0, 'ec2-predictive': 0 };
  let escapingBeyondMixes = 0;
  const ratios: number[] = [];
  for (const t of traceDays) {
    for (const r of t.comparison.rivals) {
      escapingByRival[r.rival] += r.verdict.undominated.length;
      escapingBeyondMixes += r.beyondMixes.length;
      if (r.verdict.dominatesAll) dominated[r.rival] += 1;
    }
    const ratio = t.comparison.matchedCost?.withinTolerance.ratio;
    if (ratio !== undefined && Number.isFinite(ratio)) ratios.push(ratio);
  }
  const fixedFleet = traceDays.flatMap((t) => (t.comparison.fixedFleet ? [t.comparison.fixedFleet] : []));
  return {
    traces: traceDays.length,
    escapingRivalPoints: escapingByRival.reactive + escapingByRival['ec2-predictive'],
    escapingBeyondMixes,
    escapingByRival,
    dominated,
    matchedCostMedianWithinTolerance: ratios.length > 0 ? median(ratios) : undefined,
    withoutMatchedCost: traceDays.length - ratios.length,
    defaultsWorseOnBoth: traceDays
      .filter((t) => t.comparison.defaultsWorseOnBoth === true)
      .map((t) => t.name),
    foresightMedians: foresightMedians(traceDays),
    fixedFleetMedian: fixedFleet.length > 0 ? readingsMedian(fixedFleet) : undefined,
    fixedFleetEscaping: fixedFleet.reduce((sum, f) => sum + f.escaping.length, 0),
  };
}

/** The median of the finite ratios among `readings` (undefined without one) and how many had none. */
function readingsMedian(readings: readonly { readonly ratio: number | undefined }[]): ForesightMedian {
  const ratios = readings.flatMap((r) =>
    r.ratio !== undefined && Number.isFinite(r.ratio) ? [r.ratio] : [],
  );
  return {
    median: ratios.length > 0 ? median(ratios) : undefined,
    withoutReading: readings.length - ratios.length,
  };
}

/**
 * Per perfect-foresight series, the median of its finite matched-cost ratios over the trace-days
 * that ran it, and how many of those had none (the series cannot get that cheap, or reactive's
 * default misses no minute).
 */
function foresightMedians(traceDays: readonly TraceDay[]): Record<string, ForesightMedian> {
  const bySeries = new Map<string, ForesightBound[]>();
  for (const t of traceDays)
    for (const bound of t.comparison.foresightBounds ?? [])
      bySeries.set(bound.series, [...(bySeries.get(bound.series) ?? []), bound]);
  return Object.fromEntries([...bySeries].map(([series, bounds]) => [series, readingsMedian(bounds)]));
}

/**
 * Each trace's default points summed over its evaluated days (the trace-days that carry them), in
 * the order traces first appear: a user runs a scaler for weeks, so a day that falls either way by a
 * cent and a minute weighs what it costs, not a whole verdict.
 */
export function sumDefaults(traceDays: readonly TraceDay[]): SummedDefaults[] {
  const add = (a: DefaultPoint, b: DefaultPoint): DefaultPoint => ({
    costUsd: a.costUsd + b.costUsd,
    sloViolationMinutes: a.sloViolationMinutes + b.sloViolationMinutes,
  });
  const none: DefaultPoint = { costUsd: 0, sloViolationMinutes: 0 };
  const sums = new Map<string, SummedDefaults>();
  for (const t of traceDays) {
    if (!t.defaults) continue;
    const trace = t.trace ?? t.name;
    const sum = sums.get(trace) ?? { trace, days: 0, prescale: none, reactive: none };
    sums.set(trace, {
      trace,
      days: sum.days + 1,
      prescale: add(sum.prescale, t.defaults.prescale),
      reactive: add(sum.reactive, t.defaults.reactive),
    });
  }
  return [...sums.values()];
}

/**
 * Summarises frontier comparisons run on several evaluated days (or seeds): one summary per
 * warm-up and seed, in ascending order of day then seed, one over every trace-day together
 * (`allDays`, its median taken over all trace-days), and each trace's default points summed over
 * its days. Pure.
 */
export function summariseDays(traceDays: readonly TraceDay[]): {
  readonly days: readonly EvaluatedDaySummary[];
  readonly allDays: DaySummary;
  /** Each trace's defaults summed over its days (`sumDefaults`); empty when no trace-day carries them. */
  readonly defaultsSummed: readonly SummedDefaults[];
} {
  const runs = new Map<string, { warmupDays: number; seed: number | undefined }>();
  for (const t of traceDays)
    runs.set(`${t.warmupDays}/${t.seed}`, { warmupDays: t.warmupDays, seed: t.seed });
  const order = [...runs.values()].sort(
    (a, b) => a.warmupDays - b.warmupDays || (a.seed ?? 0) - (b.seed ?? 0),
  );
  return {
    days: order.map(({ warmupDays, seed }) => ({
      warmupDays,
      day: evaluatedDay(warmupDays),
      ...(seed !== undefined ? { seed } : {}),
      ...summarise(traceDays.filter((t) => t.warmupDays === warmupDays && t.seed === seed)),
    })),
    allDays: summarise(traceDays),
    defaultsSummed: sumDefaults(traceDays),
  };
}
