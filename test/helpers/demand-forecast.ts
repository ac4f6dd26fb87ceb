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
