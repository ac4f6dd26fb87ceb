/**
 * Scaling benchmark: every NAB realAWSCloudwatch series (treated as load) and nyc_taxi, all
 * policies on the simulated AWS; prints a table and writes it into the `## Scaling` section of
 * docs/BENCHMARKS.md, between `<!-- bench:scaling:begin -->` and `<!-- bench:scaling:end -->`
 * (the section's other text is hand-written and stays). Run: npx tsx test/bench/scaling.ts [--only SUBSTRING] [--no-write] [--peak-instances N (40)] [--workers N]
 * [--metric-delay N] (options: lib/scaling-args.ts)
 * Targets (Prescale vs reactive and oracle): SLO-violation minutes ≤ 25 % of reactive's at
 * ≤ 110 % of its instance-hours, and cost within 15 % of the oracle's.
 */

import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { evaluationSummary } from '../../shared/simulation/report/evaluation-summary';
import { buildScenario, type ScenarioOptions } from '../../shared/simulation/run/build-scenario';
import { POLICY_NAMES } from '../../shared/simulation/run/policy-name';
import type { PolicySummary } from '../../shared/simulation/run/policy-run';
import { runPolicyJobs } from '../../shared/simulation/run/run-policy-jobs';
import { SCENARIO_DEFAULTS } from '../../shared/simulation/run/scenario';
import { benchArgs, benchOnly } from './lib/bench-args';
import { NYC_TAXI_START_LABEL, NYC_TAXI_WINDOW } from './lib/nyc-taxi-window';
import { replaceGeneratedBlock } from './lib/replace-generated-block';
import {
  SCALING_OPTIONS,
  SCALING_USAGE,
  type ScalingArgs,
  scalingArgs,
  scalingScenarioOptions,
} from './lib/scaling-args';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const DATA_DIR = path.resolve(__dirname, '../../../shared/data');
const NAB_DIR = path.join(DATA_DIR, 'nab', 'realAWSCloudwatch');
const TAXI = path.join(DATA_DIR, 'nab', 'realKnownCause', 'nyc_taxi.csv');
const BENCH_FILE = path.resolve(__dirname, '../../docs/BENCHMARKS.md');
const SEED = 1;

