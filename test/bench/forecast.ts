/**
 * Forecasting benchmark: M4 Hourly accuracy (sMAPE, MASE, OWA, 95 % coverage, MSIS), NAB
 * CloudWatch rolling-origin accuracy and anomaly precision/recall, and speed per series.
 * Run: npx tsx test/bench/forecast.ts [--m4-out DIR] [--m4-limit N] [--skip-m4] [--skip-nab] [--skip-speed]
 * [--skip-holdout] [--skip-peaks] [--peaks-only SUBSTRING]. The hold-out part (NYC taxi demand,
 * 30-minute steps) is never used to choose a setting: it checks that the intervals and the guard
 * hold on load the engine was not developed on. The NAB part lives in lib/nab-bench.ts, the
 * daily-peak section in lib/peak-bench.ts.
 */

import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cleanSeries } from '../../shared/core/forecast/clean-series';
import { forecastDemand } from '../../shared/core/forecast/forecast-demand';
import { coverage, mase, msis, owa, smape } from '../../shared/core/forecast/metrics';
import { seasonalNaive } from '../../shared/core/forecast/models/seasonal-naive';
import { registry } from '../../shared/core/forecast/registry';
import type { DemandForecast, LoadObservation } from '../../shared/core/forecast/types';
import { parseWholeNumber } from '../../shared/simulation/parse-cli-args';
import { benchArgs, benchValue } from './lib/bench-args';
import { f3, formatUpper, interval, mean, quantile, upperCoverage } from './lib/forecast-figures';
import { runNab } from './lib/nab-bench';
import { naive2 } from './lib/naive2';
import { peaksOnlyProblem, runAnomalyReasons, runM4Peaks, runPeaks } from './lib/peak-bench';
import { type M4Series, readM4 } from './lib/read-m4';
import { readNab } from './lib/read-nab';

const DATA_DIR = path.resolve(__dirname, '../../../shared/data');
const HOUR_MS = 3_600_000;
const M4_HORIZON = 48;
const M4_PERIOD = 24;
const PUBLISHED: Record<string, { smape: number; mase: number; owa: number }> = {
  Naive2: { smape: 18.383, mase: 2.395, owa: 1.0 },
  sNaive: { smape: 13.912, mase: 1.193, owa: 0.627 },
};
const PUBLISHED_OWA = 'published OWA: sNaive 0.627, Theta 1.006, FFORMA 0.484, ES-RNN 0.440, best 0.410';

const FORECAST_USAGE = `Usage: npx tsx test/bench/forecast.ts [--m4-out DIR] [--m4-limit N] [--skip-m4] [--skip-nab]
       [--skip-holdout] [--skip-speed] [--skip-peaks] [--peaks-only SUBSTRING]

  --m4-out DIR           write the M4 Hourly forecasts and 95 % bounds as CSV files to DIR
  --m4-limit N           only the first N M4 series
  --skip-m4              skip the M4 part
  --skip-nab             skip the NAB part
  --skip-holdout         skip the NYC taxi hold-out part
  --skip-speed           skip the speed part
  --skip-peaks           skip the daily-peak parts (NAB, nyc_taxi, the M4 hold-out) and anomaly reasons
  --peaks-only SUBSTR    the daily-peak part for the traces whose name contains SUBSTR`;
const args = benchArgs(FORECAST_USAGE, {
  'm4-out': { type: 'string' },
  'm4-limit': { type: 'string' },
  'skip-m4': { type: 'boolean' },
  'skip-nab': { type: 'boolean' },
  'skip-holdout': { type: 'boolean' },
  'skip-speed': { type: 'boolean' },
  'skip-peaks': { type: 'boolean' },
  'peaks-only': { type: 'string' },
});
const m4Out = args['m4-out'];
const m4LimitText = args['m4-limit'];
const m4Limit =
  m4LimitText === undefined
    ? Number.POSITIVE_INFINITY
    : benchValue(
        () => parseWholeNumber('--m4-limit', m4LimitText, { noun: 'a whole number', min: 1 }),
        FORECAST_USAGE,
      );

