import { boundedLearnedFactor } from '../campaigns/planning-uplift';
import { cleanSeries } from './clean-series';
import { DEFAULT_ANOMALY_OPTIONS, detectAnomalies } from './detect-anomalies';
import { selectForecast } from './select-forecast';
import type { CampaignUplift, LoadObservation, RegularSeries } from './types';

/** A past window of one kind of event (e.g. every "spring-sale"), in epoch milliseconds. */
export interface PastCampaignWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/** Input of {@link learnCampaignUplift}. */
export interface LearnCampaignUpliftInput {
  readonly history: readonly LoadObservation[];
  readonly stepSeconds: number;
  /** Past windows of the same kind of event; each must lie inside the history. */
  readonly windows: readonly PastCampaignWindow[];
  /**
   * Windows of other kinds of campaign on the same group. A window of this kind that one of them
   * overlaps is skipped (its load is partly theirs), and their steps are taken out of the
   * baseline like this kind's.
   */
  readonly otherWindows?: readonly PastCampaignWindow[];
}

/** Whether two [start, end) windows share an instant. */
export function windowsOverlap(a: PastCampaignWindow, b: PastCampaignWindow): boolean {
  return a.startMs < b.endMs && b.startMs < a.endMs;
}

/** What one past window showed: realised load against the forecast made just before it. */
export interface CampaignWindowEffect {
  readonly startMs: number;
  readonly endMs: number;
  /**
   * Σ realised / Σ forecast-without-campaign over the window's steps, within
   * `LEARNED_FACTOR_RANGE` (a near-zero forecast would otherwise read as a factor of thousands).
   */
  readonly ratio: number;
  /** Mean of realised − forecast over the window's steps, in load units. */
  readonly addedLoad: number;
}

/** The learned uplift, or why none could be learned. */
export type LearnedCampaignUplift =
  | {
      readonly kind: 'learned';
      /** Median ratio over windows, as a multiplier usable in a `CampaignWindow`. */
      readonly uplift: CampaignUplift;
      /** Spread of the per-window ratios: min, median and max. */
      readonly ratioSpread: { readonly min: number; readonly median: number; readonly max: number };
      /** Median added load over windows, for callers preferring an additive uplift. */
      readonly medianAddedLoad: number;
      readonly windows: readonly CampaignWindowEffect[];
      readonly skippedWindows: number;
    }
  | { readonly kind: 'insufficient-history'; readonly reason: string; readonly skippedWindows: number };

/**
 * Learns the uplift of a recurring kind of event from its past windows.
 *
 * For each window, the history strictly before it is cleaned, anomaly-repaired and forecast over
 * the window's length with the same backtest selection as {@link forecastDemand} (the steps
 * of earlier windows are set to their seasonal expectation, so past campaigns do not inflate the
 * baseline). The
 * window's effect is realised / forecast (summed over its steps) and the mean difference. Windows
 * whose pre-history is too short for a backtest (the forecast would be a fallback), that fall
 * outside the history, whose forecast sums to 0, or that a campaign of another kind overlaps
 * (`otherWindows`: the realised load is not this kind's alone) are skipped and counted.
 * @throws the errors of cleanSeries (empty history, no usable data, bad step).
 */
export function learnCampaignUplift(input: LearnCampaignUpliftInput): LearnedCampaignUplift {
  const { series } = cleanSeries(input.history, input.stepSeconds);
  const effects: CampaignWindowEffect[] = [];
  let skipped = 0;
  const windows = [...input.windows].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const others = input.otherWindows ?? [];
  const allCampaigns = [...windows, ...others];
  for (const window of windows) {
    const overlapped = others.some((o) => windowsOverlap(o, window));
    const effect = overlapped ? undefined : windowEffect(series, window, allCampaigns);
    if (effect) effects.push(effect);
    else skipped += 1;
  }
  if (effects.length === 0) {
    return {
      kind: 'insufficient-history',
      reason: `none of ${windows.length} past windows could be measured: too little history before it for a backtested forecast, or overlapped by a campaign of another kind`,
      skippedWindows: skipped,
    };
  }
  const ratios = effects.map((e) => e.ratio).sort((a, b) => a - b);
  const added = effects.map((e) => e.addedLoad).sort((a, b) => a - b);
  const median = medianSorted(ratios);
  return {
    kind: 'learned',
    uplift: { kind: 'multiplier', factor: median },
    ratioSpread: { min: ratios[0] as number, median, max: ratios[ratios.length - 1] as number },
    medianAddedLoad: medianSorted(added),
    windows: effects,
    skippedWindows: skipped,
  };
}

/**
 * One window's realised load against the forecast from the history before it (earlier campaign
 * windows, of any kind, at their seasonal expectation), or undefined when it cannot be measured:
 * outside the history, no backtest possible (a fallback forecast), or a forecast summing to 0.
 */
function windowEffect(
  series: RegularSeries,
  window: PastCampaignWindow,
  campaigns: readonly PastCampaignWindow[],
): CampaignWindowEffect | undefined {
  const stepMs = series.stepSeconds * 1000;
  const first = Math.ceil((window.startMs - series.startMs) / stepMs);
  const end = Math.min(series.values.length, Math.ceil((window.endMs - series.startMs) / stepMs));
  if (first <= 0 || end <= first) return undefined;
  const prefix = { ...series, values: series.values.slice(0, first) };
  // Earlier windows are set to their seasonal expectation: the baseline is the load without campaigns.
  const detection = detectAnomalies(prefix, DEFAULT_ANOMALY_OPTIONS, {
    campaigns,
    campaignSteps: 'replace',
  });
  const selected = selectForecast({ ...prefix, values: detection.repaired }, prefix.values, end - first, []);
  if (selected.selection.kind === 'fallback') return undefined;
  let realised = 0;
  let forecast = 0;
  for (let t = first; t < end; t += 1) {
    realised += series.values[t] as number;
    forecast += Math.max(0, selected.mean[t - first] as number);
  }
  if (!(forecast > 0)) return undefined;
  return {
    startMs: window.startMs,
    endMs: window.endMs,
    ratio: boundedLearnedFactor(realised / forecast),
    addedLoad: (realised - forecast) / (end - first),
  };
}

function medianSorted(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : 0.5 * ((sorted[mid - 1] as number) + (sorted[mid] as number));
}
