/**
 * Cost/SLO frontier benchmark: sweeps each policy's own knob on each trace and compares the
 * Pareto frontiers (shared/simulation/evaluation/compare-frontiers.ts).
 * Run: npm run bench:frontier -- [--trace FILE ...] [--json FILE] [--report FILE.html]
 *   [--days N] [--warmup-days N] [--peak-instances N] [--seed N] [--prescale-step 300|3600]
 *   [--targets 40,50,60,70,80] [--prescale-targets 35,40,45,50,55,56,57,58,59,60,60.5,61,62,65,69,70,72,75,80,85,90,95]
 *   [--prescale-capped-targets 70,72,75,77|none] [--prescale-quantile-cap Q]
 *   [--prescale-recurring-peak-targets 56,65,80|none] [--planning-quantile Q]
 *   [--prescale-defaults JSON] [--merge-duplicates] [--help]
 *   [--prescale-history cloudwatch-cpu|cloudwatch-alb|cloudwatch-custom|timestream]
 * With no --trace: every NAB realAWSCloudwatch series and nyc_taxi from ../shared/data.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compareFrontiers } from '../../shared/simulation/evaluation/compare-frontiers';
import {
  type FrontierTrace,
  renderFrontierReport,
} from '../../shared/simulation/report/render-frontier-report';
import { buildScenario, type ScenarioOptions } from '../../shared/simulation/run/build-scenario';
import { prescaleConfig } from '../../shared/simulation/run/prescale-config';
import {
  type PrescaleHistorySource,
  parsePrescaleHistorySource,
} from '../../shared/simulation/run/prescale-history';
import { PrescaleLambdas } from '../../shared/simulation/run/prescale-lambdas';
import { SCENARIO_DEFAULTS } from '../../shared/simulation/run/scenario';
import { knobGrid, sweepKnobs } from '../../shared/simulation/run/sweep-knobs';
import { benchArgs } from './lib/bench-args';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const DATA_DIR = path.resolve(__dirname, '../../../shared/data');
const NAB_DIR = path.join(DATA_DIR, 'nab', 'realAWSCloudwatch');
const TAXI = path.join(DATA_DIR, 'nab', 'realKnownCause', 'nyc_taxi.csv');

interface Args {
  traces: string[];
  json?: string;
  report: string;
  seed: number;
  days?: number;
  warmupDays?: number;
  peakInstances: number;
  prescaleStepSeconds: 300 | 3600;
  targets?: number[];
  prescaleTargets?: number[];
  prescaleCappedTargets?: number[];
  prescaleQuantileCap?: number;
  prescaleRecurringPeakTargets?: number[];
  planningQuantile?: number;
  prescaleDefaults?: Record<string, unknown>;
  mergeDuplicates: boolean;
  prescaleHistory: PrescaleHistorySource;
}

const HELP = `Cost/SLO frontier benchmark: sweeps each policy's own knob per trace and compares the Pareto frontiers.
Usage: npm run bench:frontier -- [options]
  --trace FILE              a trace CSV (repeatable); default: every NAB realAWSCloudwatch series and nyc_taxi
  --days N                  days evaluated per trace (the sweep's cost grows with it; 1 keeps runs bounded)
  --warmup-days N           days of history before the evaluated window
  --peak-instances N        rescale each trace so its peak needs N instances at the SLO (default 40)
  --seed N                  simulation seed (default 1)
  --prescale-step 300|3600  Prescale's forecast step, seconds (default 300, the product's)
  --targets LIST            reactive and ec2-predictive target utilisations, % (default 40,50,60,70,80)
  --prescale-targets LIST   Prescale target utilisations, % (default 35,40,45,50,55,56,57,58,59,60,60.5,61,62,65,69,70,72,75,80,85,90,95)
  --prescale-capped-targets LIST|none
                            Prescale targets run again with the planning quantile capped (the
                            prescale:planning-quantile-max tag), % (default 70,72,75,77)
  --prescale-quantile-cap Q the cap of those runs, 0.5 < Q < 1 (default 0.55)
  --prescale-recurring-peak-targets LIST|none
                            Prescale targets run again with the group opted in to the recurring
                            peak's instance (the prescale:recurring-peak-days tag at 7; labelled
                            "target N %, recurring peak"), % (default 56,65,80)
  --planning-quantile Q     pin Prescale's planning quantile to Q (0.5 < Q < 1; min = start = max = Q)
                            instead of the SLO-budget controller's 0.55–0.99 (one quantile per process)
  --prescale-defaults JSON  settings merged into Prescale's configuration defaults for every run, e.g.
                            '{"scaleInAhead":false}' (validated by the product's schema when the handlers start)
  --json FILE               write the points and verdicts as JSON
  --report FILE.html        the HTML report (default reports/frontier.html)
  --merge-duplicates        merge duplicate timestamps of a trace (on by default)
  --prescale-history SOURCE where Prescale reads the load history: cloudwatch-cpu (default; the cpu
                            metric kind), cloudwatch-alb (alb-requests: request count per target ×
                            healthy hosts, targets in requests per step), cloudwatch-custom (the
                            offered-load metric, stat Average) or timestream (a table mirroring it)
  --help                    this text`;

const positive = (text: string, flag: string) => {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} expects a positive number, got ${text}`);
  return n;
};
const list = (text: string, flag: string) => text.split(',').map((t) => positive(t, flag));
const quantile = (text: string, flag: string) => {
  const q = Number(text);
  if (!(q > 0.5 && q < 1)) throw new Error(`${flag} expects a number in (0.5, 1), got ${text}`);
  return q;
};

/** The command line (`util.parseArgs` through `benchArgs`: `--help` exits 0), values checked. */
function frontierArgs(): Args {
  const v = benchArgs(HELP, {
    trace: { type: 'string', multiple: true },
    json: { type: 'string' },
    report: { type: 'string' },
    seed: { type: 'string' },
    days: { type: 'string' },
    'warmup-days': { type: 'string' },
    'peak-instances': { type: 'string' },
    'prescale-step': { type: 'string' },
    targets: { type: 'string' },
    'prescale-targets': { type: 'string' },
    'prescale-capped-targets': { type: 'string' },
    'prescale-quantile-cap': { type: 'string' },
    'prescale-recurring-peak-targets': { type: 'string' },
    'planning-quantile': { type: 'string' },
    'prescale-defaults': { type: 'string' },
    'merge-duplicates': { type: 'boolean' },
    'prescale-history': { type: 'string' },
  });
  const step = v['prescale-step'] ?? '300';
  if (step !== '300' && step !== '3600') throw new Error(`--prescale-step expects 300 or 3600, got ${step}`);
  let prescaleDefaults: Record<string, unknown> | undefined;
  if (v['prescale-defaults'] !== undefined) {
    const parsed: unknown = JSON.parse(v['prescale-defaults']);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`--prescale-defaults expects a JSON object, got ${v['prescale-defaults']}`);
    prescaleDefaults = parsed as Record<string, unknown>;
  }
  const capped = v['prescale-capped-targets'];
  const recurringPeak = v['prescale-recurring-peak-targets'];
  return {
    traces: v.trace ?? [],
    ...(v.json !== undefined ? { json: v.json } : {}),
    report: v.report ?? 'reports/frontier.html',
    seed: v.seed !== undefined ? positive(v.seed, '--seed') : 1,
    ...(v.days !== undefined ? { days: positive(v.days, '--days') } : {}),
    ...(v['warmup-days'] !== undefined ? { warmupDays: positive(v['warmup-days'], '--warmup-days') } : {}),
    peakInstances: v['peak-instances'] !== undefined ? positive(v['peak-instances'], '--peak-instances') : 40,
    prescaleStepSeconds: Number(step) as 300 | 3600,
    ...(v.targets !== undefined ? { targets: list(v.targets, '--targets') } : {}),
    ...(v['prescale-targets'] !== undefined
      ? { prescaleTargets: list(v['prescale-targets'], '--prescale-targets') }
      : {}),
    ...(capped !== undefined
      ? { prescaleCappedTargets: capped === 'none' ? [] : list(capped, '--prescale-capped-targets') }
      : {}),
    ...(v['prescale-quantile-cap'] !== undefined
      ? { prescaleQuantileCap: quantile(v['prescale-quantile-cap'], '--prescale-quantile-cap') }
      : {}),
    ...(recurringPeak !== undefined
      ? {
          prescaleRecurringPeakTargets:
            recurringPeak === 'none' ? [] : list(recurringPeak, '--prescale-recurring-peak-targets'),
        }
      : {}),
    ...(v['planning-quantile'] !== undefined
      ? { planningQuantile: quantile(v['planning-quantile'], '--planning-quantile') }
      : {}),
    ...(prescaleDefaults ? { prescaleDefaults } : {}),
    // Duplicate timestamps are merged whether or not the flag is given (it documents the default).
    mergeDuplicates: true,
    prescaleHistory: parsePrescaleHistorySource(v['prescale-history'] ?? 'cloudwatch-cpu'),
  };
}