const peaksOnly = peaksOnlyProblem(DATA_DIR, args['peaks-only']);
if (peaksOnly !== undefined)
  benchValue(() => {
    throw new Error(peaksOnly);
  }, FORECAST_USAGE);

const toObservations = (values: readonly number[], stepMs: number): LoadObservation[] =>
  values.map((value, i) => ({ timestampMs: i * stepMs, value }));

function machine(): string {
  const cpuInfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuInfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const nproc = execSync('nproc').toString().trim();
  return `nproc ${nproc}, ${model}, Node ${process.version}`;
}

/** sMAPE and MASE of one method, one entry per series. */
interface MethodScores {
  readonly smape: number[];
  readonly mase: number[];
}

/** M4 figures summed over series; the rows are the CSV lines `--m4-out` writes. */
interface M4Tally {
  /** In first-scored order, which is the table's row order. */
  readonly scores: Map<string, MethodScores>;
  readonly coverages: number[];
  readonly coverageByLevel: Map<number, number[]>;
  readonly upperByLevel: Map<number, number[]>;
  readonly msisValues: number[];
  readonly times: number[];
  readonly snaiveTimes: number[];
  /** How many series each selection (single model's name, or the selection kind) won. */
  readonly chosen: Map<string, number>;
  readonly rows: string[];
  readonly lowerRows: string[];
  readonly upperRows: string[];
}

function runM4(): void {
  const all = readM4(DATA_DIR);
  if (all === undefined) {
    console.log(`M4 Hourly: skipped, ${DATA_DIR}/m4-hourly is absent`);
    return;
  }
  const series = all.slice(0, Math.min(all.length, m4Limit));
  console.log(`\n## M4 Hourly (${series.length} series, h=${M4_HORIZON}, m=${M4_PERIOD})`);
  const tally: M4Tally = {
    scores: new Map(),
    coverages: [],
    coverageByLevel: new Map(),
    upperByLevel: new Map(),
    msisValues: [],
    times: [],
    snaiveTimes: [],
    chosen: new Map(),
    rows: [],
    lowerRows: [],
    upperRows: [],
  };
  for (const s of series) scoreM4Series(s, tally);
  printM4Scores(tally.scores);
  printM4Intervals(tally);
  if (m4Out !== undefined) writeM4Forecasts(m4Out, tally);
}

function addScores(
  scores: Map<string, MethodScores>,
  name: string,
  insample: readonly number[],
  actual: readonly number[],
  forecast: readonly number[],
): void {
  const entry = scores.get(name) ?? { smape: [], mase: [] };
  entry.smape.push(smape(actual, forecast));
  entry.mase.push(mase(insample, actual, forecast, M4_PERIOD));
  scores.set(name, entry);
}

/** Scores the benchmarks, every registered model and `forecastDemand` on one series. */
function scoreM4Series(s: M4Series, tally: M4Tally): void {
  const n = s.train.length;
  const add = (name: string, forecast: readonly number[]) =>
    addScores(tally.scores, name, s.train, s.test, forecast);
  add('Naive2', naive2(s.train, M4_PERIOD, M4_HORIZON));
  add(
    'sNaive',
    Array.from({ length: M4_HORIZON }, (_, h) => s.train[n - M4_PERIOD + (h % M4_PERIOD)] as number),
  );
  add('Naive1', new Array<number>(M4_HORIZON).fill(s.train[n - 1] as number));
  const regular = { startMs: 0, stepSeconds: 3600, values: s.train };
  for (const model of registry) {
    const f = model.fit(regular).forecast({ horizonSteps: M4_HORIZON, levels: [] });
    add(model.name, f.mean);
  }
  const t0 = performance.now();
  const forecast = forecastDemand({
    history: toObservations(s.train, HOUR_MS),
    stepSeconds: 3600,
    horizonSteps: M4_HORIZON,
    levels: [50, 80, 90, 95, 99],
  });
  tally.times.push(performance.now() - t0);
  const t1 = performance.now();
  seasonalNaive('daily')
    .fit(regular)
    .forecast({ horizonSteps: M4_HORIZON, levels: [95] });
  tally.snaiveTimes.push(performance.now() - t1);
  add('selected (forecastDemand)', forecast.mean);
  scoreM4Intervals(s, forecast, tally);
}

