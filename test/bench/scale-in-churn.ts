/**
 * Predictive scale-in against warming launches: runs Prescale alone on each trace (the frontier's
 * scenario: seed 1, peak 40 instances at the SLO, 7 days of history) and counts, from its run
 * records and the per-minute samples, the runs that lowered DesiredCapacity while instances were
 * still warming (billed but not ready the minute before), the ready instances those runs took
 * away, and the SLO minutes in the 10 minutes after them.
 *
 * Run: npx tsx test/bench/scale-in-churn.ts --trace FILE [--trace FILE ...] [--days N] [--target PCT]
 *   (npm run bench:scale-in-churn)
 */
import path from 'node:path';
import type { RunRecord } from '../../shared/ports/state-store';
import { parseDays, parsePositiveDecimal } from '../../shared/simulation/parse-cli-args';
import { buildScenario, MIN_EVALUATED_MINUTES } from '../../shared/simulation/run/build-scenario';
import type { RunSamples } from '../../shared/simulation/run/policy-run';
import { prescaleConfig } from '../../shared/simulation/run/prescale-config';
import { PrescaleLambdas } from '../../shared/simulation/run/prescale-lambdas';
import { runPolicy } from '../../shared/simulation/run/run-policy';
import type { Scenario } from '../../shared/simulation/run/scenario';
import { SCENARIO_DEFAULTS } from '../../shared/simulation/run/scenario';
import { benchArgs, benchValue } from './lib/bench-args';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const MINUTE_MS = 60_000;
const AFTER_MINUTES = 10;

const USAGE = `Usage: npx tsx test/bench/scale-in-churn.ts --trace FILE [--trace FILE ...] [--days N] [--target PCT]

  --trace FILE  a trace CSV (repeatable, at least one)
  --days N      days evaluated per trace, at least an hour (default 1)
  --target PCT  Prescale's target load per instance, % (default 60, the SLO)`;
const args = benchArgs(USAGE, {
  trace: { type: 'string', multiple: true, default: [] },
  days: { type: 'string', default: '1' },
  target: { type: 'string', default: '60' },
});
const days = benchValue(() => parseDays('--days', args.days, MIN_EVALUATED_MINUTES), USAGE);
const targetPct = benchValue(() => parsePositiveDecimal('--target', args.target), USAGE);

/** Per trace: the runs that lowered DesiredCapacity and what those made while launches warmed did. */
function churn(scenario: Scenario, samples: RunSamples, records: readonly RunRecord[]) {
  let lowered = 0;
  let loweredWhileWarming = 0;
  let readyRemoved = 0;
  const violating = samples.load.map(
    (load, k) => load > (samples.supply[k] as number) * scenario.targetLoadPerInstance,
  );
  const minutesAfter = new Set<number>();
  for (const r of records) {
    const o = r.outcome;
    if (o.kind !== 'applied' || o.after.desiredCapacity >= o.before.desiredCapacity) continue;
    // The run acts at the start of its minute, before that minute is sampled.
    const k = Math.round((r.tickMs - scenario.evalStartMs) / MINUTE_MS);
    if (k < 1 || k >= samples.supply.length) continue;
    lowered += 1;
    const warming = (samples.billed[k - 1] as number) - (samples.supply[k - 1] as number);
    if (warming <= 0) continue;
    loweredWhileWarming += 1;
    readyRemoved += Math.max(0, (samples.supply[k - 1] as number) - (samples.supply[k] as number));
    for (let j = k; j < Math.min(k + AFTER_MINUTES, violating.length); j += 1)
      if (violating[j]) minutesAfter.add(j);
  }
  return { lowered, loweredWhileWarming, readyRemoved, sloMinutesAfter: minutesAfter.size };
}

async function main(): Promise<void> {
  if (args.trace.length === 0) {
    console.error('at least one --trace FILE is needed');
    process.exit(2);
  }
  const base = prescaleConfig({
    targetLoadPerInstance: SCENARIO_DEFAULTS.targetLoadPerInstance,
    prescaleStepSeconds: 300,
  });
  const lambdas = await PrescaleLambdas.start(base);
  try {
    for (const file of args.trace) {
      const scenario = buildScenario({
        traceFile: file,
        seed: 1,
        peakInstances: 40,
        prescaleStepSeconds: 300,
        days,
        mergeDuplicates: true,
      });
      const run = await runPolicy('prescale', scenario, {
        prescale: lambdas,
        knobs: { targetPct },
      });
      const records = await lambdas.runRecords('web', scenario.evalStartMs);
      const c = churn(scenario, run.samples, records);
      const s = run.summary;
      console.log(
        `${path.basename(file, '.csv').padEnd(40)} SLO ${s.sloViolationMinutes} min, ${s.instanceHours.toFixed(1)} inst-h; desired lowered in ${c.lowered} runs, ${c.loweredWhileWarming} while launches warmed; ready instances removed ${c.readyRemoved}; SLO min within ${AFTER_MINUTES} min after ${c.sloMinutesAfter}`,
      );
    }
  } finally {
    await lambdas.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