function defaultTraces():
  | { label: string; options: Partial<ScenarioOptions> & { traceFile: string } }[]
  | undefined {
  if (!existsSync(NAB_DIR)) return undefined;
  const nab = readdirSync(NAB_DIR)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((file) => ({ label: file.replace(/\.csv$/, ''), options: { traceFile: path.join(NAB_DIR, file) } }));
  const taxi = {
    label: 'nyc_taxi (2014-10-20 → 11-10)',
    options: { traceFile: TAXI, startIso: '2014-10-20T00:00:00Z', warmupDays: 7, days: 14 },
  };
  return [...nab, ...(existsSync(TAXI) ? [taxi] : [])];
}

function progress() {
  if (!process.stderr.isTTY) {
    return {
      update: (_done: number, _total: number, _label: string) => undefined,
      stop: () => undefined,
    };
  }
  const { SingleBar, Presets } = require('cli-progress') as typeof import('cli-progress');
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: '{trace} {label} [{bar}] {percentage}% | {value}/{total} runs | {duration}s',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done: number, total: number, label: string) => {
      if (!started) {
        bar.start(total, 0, { trace: '', label });
        started = true;
      }
      bar.setTotal(total);
      bar.update(Math.round(done * 100) / 100, { label });
    },
    stop: () => bar.stop(),
  };
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

