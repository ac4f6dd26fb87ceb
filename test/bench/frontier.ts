/**
 * Cost/SLO frontier benchmark: sweeps each policy's own knob on each trace and compares the
 * Pareto frontiers (shared/simulation/evaluation/compare-frontiers.ts).
 * Run: npm run bench:frontier -- [--trace FILE ...] [--json FILE] [--report FILE.html]
 *   or: npm run bench:frontier -- --points RUN.json [--points RUN2.json ...] [--json FILE] [--report FILE.html]
 *   [--days N] [--warmup-days N|7,10,12] [--peak-instances N] [--seed N|1,2] [--prescale-step 300|3600]
 *   [--targets 40,50,60,70,80] [--prescale-targets 35,40,45,50,55,56,57,58,59,60,60.5,61,62,65,69,70,72,75,80,85,90,95]
 *   [--prescale-capped-targets 70,72,75,77|none] [--prescale-quantile-cap Q]
 *   [--prescale-recurring-peak-targets 56,65,80|none]
 *   [--prescale-recent-load-hold-targets 50,55,…,95|none] [--prescale-recent-load-hold-minutes 60,240,1440@0.95,1440@0.98]
 *   [--prescale-scale-in-only-targets 35,…,95|none] [--prescale-lean-scale-in-targets 35,…,95|none]
 *   [--prescale-floor-kept-targets 35,…,95|none] [--prescale-no-steady-hold-targets 35,…,95|none]
 *   [--planning-quantile Q]
 *   [--prescale-defaults JSON] [--merge-duplicates] [--warm-pool] [--help]
 *   [--prescale-history cloudwatch-cpu|cloudwatch-alb|cloudwatch-custom|cloudwatch-expression|timestream]
 * With no --trace: every NAB realAWSCloudwatch series and nyc_taxi from ../shared/data.
 * A --warmup-days list runs every trace once per entry ("<trace> @ day N") and ends with a
 * per-day summary (shared/simulation/evaluation/summarise-days.ts) and each trace's days pooled
 * (pool-days.ts: every setting summed over the days, then compared); a --seed list runs each of
 * them once per seed ("@ seed S") and pools the seeds the same way.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  compareFrontiers,
  defaultPoints,
  type FrontierComparison,
  type SweepPoint,
} from '../../shared/simulation/evaluation/compare-frontiers';
import { summariseDays, type TraceDay } from '../../shared/simulation/evaluation/summarise-days';
import {
  type FrontierTrace,
  renderFrontierReport,
} from '../../shared/simulation/report/render-frontier-report';
import { prescaleConfig } from '../../shared/simulation/run/prescale-config';
import { SCENARIO_DEFAULTS, type Scenario } from '../../shared/simulation/run/scenario';
import { type KnobSetting, knobGrid } from '../../shared/simulation/run/sweep-knobs';
import { benchArgs } from './lib/bench-args';
import { FRONTIER_HELP, FRONTIER_OPTIONS, type FrontierArgs, frontierArgs } from './lib/frontier-args';
import { scenarioFor, type TraceCase } from './lib/frontier-scenario';
import { sweepTraces, type TraceRun, writeJson } from './lib/frontier-sweep';
import { daysSummary, markdownTable, runName, summaryLine, traceLine, traceOf } from './lib/frontier-text';
import { NYC_TAXI_START_LABEL, NYC_TAXI_WINDOW } from './lib/nyc-taxi-window';
import { readStoredRuns } from './lib/stored-runs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const DATA_DIR = path.resolve(__dirname, '../../../shared/data');
const NAB_DIR = path.join(DATA_DIR, 'nab', 'realAWSCloudwatch');
const TAXI = path.join(DATA_DIR, 'nab', 'realKnownCause', 'nyc_taxi.csv');

/**
 * Every NAB realAWSCloudwatch trace and nyc_taxi in its window (NYC_TAXI_WINDOW: 14 days of
 * history from 2014-10-13, 14 evaluated to 11-10): `--warmup-days` and `--days` win over its
 * window's (main()), and its label then names only the start.
 */
function defaultTraces(windowGiven: boolean): TraceCase[] | undefined {
  if (!existsSync(NAB_DIR)) return undefined;
  const nab = readdirSync(NAB_DIR)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((file) => ({ label: file.replace(/\.csv$/, ''), options: { traceFile: path.join(NAB_DIR, file) } }));
  const taxi = {
    label: windowGiven
      ? `nyc_taxi (from ${NYC_TAXI_START_LABEL})`
      : `nyc_taxi (${NYC_TAXI_START_LABEL} → 11-10)`,
    options: { traceFile: TAXI, ...NYC_TAXI_WINDOW },
  };
  return [...nab, ...(existsSync(TAXI) ? [taxi] : [])];
}

