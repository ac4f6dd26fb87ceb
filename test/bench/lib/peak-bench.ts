import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanSeries } from '../../../shared/core/forecast/clean-series';
import { type DailyPeakComparison, dailyPeakErrors } from '../../../shared/core/forecast/daily-peak-error';
import { detectAnomalies } from '../../../shared/core/forecast/detect-anomalies';
import { forecastDemand } from '../../../shared/core/forecast/forecast-demand';
import { mase, maseScale } from '../../../shared/core/forecast/metrics';
import { planningLoad } from '../../../shared/core/forecast/planning-load';
import type { Anomaly, LoadObservation } from '../../../shared/core/forecast/types';
import { capPlannedLoad } from '../../../shared/core/planning/cap-planned-load';
import { readM4 } from './read-m4';
import { readNab } from './read-nab';

/** One trace of the peak benchmark and how its origins are laid out. */
interface PeakTrace {
  readonly label: string;
  readonly observations: LoadObservation[];
  readonly stepSeconds: number;
  /** First origin, in steps from the start of the cleaned series. */
  readonly firstOriginSteps: number;
  /** History kept before each origin, in steps (Infinity: everything before it). */
  readonly historySteps: number;
}

/** Per-trace peak figures, summed over origins. */
interface PeakTally {
  origins: number;
  selected: DailyPeakComparison[];
  /** The same days scored against the per-step p90 (upper bound of the 80 % interval). */
  perStep: DailyPeakComparison[];
  /** The same days scored against the planning p90 capped as the scaling loop caps it. */
  capped: DailyPeakComparison[];
  naive: DailyPeakComparison[];
  /** Σ planned load over the horizon at the planning p90 (uncapped, capped) and the per-step p90, and Σ actual load. */
  plannedLoad: number;
  cappedLoad: number;
  perStepLoad: number;
  actualLoad: number;
  mase: number[];
  naiveMase: number[];
  capReached: number;
  replaced: number;
  kept: number;
  meanPeak: number[];
}

const LEVELS = [50, 80, 90, 95, 99];
/** `defaults.maxPlanningRatio` of the user configuration. */
const MAX_PLANNING_RATIO = 2;
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '–');
const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '–');

function readTaxi(dataDir: string): LoadObservation[] | undefined {
  const file = path.join(dataDir, 'nab', 'realKnownCause', 'nyc_taxi.csv');
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [time, value] = line.split(',');
      return { timestampMs: Date.parse(`${(time ?? '').trim().replace(' ', 'T')}Z`), value: Number(value) };
    });
}

/**
 * Why `--peaks-only SUBSTR` would measure nothing (no trace's name contains it), or undefined: a
 * filter that matches nothing is a typo, not a request for an empty table.
 */
export function peaksOnlyProblem(dataDir: string, only: string | undefined): string | undefined {
  if (only === undefined || !existsSync(path.join(dataDir, 'nab')) || peakTraces(dataDir, only).length > 0) {
    return undefined;
  }
  return `--peaks-only "${only}": no trace under ${dataDir}/nab has that in its name`;
}

function peakTraces(dataDir: string, only: string | undefined): PeakTrace[] {
  const nab = (readNab(dataDir) ?? []).map((t) => ({
    label: t.file.replace('.csv', ''),
    observations: t.observations,
    stepSeconds: 300,
    firstOriginSteps: 4 * 288,
    historySteps: Number.POSITIVE_INFINITY,
  }));
  const taxi = readTaxi(dataDir);
  const traces: PeakTrace[] = [...nab];
  // 30-minute steps, 14 days of history (the scaling loop's default), an origin at every midnight.
  if (taxi) {
    traces.push({
      label: 'nyc_taxi',
      observations: taxi,
      stepSeconds: 1800,
      firstOriginSteps: 14 * 48,
      historySteps: 14 * 48,
    });
  }
  return traces.filter((t) => only === undefined || t.label.includes(only));
}

