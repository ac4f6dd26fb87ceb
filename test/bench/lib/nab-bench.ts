import { performance } from 'node:perf_hooks';
import { cleanSeries } from '../../../shared/core/forecast/clean-series';
import { detectAnomalies } from '../../../shared/core/forecast/detect-anomalies';
import { forecastDemand } from '../../../shared/core/forecast/forecast-demand';
import { coverage, mase, maseScale } from '../../../shared/core/forecast/metrics';
import { seasonalNaive } from '../../../shared/core/forecast/models/seasonal-naive';
import type { RegularSeries } from '../../../shared/core/forecast/types';
import { f3, formatUpper, interval, mean, quantile, upperCoverage } from './forecast-figures';
import { type NabTrace, readNab } from './read-nab';

const STEP_SECONDS = 300;
const HORIZON_STEPS = 288;
const DAILY_STEPS = 288;
const LEVELS = [50, 80, 90, 95, 99];

/** NAB figures summed over every trace and origin. */
interface NabTally {
  readonly selectedMase: number[];
  readonly snaiveMase: number[];
  readonly coverage90: number[];
  readonly coverageByLevel: Map<number, number[]>;
  readonly upperByLevel: Map<number, number[]>;
  readonly traceRatios: { file: string; ratio: number; coverage90: number }[];
  /** 1 where the seasonal-naive guard engaged at an origin, else 0. */
  readonly guardEngaged: number[];
  detections: number;
  truePositives: number;
  windowsTotal: number;
  windowsHit: number;
}

/** One trace's rolling-origin scores, one entry per origin with a usable MASE scale. */
interface TraceAccuracy {
  readonly selected: number[];
  readonly snaive: number[];
  readonly coverage90: number[];
}

/** One trace's detections against its labelled windows. */
interface TraceAnomalies {
  readonly detections: number;
  readonly truePositives: number;
  readonly windowsHit: number;
}

/**
 * NAB realAWSCloudwatch: rolling-origin accuracy and interval coverage of `forecastDemand`,
 * anomaly precision/recall of `detectAnomalies`, and speed on the 14-day traces.
 */