/** The knob grid the command line asks for on one scenario. */
function gridOf(args: FrontierArgs, scenario: Scenario): KnobSetting[] {
  return knobGrid(scenario, {
    ...(args.targets ? { targetsPct: args.targets } : {}),
    ...(args.prescaleTargets ? { prescaleTargetsPct: args.prescaleTargets } : {}),
    ...(args.prescaleCappedTargets ? { prescaleCappedTargetsPct: args.prescaleCappedTargets } : {}),
    ...(args.prescaleQuantileCap !== undefined ? { prescaleQuantileCap: args.prescaleQuantileCap } : {}),
    ...(args.prescaleRecurringPeakTargets
      ? { prescaleRecurringPeakTargetsPct: args.prescaleRecurringPeakTargets }
      : {}),
    ...(args.prescaleRecentLoadHoldTargets
      ? { prescaleRecentLoadHoldTargetsPct: args.prescaleRecentLoadHoldTargets }
      : {}),
    ...(args.prescaleRecentLoadHolds ? { prescaleRecentLoadHolds: args.prescaleRecentLoadHolds } : {}),
    ...(args.prescaleScaleInOnlyTargets
      ? { prescaleScaleInOnlyTargetsPct: args.prescaleScaleInOnlyTargets }
      : {}),
    ...(args.prescaleLeanScaleInTargets
      ? { prescaleLeanScaleInTargetsPct: args.prescaleLeanScaleInTargets }
      : {}),
    ...(args.prescaleFloorKeptTargets ? { prescaleFloorKeptTargetsPct: args.prescaleFloorKeptTargets } : {}),
    ...(args.prescaleNoSteadyHoldTargets
      ? { prescaleNoSteadyHoldTargetsPct: args.prescaleNoSteadyHoldTargets }
      : {}),
    ...(args.oracleTargets ? { oracleTargetsPct: args.oracleTargets } : {}),
  });
}

/** One trace-day for the per-day summary, with the defaults its points carry (`summariseDays`). */
function traceDay(
  name: string,
  trace: string,
  { warmupDays, seed }: { readonly warmupDays?: number | undefined; readonly seed?: number | undefined },
  points: readonly SweepPoint[],
  comparison: FrontierComparison,
): TraceDay {
  const { prescale, reactive } = defaultPoints(points);
  return {
    name,
    trace,
    warmupDays: warmupDays ?? 0,
    ...(seed !== undefined ? { seed } : {}),
    comparison,
    points,
    ...(prescale && reactive ? { defaults: { prescale, reactive } } : {}),
  };
}

/**
 * `--points`: earlier runs' points compared again by this tree's comparison and reported as a run's
 * (a change to the reading, or a curve run on its own, needs no re-run of the rest).
 */
function compareStoredRuns(args: FrontierArgs): void {
  const { warmPool, burnInMinutes, traces: stored } = readStoredRuns(args.points);
  const traces = stored.map((t) => ({ ...t, comparison: compareFrontiers(t.points) }));
  for (const t of traces) console.log(traceLine(t.name, t.comparison));
  const description = `The points of ${args.points.join(', ')}, compared again${warmPool ? ', every group with a warm pool' : ''}${burnInNote(burnInMinutes)}.`;
  if (args.json) writeJson(args.json, { description, warmPool, burnInMinutes, traces });
  console.log(`\n${markdownTable(traces)}`);
  const traceDays = traces.map((t) => traceDay(t.name, traceOf(t.name), t, t.points, t.comparison));
  const severalDays = traces.some((t) => t.warmupDays !== undefined || t.seed !== undefined);
  console.log(
    `\n${severalDays ? daysSummary(traceDays) : summaryLine('all traces:', summariseDays(traceDays).allDays)}`,
  );
  console.log(`Report: ${writeReport({ ...args, warmPool }, traces, description)}`);
}

/** The Prescale configuration every run deploys: the simulation's, with the command line's overrides. */
function prescaleConfigOf(args: FrontierArgs) {
  const base = prescaleConfig({
    targetLoadPerInstance: SCENARIO_DEFAULTS.targetLoadPerInstance,
    prescaleStepSeconds: args.prescaleStepSeconds,
    prescaleHistory: args.prescaleHistory,
  });
  const q = args.planningQuantile;
  return {
    ...base,
    defaults: {
      ...base.defaults,
      ...(q === undefined ? {} : { planningQuantile: q, planningQuantileMin: q, planningQuantileMax: q }),
      ...args.prescaleDefaults,
    },
  };
}

