import { forecastQuantile } from '../forecast/forecast-quantile';
import type { DemandForecast, PredictionInterval } from '../forecast/types';

/** One upstream group's forecast and how much of its load reaches the downstream group. */
export interface UpstreamLoad {
  readonly groupName: string;
  /** Downstream load per unit of this upstream's load (≥ 0): declared, or a learned slope. */
  readonly loadRatio: number;
  /** The upstream's own forecast, already propagated from its own upstreams when it has any. */
  readonly forecast: DemandForecast;
}

/** A step where the propagated forecast exceeded the downstream's own forecast. */
export interface RaisedStep {
  readonly stepIndex: number;
  readonly timestampMs: number;
  readonly ownMeanLoad: number;
  readonly propagatedMeanLoad: number;
  /** Largest increase over the mean and every interval bound at this step, in load units. */
  readonly maxIncreaseLoad: number;
  /** Each upstream's share of the propagated mean (ratio × upstream mean), largest first; zero shares left out. */
  readonly upstreams: readonly { readonly groupName: string; readonly meanLoad: number }[];
}

/** The outcome of {@link propagateForecast}. */
export interface PropagatedForecast {
  /** The downstream forecast: per step, the larger of its own and the propagated forecast. */
  readonly forecast: DemandForecast;
  readonly raisedSteps: readonly RaisedStep[];
  /** Upstreams left out, and why (a step other than the downstream's, misaligned times, a bad ratio). */
  readonly skippedUpstreams: readonly { readonly groupName: string; readonly reason: string }[];
  /** Steps where every used upstream had a forecast, so a propagated value existed. */
  readonly coveredSteps: number;
}

/**
 * Carries upstream forecasts down a dependency edge. At each downstream step the propagated load is
 * `interceptLoad + Σ ratio_i × upstream_i`, for the mean and for every interval bound of every
 * level the downstream forecast has (an upstream's bound at a level it lacks is interpolated as in
 * `forecastQuantile`, and clamped to its widest level). Summing bounds assumes the upstreams move
 * together, the cautious reading for front ends that share their users. Values are floored at 0.
 *
 * The result is the per-step maximum of the downstream's own forecast and the propagated one. Its
 * own history already contains the usual coupling (its load has always followed its callers), so
 * on ordinary days the two agree and its own, usually better calibrated, forecast stands; the
 * propagated one adds what its history cannot know: a campaign or a surprise predicted on the front
 * end. A maximum of nested intervals stays nested, so the result is a valid forecast.
 *
 * Upstream steps are matched by timestamp; an upstream with another step length, or whose steps
 * fall between the downstream's, is skipped and reported. Steps not covered by every used upstream
 * keep the downstream's own values. Call it in topological order so effects pass through chains.
 * @param options.interceptLoad - downstream load not driven by any upstream (a learned
 *   intercept with one upstream; 0 for declared ratios). @default 0
 */
export function propagateForecast(
  downstream: DemandForecast,
  upstreams: readonly UpstreamLoad[],
  options: { readonly interceptLoad?: number } = {},
): PropagatedForecast {
  const intercept = Number.isFinite(options.interceptLoad) ? (options.interceptLoad as number) : 0;
  const horizon = downstream.mean.length;
  const { used, skippedUpstreams } = alignUpstreams(downstream, upstreams);

  const covered = Array.from({ length: horizon }, (_, h) =>
    used.every(({ up, offsetSteps }) => h + offsetSteps >= 0 && h + offsetSteps < up.forecast.mean.length),
  );
  const coveredSteps = used.length === 0 ? 0 : covered.filter(Boolean).length;
  if (coveredSteps === 0) {
    return { forecast: downstream, raisedSteps: [], skippedUpstreams, coveredSteps: 0 };
  }

  const propagate = (quantity: (up: UpstreamLoad) => readonly number[]) =>
    propagatedSeries(used, covered, intercept, quantity);
  const propagatedMean = propagate((up) => up.forecast.mean);
  const increase = new Array<number>(horizon).fill(0);
  const track = (own: readonly number[], propagated: readonly (number | undefined)[]) => {
    own.forEach((v, h) => {
      const p = propagated[h];
      if (p !== undefined && p - v > (increase[h] as number)) increase[h] = p - v;
    });
  };
  track(downstream.mean, propagatedMean);
  const intervals: PredictionInterval[] = downstream.intervals.map((interval) => {
    const lower = propagate((up) => boundAt(up.forecast, interval.levelPct, 'lower'));
    const upper = propagate((up) => boundAt(up.forecast, interval.levelPct, 'upper'));
    track(interval.lower, lower);
    track(interval.upper, upper);
    return {
      levelPct: interval.levelPct,
      lower: combine(interval.lower, lower),
      upper: combine(interval.upper, upper),
    };
  });

  return {
    forecast: { ...downstream, mean: combine(downstream.mean, propagatedMean), intervals },
    raisedSteps: raisedStepsOf(downstream, used, propagatedMean, increase),
    skippedUpstreams,
    coveredSteps,
  };
}