let parsed: ScalingArgs;
try {
  parsed = scalingArgs(benchArgs(SCALING_USAGE, SCALING_OPTIONS));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${SCALING_USAGE}`);
  process.exit(2);
}
const { only, peakInstances, workers, metricDelayMinutes, deregistrationDelaySeconds } = parsed;

interface TraceCase {
  readonly label: string;
  readonly options: ScenarioOptions;
}

interface Row {
  readonly label: string;
  readonly evalDays: number;
  readonly policies: readonly PolicySummary[];
  readonly sloRatio: number;
  readonly hoursRatio: number;
  readonly costVsOracle: number;
  /** Wall seconds of the trace's policy runs added up (they run in parallel with other traces'). */
  readonly wallSeconds: number;
}

function machine(): string {
  const cpuInfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /model name\s*:\s*(.*)/.exec(cpuInfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let nproc = String(cpus().length);
  try {
    nproc = execSync('nproc').toString().trim();
  } catch {
    // nproc is not everywhere; the CPU count from Node is close enough.
  }
  return `nproc ${nproc}, ${model}, Node ${process.version}`;
}

/** Every trace the section records, nyc_taxi when its file is there. */
function cases(): TraceCase[] {
  // Files with repeated timestamps (a clock change in the export) are read with duplicates averaged.
  const nab = readdirSync(NAB_DIR)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((file) => ({
      label: file.replace(/\.csv$/, ''),
      options: { seed: SEED, traceFile: path.join(NAB_DIR, file), mergeDuplicates: true, peakInstances },
    }));
  // nyc_taxi spans 7 months at 30 min: two weeks of history, then two around the NYC marathon (Nov 2).
  const taxi = {
    label: `nyc_taxi (${NYC_TAXI_START_LABEL} → 11-10)`,
    options: { seed: SEED, traceFile: TAXI, ...NYC_TAXI_WINDOW, peakInstances },
  };
  return [...nab, ...(existsSync(TAXI) ? [taxi] : [])];
}

/**
 * Why the run's table is not the recorded one (a subset of traces, another peak, a delay, a
 * drain, nyc_taxi missing), or undefined when it is: the recorded table is rewritten only by a run
 * of the whole set as recorded.
 */
function notRecorded(): string | undefined {
  const reasons = [
    ...(parsed.notRecorded !== undefined ? [parsed.notRecorded] : []),
    ...(existsSync(TAXI) ? [] : [`${TAXI} is absent`]),
  ];
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const by = (policies: readonly PolicySummary[], name: string) =>
  policies.find((p) => p.name === name) as PolicySummary;

function verdict(r: Row): string {
  const slo = r.sloRatio <= 0.25;
  const hours = r.hoursRatio <= 1.1;
  const cost = r.costVsOracle <= 1.15;
  return `${slo ? '✓' : '✗'} SLO ${hours ? '✓' : '✗'} h ${cost ? '✓' : '✗'} $`;
}

function markdown(rows: readonly Row[], totalSeconds: number): string {
  const command = `npx tsx test/bench/scaling.ts${only ? ` --only ${only}` : ''}${peakInstances !== 40 ? ` --peak-instances ${peakInstances}` : ''}${metricDelayMinutes !== undefined ? ` --metric-delay ${metricDelayMinutes}` : ''}${deregistrationDelaySeconds !== undefined ? ` --deregistration-delay ${deregistrationDelaySeconds}` : ''}`;
  const lines = [
    `Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Command: \`${command}\` (${(totalSeconds / 60).toFixed(1)} min).`,
    '',
    `Every series of \`../shared/data/nab/realAWSCloudwatch\` treated as load, and \`nyc_taxi.csv\` (NAB, MIT licence, Copyright 2014-2024 Numenta Inc.; see its README), replayed on the simulated AWS (shared/simulation) with seed ${SEED}. Each trace is resampled to one minute and rescaled so its peak needs ${peakInstances} instances at the target (${SCENARIO_DEFAULTS.targetLoadPerInstance} % CPU); the first half (at most 7 days; nyc_taxi 14, \`historyDays\`'s default) is history seeded into CloudWatch, the rest is evaluated. ${SCENARIO_DEFAULTS.instanceType}, launch ${SCENARIO_DEFAULTS.launchDelaySeconds} s + up to ${SCENARIO_DEFAULTS.launchJitterSeconds} s, warmup ${SCENARIO_DEFAULTS.warmupSeconds} s. \`prescale\` is the real handlers every 5 min (forecast step ${SCENARIO_DEFAULTS.prescaleStepSeconds} s) **with** the group's target-tracking policy; \`reactive\` is that target tracking alone. Metric definitions: docs/evaluation.md.`,
    '',
    "Targets: Prescale SLO-violation minutes ≤ 25 % of reactive's, at ≤ 110 % of reactive's instance-hours, and cost within 15 % of the oracle.",
    '',
    `| trace | days | SLO min prescale / reactive / ec2-pred / oracle | SLO ratio | inst-h ratio | cost vs oracle | τU % prescale / reactive | θO % prescale / reactive | forecast MAE % (MASE) prescale next ${SCENARIO_DEFAULTS.prescaleStepSeconds / 60}-min step / ec2-pred hourly, 1–6 h ahead | targets |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const p = by(r.policies, 'prescale');
      const re = by(r.policies, 'reactive');
      const ec2 = by(r.policies, 'ec2-predictive');
      const o = by(r.policies, 'oracle');
      const fc = (s: PolicySummary) =>
        s.forecast ? `${f(s.forecast.maePct)} (${f(s.forecast.mase, 2)})` : '–';
      return `| ${r.label} | ${f(r.evalDays)} | ${p.sloViolationMinutes} / ${re.sloViolationMinutes} / ${ec2.sloViolationMinutes} / ${o.sloViolationMinutes} | ${pct(r.sloRatio)} | ${pct(r.hoursRatio)} | ${pct(r.costVsOracle)} | ${f(p.tauU, 2)} / ${f(re.tauU, 2)} | ${f(p.thetaO)} / ${f(re.thetaO)} | ${fc(p)} / ${fc(ec2)} | ${verdict(r)} |`;
    }),
    '',
  ];
  const met = rows.filter((r) => r.sloRatio <= 0.25 && r.hoursRatio <= 1.1 && r.costVsOracle <= 1.15).length;
  lines.push(
    `All three targets met on ${met} of ${rows.length} traces. SLO ratio = prescale / reactive SLO-violation minutes (a trace where reactive has none counts as met only if prescale has none either).`,
    '',
  );
  return lines.join('\n');
}

/** Replaces the generated block of the `## Scaling` section; its hand-written notes stay. */
function writeSection(section: string): void {
  const existing = existsSync(BENCH_FILE) ? readFileSync(BENCH_FILE, 'utf8') : '# Benchmarks\n';
  writeFileSync(
    BENCH_FILE,
    replaceGeneratedBlock(existing, { heading: '## Scaling', name: 'scaling', text: section }),
  );
}

async function main(): Promise<void> {
  if (!existsSync(NAB_DIR)) {
    console.log(
      `Scaling benchmark skipped: ${NAB_DIR} is absent (the team data folder ../shared/data is not checked out).`,
    );
    return;
  }
  const all = cases();
  const selected = benchOnly(
    all.map((c) => c.label),
    only,
    SCALING_USAGE,
  );
  const partial = notRecorded();
  const write = parsed.write && partial === undefined;
  if (partial !== undefined)
    console.log(
      `Not the recorded configuration (${partial}): the table is printed and docs/BENCHMARKS.md is left as it is\n`,
    );
  const started = performance.now();
  const traces = all
    .filter((c) => selected.has(c.label))
    .map((c) => ({
      ...c,
      scenario: buildScenario(scalingScenarioOptions(parsed, c.options)),
    }));
  const jobs = traces.flatMap((t) => POLICY_NAMES.map((policy) => ({ scenario: t.scenario, policy })));
  let finished = 0;
  const results = await runPolicyJobs(jobs, {
    workers,
    onDone: (job) => {
      finished += 1;
      const { policy, scenario } = jobs[job] as (typeof jobs)[number];
      console.log(
        `  ${finished}/${jobs.length} ${policy} on ${path.basename(scenario.source)} done (${((performance.now() - started) / 60_000).toFixed(1)} min)`,
      );
    },
  });
  const rows: Row[] = traces.map((t, i) => {
    const mine = results.slice(i * POLICY_NAMES.length, (i + 1) * POLICY_NAMES.length);
    const { scenario } = t;
    const policies = evaluationSummary({ scenario, runs: mine.map((r) => r.run), wallSeconds: {} }).policies;
    const p = by(policies, 'prescale');
    const re = by(policies, 'reactive');
    const o = by(policies, 'oracle');
    const row: Row = {
      label: t.label,
      evalDays: (scenario.evalEndMs - scenario.evalStartMs) / 86_400_000,
      policies,
      sloRatio:
        re.sloViolationMinutes === 0
          ? p.sloViolationMinutes === 0
            ? 0
            : Number.POSITIVE_INFINITY
          : p.sloViolationMinutes / re.sloViolationMinutes,
      hoursRatio: p.instanceHours / re.instanceHours,
      costVsOracle: p.costUsd / o.costUsd,
      wallSeconds: mine.reduce((sum, r) => sum + r.wallSeconds, 0),
    };
    console.log(
      `${t.label.padEnd(44)} SLO ${String(p.sloViolationMinutes).padStart(5)} vs ${String(re.sloViolationMinutes).padStart(5)} (${pct(row.sloRatio).padStart(6)})  inst-h ${pct(row.hoursRatio).padStart(5)}  cost/oracle ${pct(row.costVsOracle).padStart(5)}  ${verdict(row)}  ${row.wallSeconds.toFixed(0)} s`,
    );
    return row;
  });
  const section = markdown(rows, (performance.now() - started) / 1000);
  if (write) {
    writeSection(section);
    console.log(`\nWrote the generated block of the Scaling section of ${BENCH_FILE}`);
  } else console.log(`\n${section}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
