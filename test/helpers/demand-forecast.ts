import type { DemandForecast, PredictionInterval } from '../../shared/core/forecast/types';

/** A minimal DemandForecast for tests: the given mean and intervals, neutral diagnostics. */
export function demandForecast(
  mean: readonly number[],
  intervals: readonly PredictionInterval[],
  options: { startMs?: number; stepSeconds?: number } = {},
): DemandForecast {
  return {
    startMs: options.startMs ?? 0,
    stepSeconds: options.stepSeconds ?? 300,
    mean,
    intervals,
    selection: { kind: 'single', models: ['test'], backtest: [], lowConfidence: false, reason: 'test' },
    cleaning: {
      inputPoints: 0,
      droppedNonFinite: 0,
      droppedNegative: 0,
      mergedDuplicates: 0,
      reordered: false,
      filledGapSteps: 0,
      outputSteps: 0,
    },
    anomalies: [],
    campaignsApplied: [],
  };
}

/** A forecaster that predicts `load` at every step from `startMs`, with intervals of no width. */
export function constantForecast(
  load: number,
  startMs: number,
): (input: { horizonSteps: number; levels: readonly number[] }) => DemandForecast {
  return ({ horizonSteps, levels }) => {
    const mean = Array.from({ length: horizonSteps }, () => load);
    const intervals = [...levels]
      .sort((a, b) => a - b)
      .map((levelPct) => ({ levelPct, lower: mean, upper: mean }));
    return demandForecast(mean, intervals, { startMs });
  };
}

/**
 * A forecaster whose 80 % interval tops out at `upperAt(ms)` (mean 0.8 ×, lower bound 0.6 × of it),
 * its steps aligned to the step size from `nowMs()` on: the forecast the workflow tests plan on.
 */
export function upperBoundForecast(
  upperAt: (ms: number) => number,
  nowMs: () => number,
): (input: { stepSeconds: number; horizonSteps: number }) => DemandForecast {
  return ({ stepSeconds, horizonSteps }) => {
    const stepMs = stepSeconds * 1000;
    const startMs = Math.floor(nowMs() / stepMs) * stepMs;
    const upper = Array.from({ length: horizonSteps }, (_, i) => upperAt(startMs + i * stepMs));
    return demandForecast(
      upper.map((u) => u * 0.8),
      [{ levelPct: 80, lower: upper.map((u) => u * 0.6), upper }],
      { startMs, stepSeconds },
    );
  };
}