/** The propagated series for one upstream quantity (mean or a bound), or undefined where not covered. */
function propagatedSeries(
  used: readonly AlignedUpstream[],
  covered: readonly boolean[],
  intercept: number,
  quantity: (up: UpstreamLoad) => readonly number[],
): (number | undefined)[] {
  const series = used.map(({ up, offsetSteps }) => ({
    ratio: up.loadRatio,
    values: quantity(up),
    offsetSteps,
  }));
  return covered.map((ok, h) => {
    if (!ok) return undefined;
    let sum = intercept;
    for (const s of series) sum += s.ratio * ((s.values[h + s.offsetSteps] as number) ?? 0);
    return Math.max(0, sum);
  });
}

/** Per step, the larger of the downstream's own value and the propagated one where there is one. */
function combine(own: readonly number[], propagated: readonly (number | undefined)[]): number[] {
  return own.map((v, h) => Math.max(v, propagated[h] ?? v));
}

/** An upstream used for propagation: its step `h + offsetSteps` is the downstream's step `h`. */
interface AlignedUpstream {
  readonly up: UpstreamLoad;
  readonly offsetSteps: number;
}

/** The upstreams whose steps fall on the downstream's, with their offset; the others and why. */
function alignUpstreams(
  downstream: DemandForecast,
  upstreams: readonly UpstreamLoad[],
): { used: AlignedUpstream[]; skippedUpstreams: { groupName: string; reason: string }[] } {
  const stepMs = downstream.stepSeconds * 1000;
  const skippedUpstreams: { groupName: string; reason: string }[] = [];
  const used: AlignedUpstream[] = [];
  for (const up of upstreams) {
    const reason = unusable(up, downstream);
    if (reason) {
      skippedUpstreams.push({ groupName: up.groupName, reason });
      continue;
    }
    used.push({ up, offsetSteps: Math.round((downstream.startMs - up.forecast.startMs) / stepMs) });
  }
  return { used, skippedUpstreams };
}

/** The steps the propagation raised, with each upstream's share of the propagated mean. */
function raisedStepsOf(
  downstream: DemandForecast,
  used: readonly AlignedUpstream[],
  propagatedMean: readonly (number | undefined)[],
  increase: readonly number[],
): RaisedStep[] {
  const stepMs = downstream.stepSeconds * 1000;
  const raisedSteps: RaisedStep[] = [];
  for (let h = 0; h < downstream.mean.length; h++) {
    if (!((increase[h] as number) > 1e-9)) continue;
    raisedSteps.push({
      stepIndex: h,
      timestampMs: downstream.startMs + h * stepMs,
      ownMeanLoad: downstream.mean[h] as number,
      propagatedMeanLoad: propagatedMean[h] as number,
      maxIncreaseLoad: increase[h] as number,
      upstreams: used
        .map(({ up, offsetSteps }) => ({
          groupName: up.groupName,
          meanLoad: up.loadRatio * ((up.forecast.mean[h + offsetSteps] as number) ?? 0),
        }))
        .filter((u) => u.meanLoad > 0)
        .sort((a, b) => b.meanLoad - a.meanLoad || (a.groupName < b.groupName ? -1 : 1)),
    });
  }
  return raisedSteps;
}

function unusable(up: UpstreamLoad, downstream: DemandForecast): string | undefined {
  if (!Number.isFinite(up.loadRatio) || up.loadRatio < 0) {
    return `load ratio ${up.loadRatio} is not a finite number ≥ 0`;
  }
  if (up.forecast.stepSeconds !== downstream.stepSeconds) {
    return `step ${up.forecast.stepSeconds} s differs from the downstream step ${downstream.stepSeconds} s`;
  }
  const offsetMs = downstream.startMs - up.forecast.startMs;
  if (offsetMs % (downstream.stepSeconds * 1000) !== 0) {
    return `forecast starts at ${up.forecast.startMs}, not on a downstream step (start ${downstream.startMs}, step ${downstream.stepSeconds} s)`;
  }
  return undefined;
}

/** An upstream's lower or upper bound at `levelPct`, interpolated between its levels and clamped to its widest. */
function boundAt(forecast: DemandForecast, levelPct: number, side: 'lower' | 'upper'): readonly number[] {
  const widest = forecast.intervals.reduce((m, i) => Math.max(m, i.levelPct), 0);
  const level = Math.min(levelPct, widest) / 100;
  return forecastQuantile(forecast, side === 'upper' ? (1 + level) / 2 : (1 - level) / 2);
}