function runTrace(trace: PeakTrace): PeakTally {
  const { stepSeconds } = trace;
  const daily = Math.round(86_400 / stepSeconds);
  const { series } = cleanSeries(trace.observations, stepSeconds);
  const y = series.values;
  const stepMs = stepSeconds * 1000;
  const tally: PeakTally = {
    origins: 0,
    selected: [],
    perStep: [],
    capped: [],
    naive: [],
    plannedLoad: 0,
    cappedLoad: 0,
    perStepLoad: 0,
    actualLoad: 0,
    mase: [],
    naiveMase: [],
    capReached: 0,
    replaced: 0,
    kept: 0,
    meanPeak: [],
  };
  for (let origin = trace.firstOriginSteps; origin + daily <= y.length; origin += daily) {
    const from = Math.max(0, origin - trace.historySteps);
    const insample = y.slice(from, origin);
    const history = insample.map((value, i) => ({
      timestampMs: series.startMs + (from + i) * stepMs,
      value,
    }));
    const f = forecastDemand({ history, stepSeconds, horizonSteps: daily, levels: LEVELS });
    const actual = y.slice(origin, origin + daily);
    const naive = actual.map((_, h) => insample[insample.length - daily + h] as number);
    // The planning quantile the scaling loop plans on (`planningLoad`), and the per-step p90.
    const p90 = planningLoad(f, 0.9);
    const perStepP90 = f.intervals.find((i) => i.levelPct === 80)?.upper as number[];
    tally.origins += 1;
    const peakDays = dailyPeakErrors(actual, f.mean as number[], daily, p90);
    const peak = f.dailyPeaks?.[0];
    tally.selected.push(
      ...peakDays.map((d) =>
        peak ? { ...d, forecastPeak: peak.peakLoad, peakError: peak.peakLoad - d.actualPeak } : d,
      ),
    );
    tally.perStep.push(...dailyPeakErrors(actual, f.mean as number[], daily, perStepP90));
    // The loop's cap at its default maxPlanningRatio, with the newest history value as current load.
    const capped = capPlannedLoad(p90, f.mean, insample[insample.length - 1], MAX_PLANNING_RATIO);
    tally.capped.push(...dailyPeakErrors(actual, f.mean as number[], daily, capped));
    for (let h = 0; h < actual.length; h += 1) {
      tally.plannedLoad += p90[h] as number;
      tally.cappedLoad += capped[h] as number;
      tally.perStepLoad += perStepP90[h] as number;
      tally.actualLoad += actual[h] as number;
    }
    tally.naive.push(...dailyPeakErrors(actual, naive, daily));
    tally.meanPeak.push(Math.max(...actual));
    if (maseScale(insample, daily) > 0) {
      tally.mase.push(mase(insample, actual, f.mean as number[], daily));
      tally.naiveMase.push(mase(insample, actual, naive, daily));
    }
    const handling = f.anomalyHandling;
    if (handling?.capReached) tally.capReached += 1;
    tally.replaced += handling?.replacedSteps ?? f.anomalies.length;
    tally.kept += handling ? handling.flaggedSteps - handling.replacedSteps : 0;
  }
  return tally;
}

const peakMae = (days: readonly DailyPeakComparison[]) => mean(days.map((d) => Math.abs(d.peakError)));
const timingHours = (days: readonly DailyPeakComparison[], stepSeconds: number) =>
  mean(days.map((d) => (d.timingErrorSteps * stepSeconds) / 3600));
const covered = (days: readonly DailyPeakComparison[]) => mean(days.map((d) => (d.upperCoversPeak ? 1 : 0)));
const bias = (days: readonly DailyPeakComparison[]) => mean(days.map((d) => d.peakError));

/**
 * Daily-peak accuracy on NAB realAWSCloudwatch (growing history, origins every 24 h from day 4,
 * 288 × 5-minute steps) and nyc_taxi (14-day window, 48 × 30-minute steps, every midnight):
 * per trace and overall, the MAE of the forecast daily peak relative to seasonal naive's, the
 * timing error, the share of days whose p90 at the actual peak reaches it, and how often the
 * anomaly cap was reached.
 */