export function runNab(dataDir: string): void {
  const traces = readNab(dataDir);
  if (traces === undefined) {
    console.log(`NAB: skipped, ${dataDir}/nab is absent`);
    return;
  }
  console.log(`\n## NAB realAWSCloudwatch (${traces.length} traces, 5-minute, 24 h = 288-step horizon)`);
  const tally: NabTally = {
    selectedMase: [],
    snaiveMase: [],
    coverage90: [],
    coverageByLevel: new Map(),
    upperByLevel: new Map(),
    traceRatios: [],
    guardEngaged: [],
    detections: 0,
    truePositives: 0,
    windowsTotal: 0,
    windowsHit: 0,
  };
  console.log(
    '\n| trace | origins | MASE selected | MASE sNaive | 90 % coverage | anomalies | TP | windows hit |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const trace of traces) scoreTrace(trace, tally);
  printNabSummary(tally);
  printNabSpeed(traces);
}

/** Scores one trace into `tally` and prints its table row. */
function scoreTrace(trace: NabTrace, tally: NabTally): void {
  const { series } = cleanSeries(trace.observations, STEP_SECONDS);
  const accuracy = scoreOrigins(series, tally);
  if (accuracy.selected.length > 0)
    tally.traceRatios.push({
      file: trace.file,
      ratio: mean(accuracy.selected) / mean(accuracy.snaive),
      coverage90: mean(accuracy.coverage90),
    });
  tally.selectedMase.push(...accuracy.selected);
  tally.snaiveMase.push(...accuracy.snaive);
  tally.coverage90.push(...accuracy.coverage90);
  const anomalies = scoreAnomalies(trace, series);
  tally.detections += anomalies.detections;
  tally.truePositives += anomalies.truePositives;
  tally.windowsTotal += trace.windows.length;
  tally.windowsHit += anomalies.windowsHit;
  const accuracyCells =
    accuracy.selected.length === 0
      ? '– (under 5 days: no origin) | – | –'
      : `${f3(mean(accuracy.selected))} | ${f3(mean(accuracy.snaive))} | ${(100 * mean(accuracy.coverage90)).toFixed(1)} %`;
  console.log(
    `| ${trace.file} | ${accuracy.selected.length} | ${accuracyCells} | ${anomalies.detections} | ${anomalies.truePositives} | ${anomalies.windowsHit}/${trace.windows.length} |`,
  );
}

/**
 * Forecasts a day ahead from origins every 24 h, leaving at least 4 days of history and a full day
 * to score; per-level coverage and the guard go straight into `tally`.
 */
function scoreOrigins(series: RegularSeries, tally: NabTally): TraceAccuracy {
  const y = series.values;
  const accuracy: TraceAccuracy = { selected: [], snaive: [], coverage90: [] };
  for (let origin = 4 * DAILY_STEPS; origin + HORIZON_STEPS <= y.length; origin += DAILY_STEPS) {
    const history = y
      .slice(0, origin)
      .map((value, i) => ({ timestampMs: series.startMs + i * STEP_SECONDS * 1000, value }));
    const f = forecastDemand({
      history,
      stepSeconds: STEP_SECONDS,
      horizonSteps: HORIZON_STEPS,
      levels: LEVELS,
    });
    const actual = y.slice(origin, origin + HORIZON_STEPS);
    const insample = y.slice(0, origin);
    const scale = maseScale(insample, DAILY_STEPS);
    if (!(scale > 0)) continue;
    const naive = actual.map((_, h) => insample[origin - DAILY_STEPS + (h % DAILY_STEPS)] as number);
    accuracy.selected.push(mase(insample, actual, f.mean as number[], DAILY_STEPS));
    accuracy.snaive.push(mase(insample, actual, naive, DAILY_STEPS));
    const i90 = interval(f, 90);
    accuracy.coverage90.push(coverage(actual, i90.lower, i90.upper));
    for (const i of f.intervals) {
      tally.coverageByLevel.set(i.levelPct, [
        ...(tally.coverageByLevel.get(i.levelPct) ?? []),
        coverage(actual, i.lower, i.upper),
      ]);
      tally.upperByLevel.set(i.levelPct, [
        ...(tally.upperByLevel.get(i.levelPct) ?? []),
        upperCoverage(actual, i.upper),
      ]);
    }
    tally.guardEngaged.push(f.selection.guard?.engaged === true ? 1 : 0);
  }
  return accuracy;
}

/** A detection is a true positive inside any labelled window; a window is hit by any detection in it. */
function scoreAnomalies(trace: NabTrace, series: RegularSeries): TraceAnomalies {
  const detection = detectAnomalies(series);
  let truePositives = 0;
  for (const a of detection.anomalies) {
    if (trace.windows.some((w) => a.timestampMs >= w.startMs && a.timestampMs <= w.endMs)) truePositives += 1;
  }
  const windowsHit = trace.windows.filter((w) =>
    detection.anomalies.some((a) => a.timestampMs >= w.startMs && a.timestampMs <= w.endMs),
  ).length;
  return { detections: detection.anomalies.length, truePositives, windowsHit };
}

function printNabSummary(tally: NabTally): void {
  const { selectedMase, snaiveMase, traceRatios, guardEngaged } = tally;
  console.log(
    `\nAll origins (${selectedMase.length}): mean MASE selected ${f3(mean(selectedMase))}, seasonal naive ${f3(mean(snaiveMase))}` +
      ` (ratio ${f3(mean(selectedMase) / mean(snaiveMase))}); median MASE selected ${f3(quantile(selectedMase, 0.5))}, seasonal naive ${f3(quantile(snaiveMase, 0.5))}; 90 % coverage ${(100 * mean(tally.coverage90)).toFixed(1)} %`,
  );
  console.log(
    `Coverage by level: ${[...tally.coverageByLevel.entries()].map(([l, c]) => `${l} % → ${(100 * mean(c)).toFixed(1)} %`).join(', ')}`,
  );
  console.log(`One-sided upper coverage: ${formatUpper(tally.upperByLevel)}`);
  const worst = [...traceRatios].sort((a, b) => b.ratio - a.ratio)[0];
  const lowest = [...traceRatios].sort((a, b) => a.coverage90 - b.coverage90)[0];
  console.log(
    `Per trace (${traceRatios.length}): MASE selected / seasonal naive mean ${f3(mean(traceRatios.map((t) => t.ratio)))}, ` +
      `worst ${f3(worst?.ratio ?? Number.NaN)} (${worst?.file}), traces above 1.05: ${traceRatios.filter((t) => t.ratio > 1.05).length}; ` +
      `lowest 90 % coverage ${(100 * (lowest?.coverage90 ?? Number.NaN)).toFixed(1)} % (${lowest?.file}), traces below 85 %: ${traceRatios.filter((t) => t.coverage90 < 0.85).length}; ` +
      `seasonal-naive guard engaged at ${guardEngaged.filter((g) => g === 1).length} of ${guardEngaged.length} origins`,
  );
  const { detections, truePositives, windowsHit, windowsTotal } = tally;
  console.log(
    `Anomalies: ${detections} detections, precision ${f3(truePositives / Math.max(1, detections))}, recall ${f3(windowsHit / Math.max(1, windowsTotal))} (${windowsHit}/${windowsTotal} windows)`,
  );
}

/** Wall time of `forecastDemand` on the 14-day traces against cleaning plus a seasonal naive. */
function printNabSpeed(traces: readonly NabTrace[]): void {
  const speedTraces = traces.filter((t) => t.observations.length === 4032);
  const times: number[] = [];
  const baseline: number[] = [];
  for (let rep = 0; rep < 3; rep += 1) {
    for (const trace of speedTraces) {
      const t0 = performance.now();
      forecastDemand({
        history: trace.observations,
        stepSeconds: STEP_SECONDS,
        horizonSteps: HORIZON_STEPS,
        levels: LEVELS,
      });
      times.push(performance.now() - t0);
      const t1 = performance.now();
      const { series } = cleanSeries(trace.observations, STEP_SECONDS);
      seasonalNaive('daily').fit(series).forecast({ horizonSteps: HORIZON_STEPS, levels: LEVELS });
      baseline.push(performance.now() - t1);
    }
  }
  console.log(
    `Speed (forecastDemand, 4032 × 5-minute points, 288-step horizon, ${times.length} runs): median ${f3(quantile(times, 0.5))} ms, ` +
      `p95 ${f3(quantile(times, 0.95))} ms; clean + seasonal naive alone median ${f3(quantile(baseline, 0.5))} ms ` +
      `(ratio ${(quantile(times, 0.5) / quantile(baseline, 0.5)).toFixed(1)}×)`,
  );
}