/** Every trace × warm-up × seed the command line asks for, and the ones too short to hold a window. */
function traceRuns(args: FrontierArgs, cases: readonly TraceCase[]) {
  const warmups: readonly (number | undefined)[] = args.warmupDays ?? [undefined];
  const runs: TraceRun[] = [];
  const skipped: string[] = [];
  for (const c of cases)
    for (const warmupDays of warmups)
      for (const seed of args.seeds) {
        const run = {
          ...(warmups.length > 1 ? { warmupDays } : {}),
          ...(args.seeds.length > 1 ? { seed } : {}),
        };
        const scenario = scenarioFor(args, c, warmupDays, seed);
        if ('skipped' in scenario) {
          console.log(scenario.skipped);
          skipped.push(scenario.skipped);
        } else
          runs.push({
            name: runName(c.label, run),
            label: c.label,
            run,
            warmupDays,
            scenario,
            grid: gridOf(args, scenario),
          });
      }
  return { runs, skipped };
}

async function main(): Promise<void> {
  const args = frontierArgs(benchArgs(FRONTIER_HELP, FRONTIER_OPTIONS));
  if (args.points.length > 0) return compareStoredRuns(args);
  const cases =
    args.traces.length > 0
      ? args.traces.map((t) => ({ label: path.basename(t).replace(/\.csv$/, ''), options: { traceFile: t } }))
      : defaultTraces(args.days !== undefined || args.warmupDays !== undefined);
  if (!cases) {
    console.log(
      `Frontier benchmark skipped: ${NAB_DIR} is absent (the team data folder ../shared/data is not checked out); pass --trace FILE.`,
    );
    return;
  }
  const started = performance.now();
  const { runs, skipped } = traceRuns(args, cases);
  if (runs.length === 0) throw new Error(`no trace could be evaluated:\n${skipped.join('\n')}`);
  const traces = await sweepTraces(args, runs, prescaleConfigOf(args));
  const traceDays = runs.map((r, i) => {
    const t = traces[i] as (typeof traces)[number];
    return traceDay(r.name, r.label, { warmupDays: r.warmupDays, seed: r.run.seed }, t.points, t.comparison);
  });
  const description = runDescription(args, (performance.now() - started) / 60_000);
  if (args.json) {
    writeJson(args.json, { description, warmPool: args.warmPool, burnInMinutes: args.burnInMinutes, traces });
    console.log(`JSON written to ${path.resolve(args.json)}`);
  }
  console.log(`\n${markdownTable(traces)}`);
  if ((args.warmupDays?.length ?? 1) > 1 || args.seeds.length > 1) console.log(`\n${daysSummary(traceDays)}`);
  console.log(`Report: ${writeReport(args, traces, description)}`);
}

/** What the run was: its seed, scale, Prescale's settings and how long it took. */
function runDescription(args: FrontierArgs, minutes: number): string {
  const q = args.planningQuantile;
  const quantileNote = `${q === undefined ? '' : `, planning quantile pinned at ${q}`}${args.prescaleDefaults ? `, Prescale defaults ${JSON.stringify(args.prescaleDefaults)}` : ''}`;
  const warmPoolNote = args.warmPool
    ? ', every group with a warm pool (MaxSize − desired stopped instances)'
    : '';
  const historyNote = `, Prescale history ${args.prescaleHistory}`;
  const delayNote =
    args.metricDelayMinutes !== undefined ? `, CloudWatch ${args.metricDelayMinutes} min late` : '';
  const drainNote =
    args.deregistrationDelaySeconds !== undefined
      ? `, every group draining a scaled-in instance ${args.deregistrationDelaySeconds} s`
      : '';
  return `Seed${args.seeds.length > 1 ? 's' : ''} ${args.seeds.join(', ')}, peak ${args.peakInstances} instances at ${SCENARIO_DEFAULTS.targetLoadPerInstance} % CPU (the SLO), Prescale forecast step ${args.prescaleStepSeconds} s${quantileNote}${historyNote}${delayNote}${drainNote}${warmPoolNote}${burnInNote(args.burnInMinutes)}; ${minutes.toFixed(1)} min.`;
}

const burnInNote = (minutes: number) =>
  minutes > 0 ? `, every policy run ${minutes} min before each window unsampled (burn-in)` : '';

/** Writes the HTML report (the frontier charts) and returns its path. */
function writeReport(
  args: Pick<FrontierArgs, 'report' | 'warmPool'>,
  traces: readonly FrontierTrace[],
  description: string,
): string {
  const echarts = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  const reportPath = path.resolve(args.report);
  mkdirSync(path.dirname(reportPath), { recursive: true });
  const html = renderFrontierReport(traces, echarts, description, new Date().toISOString(), {
    warmPool: args.warmPool,
  });
  writeFileSync(reportPath, html);
  return reportPath;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