/** Interval coverage and MSIS of the selected forecast, its selection, and its CSV rows. */
function scoreM4Intervals(s: M4Series, forecast: DemandForecast, tally: M4Tally): void {
  const i95 = interval(forecast, 95);
  tally.coverages.push(coverage(s.test, i95.lower, i95.upper));
  for (const i of forecast.intervals) {
    tally.coverageByLevel.set(i.levelPct, [
      ...(tally.coverageByLevel.get(i.levelPct) ?? []),
      coverage(s.test, i.lower, i.upper),
    ]);
    tally.upperByLevel.set(i.levelPct, [
      ...(tally.upperByLevel.get(i.levelPct) ?? []),
      upperCoverage(s.test, i.upper),
    ]);
  }
  tally.msisValues.push(msis(s.train, s.test, i95.lower, i95.upper, 95, M4_PERIOD));
  const label =
    forecast.selection.kind === 'single' ? (forecast.selection.models[0] ?? '') : forecast.selection.kind;
  tally.chosen.set(label, (tally.chosen.get(label) ?? 0) + 1);
  tally.rows.push([s.id, ...forecast.mean].join(','));
  tally.lowerRows.push([s.id, ...i95.lower].join(','));
  tally.upperRows.push([s.id, ...i95.upper].join(','));
}

/** The scorer checks against the published benchmarks, then the accuracy table with OWA against Naive2. */
function printM4Scores(scores: Map<string, MethodScores>): void {
  const naive2Scores = scores.get('Naive2') as MethodScores;
  const n2s = mean(naive2Scores.smape);
  const n2m = mean(naive2Scores.mase);
  console.log('\nScorer checks (full 414 series only):');
  for (const name of ['Naive2', 'sNaive']) {
    const entry = scores.get(name) as MethodScores;
    const ref = PUBLISHED[name] as { smape: number; mase: number };
    const ok = f3(mean(entry.smape)) === f3(ref.smape) && f3(mean(entry.mase)) === f3(ref.mase);
    console.log(
      `  ${name}: sMAPE ${f3(mean(entry.smape))} (published ${ref.smape}), MASE ${f3(mean(entry.mase))} (published ${ref.mase}) ${ok ? 'OK' : 'MISMATCH'}`,
    );
  }
  console.log(`\n| method | sMAPE | MASE | OWA |\n| --- | --- | --- | --- |`);
  for (const [name, entry] of scores) {
    const s = mean(entry.smape);
    const m = mean(entry.mase);
    console.log(`| ${name} | ${f3(s)} | ${f3(m)} | ${f3(owa(s, m, n2s, n2m))} |`);
  }
  console.log(`(${PUBLISHED_OWA})`);
}

