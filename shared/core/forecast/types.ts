/**
 * Shared shapes of the forecasting engine. Every model, the selector and the planners speak these.
 * Times are epoch milliseconds (UTC); steps are in seconds; load is in the group's capacity unit.
 */

/** A raw observation as a metric source returns it: possibly unsorted, duplicated, NaN or gappy. */
export interface LoadObservation {
  readonly timestampMs: number;
  readonly value: number;
}

/** A cleaned, evenly spaced series: `values[i]` is the load at `startMs + i * stepSeconds * 1000`. */
export interface RegularSeries {
  readonly startMs: number;
  readonly stepSeconds: number;
  readonly values: readonly number[];
}

/** What a caller asks a fitted model for. `levels` are central interval coverages in percent, each in (0, 100). */
export interface ForecastRequest {
  readonly horizonSteps: number;
  readonly levels: readonly number[];
}

/** A central prediction interval: `lower[h]` and `upper[h]` bound step h with `levelPct` % coverage. */
export interface PredictionInterval {
  readonly levelPct: number;
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

/** One model's forecast: `mean[h]` for h = 0..horizonSteps-1, intervals sorted by level ascending. */
export interface ModelForecast {
  readonly model: string;
  readonly mean: readonly number[];
  readonly intervals: readonly PredictionInterval[];
}

/** A model fitted to one series, ready to forecast from the step after the series' last value. */
export interface FittedModel {
  readonly model: string;
  forecast(request: ForecastRequest): ModelForecast;
}

/** A forecasting model: a name, the history it needs, and a pure fit. */
export interface ForecastModel {
  readonly name: string;
  /** Fewest observations `fit` accepts for a series at this step; below it `fit` throws `InsufficientHistoryError`. */
  minHistorySteps(stepSeconds: number): number;
  fit(series: RegularSeries): FittedModel;
  /**
   * Optional batch form of `fit` for the backtest: one fit per prefix
   * `series.values.slice(0, length)` of the ascending `lengths`, each exactly equal to `fit` on
   * that prefix, computed in a shared pass where the model's recursion allows it.
   * @throws InsufficientHistoryError when a length is below `minHistorySteps`.
   * @throws RangeError when `lengths` do not ascend or exceed the series.
   */
  fitPrefixes?(series: RegularSeries, lengths: readonly number[]): FittedModel[];
}

/** How a known future event changes load inside its window. */
export type CampaignUplift =
  | { readonly kind: 'multiplier'; readonly factor: number }
  | { readonly kind: 'added-load'; readonly load: number };

/**
 * The MinSize a campaign's pre-warm raised a group from (`before`: the group's own, as the loop
 * hands it back) and to (`after`), as its unreleased pre-warm record holds them.
 */
export interface PrewarmMinSize {
  readonly before: number;
  /**
   * Absent when the raise was made for an earlier start than the campaign's now (postponed since):
   * it is no longer the campaign's, and the loop lowers it at its own pace.
   */
  readonly after?: number;
}

/** A known future event applied to a forecast: full uplift from `startMs + rampUpSeconds` to `endMs`. */
export interface CampaignWindow {
  readonly campaignId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly uplift: CampaignUplift;
  /** Linear ramp from no uplift at `startMs` to full uplift; 0 means a step change. */
  readonly rampUpSeconds: number;
  /**
   * The campaign's pre-warm has raised the group and not been released: the scaling loop keeps
   * the floor it raised (forecasting ignores it).
   */
  readonly prewarmed?: boolean;
  /** With `prewarmed`: the MinSize that pre-warm raised the group from and to. */
  readonly prewarmMinSize?: PrewarmMinSize;
  /**
   * The uplift is capacity held for the window (a campaign's `extraInstances`), not load expected
   * to arrive: the forecast carries it, but the history inside the window never held it, so
   * `forecastDemand` reads those steps as observed instead of taking the uplift out of them.
   */
  readonly headroom?: boolean;
}

/** What cleaning did to raw observations before any model saw them. */
export interface CleaningReport {
  readonly inputPoints: number;
  readonly droppedNonFinite: number;
  readonly droppedNegative: number;
  readonly mergedDuplicates: number;
  readonly reordered: boolean;
  readonly filledGapSteps: number;
  readonly outputSteps: number;
}

/**
 * Why an unusual point was replaced or kept in the fit:
 * `glitch` — isolated and not seen at the same time on another day or week: replaced;
 * `recurring` — a similar excursion happens on most other days, or near the same time on other
 *   days or weeks more often than chance: kept (demand);
 * `sustained` — part of a run of consecutive unusual steps: kept (demand, or a shift to follow);
 * `campaign` — inside a known campaign window: kept;
 * `trailing` — part of a run that reaches the last step (possibly a shift in progress): kept;
 * `over-cap` — a glitch beyond the replacement cap: kept, and the cap is reported as reached.
 */
export type AnomalyReason = 'glitch' | 'recurring' | 'sustained' | 'campaign' | 'trailing' | 'over-cap';

/** A point of history judged anomalous; `score` is a robust z-score of its seasonal residual. */
export interface Anomaly {
  readonly timestampMs: number;
  readonly value: number;
  readonly score: number;
  /** Whether the point was replaced before fitting; absent from detectors that predate it. */
  readonly replaced?: boolean;
  readonly reason?: AnomalyReason;
}

/** What anomaly handling did to the history before fitting, for the forecast's diagnostics. */
export interface AnomalyHandling {
  /** Points whose robust score passed the threshold. */
  readonly flaggedSteps: number;
  /** Points replaced by their seasonal expectation (glitches within the cap). */
  readonly replacedSteps: number;
  /** Flagged points kept in the fit, per reason (`glitch` is never kept, so it is absent). */
  readonly keptSteps: Readonly<Record<Exclude<AnomalyReason, 'glitch'>, number>>;
  /** Most points that may be replaced (a fraction of the history). */
  readonly capSteps: number;
  /** True when more glitches were found than the cap allows: the extra ones were kept, not replaced. */
  readonly capReached: boolean;
}

/** A candidate model's rolling-origin backtest error (MASE against seasonal naive; lower is better). */
export interface BacktestScore {
  readonly model: string;
  readonly mase: number;
}

/** What the seasonal-naive guard of the selection saw and did (see `guard-seasonal-naive.ts`). */
export interface SeasonalNaiveGuard {
  /** True when the selected forecast lost to seasonal naive on the recent origins. */
  readonly engaged: boolean;
  /** Share of daily seasonal naive in the final forecast: 0 (untouched), 0.5 or 1. */
  readonly seasonalNaiveShare: number;
  /** Recency-weighted backtest MASE over the recent origins of the candidate selection picked. */
  readonly recentMaseSelected: number;
  /** The same for daily seasonal naive. */
  readonly recentMaseSeasonalNaive: number;
}

/** Which model(s) produced a forecast and why. */
export interface ForecastSelection {
  readonly kind: 'single' | 'combination' | 'fallback';
  readonly models: readonly string[];
  readonly backtest: readonly BacktestScore[];
  /** True when history was too short for any seasonal model or the backtest could not run. */
  readonly lowConfidence: boolean;
  readonly reason: string;
  /** The seasonal-naive guard's decision; absent for fallbacks (no backtest). */
  readonly guard?: SeasonalNaiveGuard;
}

/** How the intervals were calibrated (absent when a fallback kept model-based intervals). */
export interface IntervalCalibration {
  /** Backtest origins whose held-out errors calibrated the intervals. */
  readonly origins: number;
  /** Effective number of origins after recency weighting, (Σw)²/Σw². */
  readonly effectiveOrigins: number;
  /** Factor (≥ 1) applied to the error scale because the latest origin's errors exceeded the rest. */
  readonly recentErrorInflation: number;
}

/** The forecast peak of one day of the horizon (see `forecastDailyPeaks`). */
export interface DailyPeakForecast {
  /** The day's window: [startMs, endMs), consecutive days from the first forecast step. */
  readonly startMs: number;
  readonly endMs: number;
  /** Forecast maximum load over the window (≥ the mean forecast's maximum in it). */
  readonly peakLoad: number;
  /** When the mean forecast peaks in the window. */
  readonly peakAtMs: number;
  /** The history's median peak-to-mean ratio behind the level-based estimate (1 without a whole day of history). */
  readonly peakToMeanRatio: number;
}

/** The engine's answer for one group: calibrated, non-crossing, campaign-adjusted, with diagnostics. */
export interface DemandForecast {
  /** Timestamp of the first forecast step (one step after the last history step). */
  readonly startMs: number;
  readonly stepSeconds: number;
  readonly mean: readonly number[];
  readonly intervals: readonly PredictionInterval[];
  readonly selection: ForecastSelection;
  readonly cleaning: CleaningReport;
  readonly anomalies: readonly Anomaly[];
  /** Counts of replaced and kept unusual points and whether the replacement cap was reached. */
  readonly anomalyHandling?: AnomalyHandling;
  /** Forecast peak of each day of the horizon, value and time (campaign uplift included). */
  readonly dailyPeaks?: readonly DailyPeakForecast[];
  readonly campaignsApplied: readonly string[];
  /** Calibration diagnostics; absent for fallback forecasts. */
  readonly calibration?: IntervalCalibration;
  /** The daily-peak planning bound (see `planningLoad`); absent for fallback forecasts. */
  readonly peakCalibration?: PeakCalibration;
}

/** The uplift of the daily-peak planning bound at one probability (see `calibratePeakBound`). */
export interface PeakBound {
  /** Probability p in (0.5, 1) that the bound reaches the day's actual peak at the peak's step. */
  readonly probability: number;
  /** Uplift u ≥ 0: the bound at step h is mean(h) + u·max(mean(h), levelLoad). */
  readonly upliftRatio: number;
}

/**
 * A per-step planning bound calibrated on held-out daily peaks: at probability p it is at or above
 * the day's actual peak at the step where the peak happens on about p of the days. Stored as
 * uplifts relative to the mean, so it follows any later change of the mean (level correction,
 * upstream propagation, campaigns applied before it).
 */
export interface PeakCalibration {
  /** Held-out backtest days whose peaks calibrated the bound. */
  readonly heldOutDays: number;
  /** Effective number of those days after recency weighting, (Σw)²/Σw². */
  readonly effectiveDays: number;
  /** The history's mean load, replaced glitches repaired: the uplift's scale never drops below it. */
  readonly levelLoad: number;
  /** Uplift per probability, sorted by probability ascending; non-decreasing. */
  readonly bounds: readonly PeakBound[];
}
