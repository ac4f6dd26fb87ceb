/**
 * What one process keeps across a sweep's runs: runs Prescale again and again in one process, as
 * a `bench:frontier` worker does (one `PrescaleLambdas`, a fresh world per run, a target per run),
 * and prints after each run its wall time, the SLO minutes, and the process's memory after a full
 * garbage collection (heap used, array buffers) and its resident set. Memory that grows run after
 * run is kept by something across worlds; a worker runs hundreds of runs.
 *
 * Run: npm run bench:sweep-memory -- --trace FILE [--runs N] [--days N]
 *   (node's --expose-gc is set by the npm script; without it the figures are before collection)
 */
import path from 'node:path';
import { parseDays, parseWholeNumber } from '../../shared/simulation/parse-cli-args';
import { buildScenario, MIN_EVALUATED_MINUTES } from '../../shared/simulation/run/build-scenario';
import { prescaleConfig } from '../../shared/simulation/run/prescale-config';
import { PrescaleLambdas } from '../../shared/simulation/run/prescale-lambdas';
import { runPolicy } from '../../shared/simulation/run/run-policy';
import { benchArgs, benchValue } from './lib/bench-args';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run bench:sweep-memory -- --trace FILE [--runs N] [--days N]

  --trace FILE  a trace CSV
  --runs N      Prescale runs in the process, each at the next target from 50 % (default 20)
  --days N      days evaluated per run, after a day's burn-in, at least an hour (default 1)`;
const args = benchArgs(USAGE, {
  trace: { type: 'string' },
  runs: { type: 'string', default: '20' },
  days: { type: 'string', default: '1' },
});

const MB = 1e6;

async function main(): Promise<void> {
  if (!args.trace) throw new Error('--trace: expected a trace CSV');
  const runs = benchValue(
    () => parseWholeNumber('--runs', args.runs, { noun: 'a whole number', min: 1 }),
    USAGE,
  );
  const days = benchValue(() => parseDays('--days', args.days, MIN_EVALUATED_MINUTES), USAGE);
  const scenario = buildScenario({
    traceFile: path.resolve(args.trace),
    seed: 1,
    mergeDuplicates: true,
    peakInstances: 40,
    days,
    burnInMinutes: 1440,
  });
  const lambdas = await PrescaleLambdas.start(prescaleConfig(scenario));
  const gc = (globalThis as { gc?: () => void }).gc;
  console.log(
    `run | target % | wall s | SLO min | heap MB | array buffers MB | RSS MB${gc ? '' : ' (no --expose-gc)'}`,
  );
  let maxRss = 0;
  const started = Date.now();
  for (let i = 0; i < runs; i += 1) {
    const t = Date.now();
    const targetPct = 50 + (i % 20);
    const run = await runPolicy('prescale', scenario, {
      knobs: { targetPct },
      prescale: lambdas,
      failOnPrescaleErrors: true,
    });
    const wall = (Date.now() - t) / 1000;
    gc?.();
    const m = process.memoryUsage();
    maxRss = Math.max(maxRss, m.rss);
    console.log(
      [i + 1, targetPct, wall.toFixed(2), run.summary.sloViolationMinutes]
        .concat([m.heapUsed, m.arrayBuffers, m.rss].map((b) => (b / MB).toFixed(0)))
        .join(' | '),
    );
  }
  console.log(
    `${runs} runs in ${((Date.now() - started) / 1000).toFixed(1)} s, largest RSS ${(maxRss / MB).toFixed(0)} MB`,
  );
  await lambdas.stop();
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