function printM4Intervals(tally: M4Tally): void {
  const { times, snaiveTimes } = tally;
  console.log(
    `\nSelected 95 % interval: coverage ${(100 * mean(tally.coverages)).toFixed(1)} %, MSIS ${f3(mean(tally.msisValues))}`,
  );
  console.log(
    `Coverage by level: ${[...tally.coverageByLevel.entries()].map(([l, c]) => `${l} % → ${(100 * mean(c)).toFixed(1)} %`).join(', ')}`,
  );
  console.log(
    `One-sided upper coverage (share of actuals ≤ upper bound): ${formatUpper(tally.upperByLevel)}`,
  );
  console.log(`Selections: ${[...tally.chosen.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(
    `Speed (forecastDemand, M4 series): median ${f3(quantile(times, 0.5))} ms, p95 ${f3(quantile(times, 0.95))} ms; ` +
      `seasonal naive alone median ${f3(quantile(snaiveTimes, 0.5))} ms`,
  );
}

function writeM4Forecasts(dir: string, tally: M4Tally): void {
  mkdirSync(dir, { recursive: true });
  const header = ['id', ...Array.from({ length: M4_HORIZON }, (_, h) => `F${h + 1}`)].join(',');
  writeFileSync(path.join(dir, 'm4-hourly-forecasts.csv'), `${[header, ...tally.rows].join('\n')}\n`);
  writeFileSync(path.join(dir, 'm4-hourly-lower95.csv'), `${[header, ...tally.lowerRows].join('\n')}\n`);
  writeFileSync(path.join(dir, 'm4-hourly-upper95.csv'), `${[header, ...tally.upperRows].join('\n')}\n`);
  console.log(`Wrote forecasts and 95 % bounds to ${dir}`);
}

/** CPU milliseconds (user + system) of this process spent in `run`; immune to other jobs' load. */
function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** The 5-minute trace linearly interpolated to 1-minute steps (same span, 5× the points). */
function toOneMinute(observations: readonly LoadObservation[]): LoadObservation[] {
  const out: LoadObservation[] = [];
  observations.forEach((o, i) => {
    const next = observations[i + 1] ?? o;
    for (let k = 0; k < 5; k += 1)
      out.push({
        timestampMs: o.timestampMs + k * 60_000,
        value: o.value + ((next.value - o.value) * k) / 5,
      });
  });
  return out;
}

function runSpeed(): void {
  const traces = readNab(DATA_DIR);
  if (traces === undefined) {
    console.log(`Speed: skipped, ${DATA_DIR}/nab is absent`);
    return;
  }
  const levels = [50, 80, 90, 95, 99];
  const workloads = [
    { label: '14 days × 5-minute (4032 points), 288-step horizon', stepSeconds: 300, horizon: 288, reps: 5 },
    {
      label: '14 days × 1-minute (20 160 points), 1440-step horizon',
      stepSeconds: 60,
      horizon: 1440,
      reps: 1,
    },
  ];
  console.log('\n## Speed: CPU time of this process per call (wall time in brackets), same run');
  console.log(
    '\nCPU time counts every thread of the process: V8 compiling hot functions in the background and the\n' +
      "garbage collector's helper threads as well as the call itself. The first untimed pass over every\n" +
      'history (a cold process; in a warm Lambda this is paid once) is shown on its own.',
  );
  console.log(
    '\n| workload | runs | forecastDemand median | p95 | clean + seasonal naive median | ratio | first pass (cold JIT) median / max |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const base = traces.filter((t) => t.observations.length === 4032);
  for (const w of workloads) {
    const histories = base.map((t) => (w.stepSeconds === 60 ? toOneMinute(t.observations) : t.observations));
    const cpu: number[] = [];
    const wall: number[] = [];
    const naiveCpu: number[] = [];
    // One pass over every history first, reported apart: a warm Lambda runs JIT-compiled code, and
    // this pass is where V8 compiles it (and where each history's length is seen the first time).
    const firstPass = histories.map((history) =>
      cpuMs(() => forecastDemand({ history, stepSeconds: w.stepSeconds, horizonSteps: w.horizon, levels })),
    );
    for (let rep = 0; rep < w.reps; rep += 1) {
      for (const history of histories) {
        const t0 = performance.now();
        cpu.push(
          cpuMs(() =>
            forecastDemand({ history, stepSeconds: w.stepSeconds, horizonSteps: w.horizon, levels }),
          ),
        );
        wall.push(performance.now() - t0);
        naiveCpu.push(
          cpuMs(() => {
            const { series } = cleanSeries(history, w.stepSeconds);
            seasonalNaive('daily').fit(series).forecast({ horizonSteps: w.horizon, levels });
          }),
        );
      }
    }
    console.log(
      `| ${w.label} | ${cpu.length} | ${f3(quantile(cpu, 0.5))} ms (${f3(quantile(wall, 0.5))}) | ${f3(quantile(cpu, 0.95))} ms (${f3(quantile(wall, 0.95))}) | ${f3(quantile(naiveCpu, 0.5))} ms | ${(quantile(cpu, 0.5) / quantile(naiveCpu, 0.5)).toFixed(0)}× | ${f3(quantile(firstPass, 0.5))} / ${f3(Math.max(...firstPass))} ms |`,
    );
  }
}

function runHoldout(): void {
  const file = path.join(DATA_DIR, 'nab', 'realKnownCause', 'nyc_taxi.csv');
  if (!existsSync(file)) {
    console.log(`Hold-out: skipped, ${file} is absent`);
    return;
  }
  const observations = readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [time, value] = line.split(',');
      return { timestampMs: Date.parse(`${(time ?? '').trim().replace(' ', 'T')}Z`), value: Number(value) };
    });
  const stepSeconds = 1800;
  const daily = 48;
  const { series } = cleanSeries(observations, stepSeconds);
  const y = series.values;
  const levels = [50, 80, 90, 95, 99];
  const selected: number[] = [];
  const naive: number[] = [];
  const central = new Map<number, number[]>();
  const upper = new Map<number, number[]>();
  // 14 days of history, 24 h ahead, origins every 3 days (overlapping histories, disjoint days scored).
  for (let origin = 14 * daily; origin + daily <= y.length; origin += 3 * daily) {
    const insample = y.slice(origin - 14 * daily, origin);
    const history = insample.map((value, i) => ({
      timestampMs: series.startMs + (origin - 14 * daily + i) * stepSeconds * 1000,
      value,
    }));
    const f = forecastDemand({ history, stepSeconds, horizonSteps: daily, levels });
    const actual = y.slice(origin, origin + daily);
    selected.push(mase(insample, actual, f.mean as number[], daily));
    naive.push(
      mase(
        insample,
        actual,
        actual.map((_, h) => insample[insample.length - daily + h] as number),
        daily,
      ),
    );
    for (const i of f.intervals) {
      central.set(i.levelPct, [...(central.get(i.levelPct) ?? []), coverage(actual, i.lower, i.upper)]);
      upper.set(i.levelPct, [...(upper.get(i.levelPct) ?? []), upperCoverage(actual, i.upper)]);
    }
  }
  console.log(
    `\n## Hold-out: NYC taxi demand (30-minute steps, 14-day history, 24 h ahead, ${selected.length} origins)`,
  );
  console.log(
    `MASE selected ${f3(mean(selected))}, seasonal naive ${f3(mean(naive))} (ratio ${f3(mean(selected) / mean(naive))}); ` +
      `origins where selected > 1.05 × seasonal naive: ${selected.filter((s, k) => s > 1.05 * (naive[k] as number)).length}`,
  );
  console.log(
    `Coverage by level: ${[...central.entries()].map(([l, c]) => `${l} % → ${(100 * mean(c)).toFixed(1)} %`).join(', ')}`,
  );
  console.log(`One-sided upper coverage: ${formatUpper(upper)}`);
}

console.log(`# Forecasting benchmark — ${new Date().toISOString()} — ${machine()}`);
if (!args['skip-m4']) runM4();
if (!args['skip-nab']) runNab(DATA_DIR);
if (!args['skip-holdout']) runHoldout();
if (!args['skip-speed']) runSpeed();
if (!args['skip-peaks']) {
  runPeaks(DATA_DIR, args['peaks-only']);
  if (args['peaks-only'] === undefined) runM4Peaks(DATA_DIR, Number.isFinite(m4Limit) ? m4Limit : undefined);
  runAnomalyReasons(DATA_DIR);
}