const pct = (x: number | undefined) =>
  x === undefined ? 'n/r' : Number.isFinite(x) ? `${(100 * x).toFixed(0)} %` : '–';

/** The per-trace table for docs/BENCHMARKS.md. */
function markdownTable(traces: readonly FrontierTrace[]): string {
  const rows = traces.map((t) => {
    const verdict = (rival: string) => {
      const r = t.comparison.rivals.find((c) => c.rival === rival);
      if (!r) return '–';
      const escaped = r.verdict.undominated.map((p) =>
        p.knob.replace('target ', '').replace(', buffer ', '/'),
      );
      return r.verdict.dominatesAll ? '✓' : `✗ ${escaped.join('; ')}`;
    };
    const saved = (rival: string) => {
      const g = t.comparison.rivals.find((c) => c.rival === rival)?.gap;
      return g && g.comparedPoints > 0 ? g.meanSavedMinutes.toFixed(0) : 'n/r';
    };
    const m = t.comparison.matchedCost;
    const p = t.points.find((x) => x.policy === 'prescale' && x.isDefault);
    const r = t.points.find((x) => x.policy === 'reactive' && x.isDefault);
    const defaults =
      p && r
        ? `${pct(p.instanceHours / r.instanceHours)} h, ${p.sloViolationMinutes} / ${r.sloViolationMinutes} min${t.comparison.defaultsWorseOnBoth ? ' ✗' : ''}`
        : '–';
    return `| ${t.name} | ${t.evaluatedDays.toFixed(1)} | ${verdict('reactive')} | ${verdict('ec2-predictive')} | ${saved('reactive')} / ${saved('ec2-predictive')} | ${m ? `${m.prescaleSloMinutes === undefined ? 'n/r' : m.prescaleSloMinutes.toFixed(0)} / ${m.reactiveSloMinutes} (${pct(m.ratio)}); ≤ +2 %: ${pct(m.withinTolerance.ratio)}` : '–'} | ${defaults} |`;
  });
  return [
    '| trace | days | Prescale dominates reactive (✗: its points not dominated) | … ec2-predictive | SLO min saved at equal cost vs reactive / ec2 | SLO min at reactive-default cost, Prescale / reactive (ratio; ratio at up to 2 % more cost) | defaults: Prescale inst-h vs reactive, SLO min Prescale / reactive |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

async function main(): Promise<void> {
  const args = frontierArgs();
  const cases =
    args.traces.length > 0
      ? args.traces.map((t) => ({ label: path.basename(t).replace(/\.csv$/, ''), options: { traceFile: t } }))
      : defaultTraces();
  if (!cases) {
    console.log(
      `Frontier benchmark skipped: ${NAB_DIR} is absent (the team data folder ../shared/data is not checked out); pass --trace FILE.`,
    );
    return;
  }
  const started = performance.now();
  const base = prescaleConfig({
    targetLoadPerInstance: SCENARIO_DEFAULTS.targetLoadPerInstance,
    prescaleStepSeconds: args.prescaleStepSeconds,
    prescaleHistory: args.prescaleHistory,
  });
  const q = args.planningQuantile;
  const config = {
    ...base,
    defaults: {
      ...base.defaults,
      ...(q === undefined ? {} : { planningQuantile: q, planningQuantileMin: q, planningQuantileMax: q }),
      ...args.prescaleDefaults,
    },
  };
  const lambdas = await PrescaleLambdas.start(config);
  const traces: FrontierTrace[] = [];
  try {
    for (const c of cases) {
      const scenario = buildScenario({
        seed: args.seed,
        mergeDuplicates: args.mergeDuplicates,
        peakInstances: args.peakInstances,
        prescaleStepSeconds: args.prescaleStepSeconds,
        prescaleHistory: args.prescaleHistory,
        ...(args.days !== undefined ? { days: args.days } : {}),
        ...(args.warmupDays !== undefined ? { warmupDays: args.warmupDays } : {}),
        ...c.options,
      });
      const grid = knobGrid(scenario, {
        ...(args.targets ? { targetsPct: args.targets } : {}),
        ...(args.prescaleTargets ? { prescaleTargetsPct: args.prescaleTargets } : {}),
        ...(args.prescaleCappedTargets ? { prescaleCappedTargetsPct: args.prescaleCappedTargets } : {}),
        ...(args.prescaleQuantileCap !== undefined ? { prescaleQuantileCap: args.prescaleQuantileCap } : {}),
        ...(args.prescaleRecurringPeakTargets
          ? { prescaleRecurringPeakTargetsPct: args.prescaleRecurringPeakTargets }
          : {}),
      });
      const bar = progress();
      const t0 = performance.now();
      const points = await sweepKnobs(scenario, grid, {
        prescale: lambdas,
        onProgress: (done, total, label) => bar.update(done, total, `${c.label}: ${label}`),
      });
      bar.stop();
      const comparison = compareFrontiers(points);
      const evaluatedDays = (scenario.evalEndMs - scenario.evalStartMs) / 86_400_000;
      traces.push({ name: c.label, evaluatedDays, points, comparison });
      if (args.json) writeJson(args.json, { description: 'partial: traces done so far', traces });
      const rival = (name: string) => comparison.rivals.find((r) => r.rival === name);
      console.log(
        `${c.label.padEnd(44)} dominates reactive ${rival('reactive')?.verdict.dominatesAll ? 'yes' : 'no '} ec2 ${rival('ec2-predictive')?.verdict.dominatesAll ? 'yes' : 'no '}  saves ${rival('reactive')?.gap.meanSavedMinutes.toFixed(0)} / ${rival('ec2-predictive')?.gap.meanSavedMinutes.toFixed(0)} min  matched-cost SLO ${pct(comparison.matchedCost?.ratio)} (≤ +2 %: ${pct(comparison.matchedCost?.withinTolerance.ratio)})  defaults worse on both: ${comparison.defaultsWorseOnBoth ? 'YES' : 'no'}  ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
    }
  } finally {
    await lambdas.stop();
  }
  const quantileNote = `${q === undefined ? '' : `, planning quantile pinned at ${q}`}${args.prescaleDefaults ? `, Prescale defaults ${JSON.stringify(args.prescaleDefaults)}` : ''}`;
  const historyNote = `, Prescale history ${args.prescaleHistory}`;
  const description = `Seed ${args.seed}, peak ${args.peakInstances} instances at ${SCENARIO_DEFAULTS.targetLoadPerInstance} % CPU (the SLO), Prescale forecast step ${args.prescaleStepSeconds} s${quantileNote}${historyNote}; ${((performance.now() - started) / 60_000).toFixed(1)} min.`;
  if (args.json) {
    writeJson(args.json, { description, traces });
    console.log(`JSON written to ${path.resolve(args.json)}`);
  }
  console.log(`\n${markdownTable(traces)}`);
  const echarts = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  const reportPath = path.resolve(args.report);
  mkdirSync(path.dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, renderFrontierReport(traces, echarts, description, new Date().toISOString()));
  console.log(`Report: ${reportPath}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
