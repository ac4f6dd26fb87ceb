import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TraceFormatError } from './load/trace-format-error';
import { CLI_HELP, type CliOptions, CliUsageError, parseCliArgs } from './parse-cli-args';
import { evaluationSummary } from './report/evaluation-summary';
import { formatResultsTable } from './report/format-results-table';
import { renderHtmlReport } from './report/render-html-report';
import { buildScenario, type ScenarioOptions } from './run/build-scenario';
import { evaluatePolicies } from './run/evaluate-policies';
import type { Scenario } from './run/scenario';
import { instanceTypeSpec } from './world/instance-types';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Creates a progress bar on stderr when it is a terminal; otherwise a no-op. */
function progressBar(total: number) {
  if (!process.stderr.isTTY)
    return { update: (_value: number, _policy: string) => undefined, stop: () => undefined };
  const { SingleBar, Presets } = require('cli-progress') as typeof import('cli-progress');
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: 'simulating {policy} [{bar}] {percentage}% | {value}/{total} policy-days | {duration}s',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { policy: '' });
  return { update: (value: number, policy: string) => bar.update(value, { policy }), stop: () => bar.stop() };
}

/** The scenario the command line asks for (a flag left out keeps the scenario's default). */
function scenarioOptions(options: CliOptions): ScenarioOptions {
  return {
    seed: options.seed,
    ...(options.traceFile !== undefined ? { traceFile: options.traceFile } : {}),
    ...(options.days !== undefined ? { days: options.days } : {}),
    ...(options.warmupDays !== undefined ? { warmupDays: options.warmupDays } : {}),
    ...(options.startIso !== undefined ? { startIso: options.startIso } : {}),
    ...(options.peakInstances !== undefined ? { peakInstances: options.peakInstances } : {}),
    ...(options.prescaleStepSeconds !== undefined
      ? { prescaleStepSeconds: options.prescaleStepSeconds }
      : {}),
    ...(options.instanceType !== undefined ? { instanceType: options.instanceType } : {}),
    ...(options.metricDelayMinutes !== undefined ? { metricDelayMinutes: options.metricDelayMinutes } : {}),
    ...(options.deregistrationDelaySeconds !== undefined
      ? { deregistrationDelaySeconds: options.deregistrationDelaySeconds }
      : {}),
    mergeDuplicates: options.mergeDuplicates,
    warmPool: options.warmPool,
    planForDailyPeaks: options.planForDailyPeaks,
  };
}

/** The window's start and what the command line changed of the world every policy runs in. */
function scenarioSettings(scenario: Scenario): string {
  const delay = scenario.metricDelayMinutes ? `, CloudWatch ${scenario.metricDelayMinutes} min late` : '';
  const drain = scenario.deregistrationDelaySeconds
    ? `, scaled-in instances draining ${scenario.deregistrationDelaySeconds} s`
    : '';
  return `${new Date(scenario.evalStartMs).toISOString()}${delay}${drain}`;
}

/** `npm start`: parse the command line, run the evaluation, print the table, write JSON and HTML. */
async function main(argv: readonly string[]): Promise<number> {
  const options = parseCliArgs(argv);
  if (options === 'help') {
    console.log(CLI_HELP);
    return 0;
  }
  if (options.instanceType) instanceTypeSpec(options.instanceType);
  const scenario = buildScenario(scenarioOptions(options));
  const days = (scenario.evalEndMs - scenario.evalStartMs) / 86_400_000;
  const total = Math.round(days * options.policies.length * 100) / 100;
  const bar = progressBar(total);
  const doneByPolicy = new Map<string, number>();
  const started = performance.now();
  const evaluation = await evaluatePolicies(scenario, {
    policies: options.policies,
    workers: options.workers,
    onProgress: (policy, done) => {
      doneByPolicy.set(policy, done);
      const sum = [...doneByPolicy.values()].reduce((a, b) => a + b, 0);
      bar.update(Math.round(sum * days * 100) / 100, policy);
    },
  });
  bar.stop();
  const summary = evaluationSummary(evaluation);
  console.log(`${scenario.source}: ${days.toFixed(1)} days evaluated from ${scenarioSettings(scenario)}`);
  console.log(formatResultsTable(summary.policies));
  for (const run of evaluation.runs)
    if (run.notes.length > 0) console.log(`  ${run.summary.name}: ${run.notes.join('; ')}`);
  console.log(
    "  prescale runs together with the group's target-tracking policy (Prescale raises the floor).",
  );
  if (scenario.metricDelayMinutes && !scenario.deregistrationDelaySeconds) {
    console.log(
      "  target tracking's alarm reads the late data too; as on AWS it scales in again before its last scale-in shows unless the instances it took out are still terminating, and here they are gone at once (no --deregistration-delay): its figures under a delay are not a claim (docs/evaluation.md, Late CloudWatch data).",
    );
  }
  if (options.jsonFile) {
    mkdirSync(path.dirname(path.resolve(options.jsonFile)), { recursive: true });
    writeFileSync(options.jsonFile, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`JSON written to ${path.resolve(options.jsonFile)}`);
  }
  const echarts = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  const reportPath = path.resolve(options.reportFile);
  mkdirSync(path.dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, renderHtmlReport(evaluation, echarts, new Date().toISOString()));
  console.log(`Report: ${reportPath}`);
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliUsageError || error instanceof TraceFormatError || error instanceof RangeError) {
      console.error(`error: ${(error as Error).message}`);
      process.exitCode = 2;
      return;
    }
    console.error(error);
    process.exitCode = 1;
  },
);