export function runPeaks(dataDir: string, only: string | undefined): void {
  const traces = peakTraces(dataDir, only);
  if (traces.length === 0) {
    console.log(
      `Peaks: skipped, no trace under ${dataDir}/nab${only === undefined ? '' : ` matches "${only}"`}`,
    );
    return;
  }
  console.log(
    '\n## Daily peaks (NAB realAWSCloudwatch: 5-min, 24 h ahead, origins every 24 h from day 4; nyc_taxi: 30-min, 14-day history, every midnight)',
  );
  console.log(
    '\n| trace | origins | peak MAE / sNaive | peak bias % | timing h selected / sNaive | planning p90 ≥ peak (capped) | per-step p90 ≥ peak | planned / actual load: planning (capped; per-step) | MASE selected / sNaive | cap reached | replaced / kept per origin |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const groups = { nab: [] as PeakTally[], taxi: [] as PeakTally[] };
  for (const trace of traces) {
    const t = runTrace(trace);
    if (t.origins === 0) {
      console.log(`| ${trace.label} | 0 | – (too short for an origin) | | | | | | | | |`);
      continue;
    }
    (trace.label === 'nyc_taxi' ? groups.taxi : groups.nab).push(t);
    const ratio = peakMae(t.selected) / peakMae(t.naive);
    console.log(
      `| ${trace.label} | ${t.origins} | ${f3(ratio)} | ${pct(bias(t.selected) / mean(t.meanPeak))} | ` +
        `${timingHours(t.selected, trace.stepSeconds).toFixed(1)} / ${timingHours(t.naive, trace.stepSeconds).toFixed(1)} | ` +
        `${pct(covered(t.selected))} (${pct(covered(t.capped))}) | ${pct(covered(t.perStep))} | ` +
        `${f3(t.plannedLoad / t.actualLoad)} (${f3(t.cappedLoad / t.actualLoad)}; ${f3(t.perStepLoad / t.actualLoad)}) | ` +
        `${f3(mean(t.mase))} / ${f3(mean(t.naiveMase))} | ${t.capReached}/${t.origins} | ` +
        `${(t.replaced / t.origins).toFixed(1)} / ${(t.kept / t.origins).toFixed(1)} |`,
    );
  }
  for (const [name, tallies] of Object.entries(groups)) {
    if (tallies.length === 0) continue;
    const origins = tallies.reduce((a, t) => a + t.origins, 0);
    // Peak MAE ratio per trace (load units differ between traces), then the mean and median of ratios.
    const ratios = tallies.map((t) => peakMae(t.selected) / peakMae(t.naive)).sort((a, b) => a - b);
    const days = tallies.flatMap((t) => t.selected);
    const perStepDays = tallies.flatMap((t) => t.perStep);
    const cappedDays = tallies.flatMap((t) => t.capped);
    const overhead = medianOf(tallies.map((t) => t.plannedLoad / t.actualLoad));
    const cappedOverhead = medianOf(tallies.map((t) => t.cappedLoad / t.actualLoad));
    const perStepOverhead = medianOf(tallies.map((t) => t.perStepLoad / t.actualLoad));
    console.log(
      `\n${name === 'nab' ? 'NAB' : 'nyc_taxi'} (${tallies.length} traces, ${origins} origins): peak MAE / sNaive mean of per-trace ratios ${f3(mean(ratios))}, ` +
        `median ${f3(ratios[Math.floor((ratios.length - 1) / 2)] as number)}; traces ≤ 0.8: ${ratios.filter((r) => r <= 0.8).length}/${ratios.length}; ` +
        `planning p90 ≥ actual daily peak on ${pct(covered(days))} of ${days.length} days (capped ${pct(covered(cappedDays))}, per-step p90 ${pct(covered(perStepDays))}); ` +
        `planned / actual load, median of per-trace ratios, ${f3(overhead)} (capped ${f3(cappedOverhead)}, per-step p90 ${f3(perStepOverhead)}); ` +
        `MASE ${f3(mean(tallies.flatMap((t) => t.mase)))} vs sNaive ${f3(mean(tallies.flatMap((t) => t.naiveMase)))}; ` +
        `cap reached at ${tallies.reduce((a, t) => a + t.capReached, 0)}/${origins} origins`,
    );
  }
}

/**
 * NAB labelled windows against the detector's flagged points split by what was done with them:
 * every flagged point, the ones not explained by recurrence, and the replaced glitches. Same
 * window scoring as the NAB section (a point inside a window is a true positive; a window with one
 * is recalled).
 */
export function runAnomalyReasons(dataDir: string): void {
  const traces = readNab(dataDir);
  if (traces === undefined) return;
  const sets: Record<string, (a: Anomaly) => boolean> = {
    'every flagged point': () => true,
    'not recurring (glitch, over-cap, sustained, trailing)': (a) => a.reason !== 'recurring',
    sustained: (a) => a.reason === 'sustained',
    recurring: (a) => a.reason === 'recurring',
    'replaced (glitches within the cap)': (a) => a.replaced === true,
  };
  console.log('\n| flagged points (NAB, whole traces) | detections | precision | recall |');
  console.log('| --- | --- | --- | --- |');
  const detections = traces.map((t) => ({
    trace: t,
    flagged: detectAnomalies(cleanSeries(t.observations, 300).series).flagged,
  }));
  for (const [name, keep] of Object.entries(sets)) {
    let count = 0;
    let truePositives = 0;
    let hit = 0;
    let windows = 0;
    for (const { trace, flagged } of detections) {
      const kept = flagged.filter(keep);
      const inside = (ms: number, w: { startMs: number; endMs: number }) => ms >= w.startMs && ms <= w.endMs;
      count += kept.length;
      truePositives += kept.filter((a) => trace.windows.some((w) => inside(a.timestampMs, w))).length;
      windows += trace.windows.length;
      hit += trace.windows.filter((w) => kept.some((a) => inside(a.timestampMs, w))).length;
    }
    console.log(
      `| ${name} | ${count} | ${f3(truePositives / Math.max(1, count))} | ${f3(hit / Math.max(1, windows))} (${hit}/${windows}) |`,
    );
  }
}

/**
 * Hold-out for the daily-peak method, never looked at while choosing it: M4 Hourly (414 series,
 * the whole training part as history, its 48 test hours as two days). Errors are divided by the
 * series' mean training load so that series in different units add up; the ratio is the sum of
 * the forecast's scaled peak errors over seasonal naive's (the last training day's peak).
 */
export function runM4Peaks(dataDir: string, limit?: number): void {
  const all = readM4(dataDir);
  if (all === undefined) {
    console.log(`M4 peaks: skipped, no M4 Hourly data under ${dataDir}/m4-hourly`);
    return;
  }
  const series = limit === undefined ? all : all.slice(0, limit);
  const daily = 24;
  const stepSeconds = 3600;
  let error = 0;
  let naiveError = 0;
  let days = 0;
  let covered = 0;
  let perStepCovered = 0;
  const planned: number[] = [];
  const perStepPlanned: number[] = [];
  for (const s of series) {
    const history = s.train.map((value, i) => ({ timestampMs: i * stepSeconds * 1000, value }));
    const f = forecastDemand({ history, stepSeconds, horizonSteps: s.test.length, levels: LEVELS });
    const scale = mean(s.train) || 1;
    const p90 = planningLoad(f, 0.9);
    const perStepP90 = f.intervals.find((i) => i.levelPct === 80)?.upper as number[];
    const naivePeak = Math.max(...s.train.slice(-daily));
    const compared = dailyPeakErrors(s.test, f.mean as number[], daily, p90);
    const perStep = dailyPeakErrors(s.test, f.mean as number[], daily, perStepP90);
    compared.forEach((d, k) => {
      const peak = f.dailyPeaks?.[k]?.peakLoad ?? d.forecastPeak;
      error += Math.abs(peak - d.actualPeak) / scale;
      naiveError += Math.abs(naivePeak - d.actualPeak) / scale;
      days += 1;
      if (d.upperCoversPeak) covered += 1;
      if (perStep[k]?.upperCoversPeak) perStepCovered += 1;
    });
    planned.push(p90.reduce((a, b) => a + b, 0) / s.test.reduce((a, b) => a + b, 0));
    perStepPlanned.push(perStepP90.reduce((a, b) => a + b, 0) / s.test.reduce((a, b) => a + b, 0));
  }
  console.log(
    `\n## Daily peaks, hold-out: M4 Hourly (${series.length} series, 48 h ahead = 2 days each)\n` +
      `peak MAE / sNaive ${f3(error / naiveError)} over ${days} days; planning p90 ≥ actual daily peak on ${pct(covered / days)} ` +
      `(per-step p90 ${pct(perStepCovered / days)}); planned / actual load, median over series, ` +
      `${f3(medianOf(planned))} (per-step p90 ${f3(medianOf(perStepPlanned))})`,
  );
}

function medianOf(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}
