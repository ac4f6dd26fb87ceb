/**
 * Fault-injection bench: Prescale's real handlers against the simulated world under each fault,
 * several seeds each, invariants checked after every run (`shared/simulation/faults`).
 * Run: `npx tsx test/bench/faults.ts` (`npm run bench:faults`). Prints a markdown table.
 */

import os from 'node:os';
import { StaticFilePriceCatalog } from '../../shared/aws/static-prices/static-file-price-catalog';
import { userConfigSchema } from '../../shared/contracts/user-config';
import type { DatedPriceList } from '../../shared/ports/price-catalog';
import {
  OUTAGE_VARIANTS,
  type OutageVariant,
  type PrescaleOutageResult,
  runPrescaleOutage,
} from '../../shared/simulation/faults/prescale-outage';
import { OutagePriceCatalog, runPricingOutage } from '../../shared/simulation/faults/pricing-outage';
import {
  type FaultScenarioOptions,
  faultScenario,
  runFaultScenario,
} from '../../shared/simulation/faults/run-fault-scenario';
import { prescaleConfig } from '../../shared/simulation/run/prescale-config';
import { PrescaleLambdas } from '../../shared/simulation/run/prescale-lambdas';
import { HighsMixSolver } from '../../shared/solvers/highs-mix-solver';
import { groupSnapshot } from '../fakes/fake-scaling-target';
import { benchArgs, benchMetricDelay, benchOnly } from './lib/bench-args';

/** The command line's CloudWatch delay, as the fault and outage runs take it (empty: none). */
type LateMetrics = { readonly metricDelayMinutes?: number };

const SEEDS = [1, 2, 3, 4, 5];

const FAULTS: { name: string; seeds: readonly number[]; options: Omit<FaultScenarioOptions, 'seed'> }[] = [
  // The SDK's adaptive retries wait in real time (~1 s per throttle): 30 min per seed, 3 seeds.
  {
    name: 'throttling 20 % of calls',
    seeds: [1, 2, 3],
    options: { hours: 0.5, transport: { throttleShare: 0.2 } },
  },
  {
    name: 'CloudWatch gaps 10 % + NaN 5 %',
    seeds: SEEDS,
    options: { hours: 24, startHourUtc: 0, transport: { metricGapShare: 0.1, metricNaNShare: 0.05 } },
  },
  {
    name: 'InsufficientInstanceCapacity 50 % of launches, 3 h',
    seeds: SEEDS,
    options: { hours: 12, launchFailures: { share: 0.5, fromHour: 1, toHour: 4 } },
  },
  {
    name: 'instance refresh fails (AutoRollback)',
    seeds: SEEDS,
    options: { hours: 6, failingRefreshAtHour: 1 },
  },
  {
    name: 'worker times out mid-batch (3 groups)',
    seeds: SEEDS,
    options: { hours: 6, groups: 3, workerTimeoutTicks: [5, 40] },
  },
  {
    name: 'CloudWatch refuses GetMetricData for a tick (3 groups)',
    seeds: SEEDS,
    options: { hours: 6, groups: 3, historyFailureTicks: [5, 40] },
  },
  {
    name: 'duplicated schedule deliveries (3 groups)',
    seeds: SEEDS,
    options: { hours: 6, groups: 3, duplicateDeliveries: true },
  },
];

const PRICED_TYPES = ['m5.large', 'm6i.large', 'c6i.large', 'm6g.large', 'm7g.large', 'c7g.large'];

/**
 * The Pricing API outage, on the selector's use case: the shipped static price file stands in for
 * the live API (wrapped to fail while down) and is the last fallback; other ports are minimal.
 */
async function pricingOutage(seed: number): Promise<boolean> {
  const region = 'us-east-1';
  const staticPrices = new StaticFilePriceCatalog();
  const api = new OutagePriceCatalog(staticPrices);
  const cache = new Map<string, DatedPriceList>();
  let nowMs = Date.UTC(2026, 10, 22);
  const arm = (t: string) => /^[a-z]+\d+g\./.test(t);
  const { invariants } = await runPricingOutage({
    deps: {
      isGloballyPaused: async () => false,
      deployment: 'Prescale',
      groups: {
        // One group, on its own template.
        groupsLaunching: async () => [],
        describeGroups: async () => [
          groupSnapshot({
            name: 'web',
            desiredCapacity: 2 + seed,
            availabilityZones: ['us-east-1a', 'us-east-1b'],
            launchTemplate: { id: 'lt-web', version: '$Default' },
            instanceTypes: ['m6g.large'],
          }),
        ],
      },
      instanceCatalog: {
        instanceTypes: async () =>
          PRICED_TYPES.map((t) => ({
            instanceType: t,
            family: t.split('.')[0] as string,
            vcpuCount: 2,
            memoryGiB: t.startsWith('c') ? 4 : 8,
            architectures: [arm(t) ? 'arm64' : 'x86_64'],
            burstable: false,
            currentGeneration: true,
            networkPerformance: 'Up to 12.5 Gigabit',
          })),
        typesOfferedInEveryZone: async () => new Set(PRICED_TYPES),
        launchTemplate: async (id) => ({
          launchTemplateId: id,
          versionNumber: 1,
          instanceType: 'm6g.large',
          imageArchitecture: 'arm64',
        }),
      },
      pricingApi: api,
      priceCache: {
        get: async (r, os) => cache.get(`${r}#${os}`),
        put: async (list) => {
          cache.set(`${list.region}#${list.operatingSystem}`, list);
        },
      },
      staticPrices,
      solver: new HighsMixSolver(),
      applier: {
        rollingUpdateAvailable: false,
        setMixedInstanceOverrides: async () => undefined,
        createLaunchTemplateVersion: async () => 1,
        startRollingUpdate: async () => ({ kind: 'started', executionName: 'execution', executionArn: '' }),
        rolloutExecutionArn: () => '',
        rolloutStatus: async () => 'SUCCEEDED',
        rolloutEnding: async () => ({ status: 'SUCCEEDED' }),
        runningRollingUpdates: async () => [],
      },
      clock: { nowMs: () => nowMs },
    },
    api,
    input: {
      config: userConfigSchema.parse({ groups: { names: ['web'] }, pricing: { refreshHours: 1 } }),
      region,
    },
    startMs: nowMs,
    setClockMs: (ms) => {
      nowMs = ms;
    },
    loseCache: () => cache.clear(),
    outageHours: 6 + seed,
    staticHours: 6,
  });
  return invariants.every((i) => i.held);
}

const OUTAGE_NAME = 'Prescale down for 24 h';
const PRICING_OUTAGE_NAME = 'Pricing API outage (cache, then static file)';
/** The outage runs one simulated day per variant and seed; the running baseline takes ~1 min each. */
const OUTAGE_SEEDS = [1, 2, 3];

/**
 * "Prescale down for 24 h": every Prescale Lambda stops at 02:00 UTC (after one hour of running),
 * measured over the next 24 h against Prescale running, down without look-ahead, and reactive.
 */
async function prescaleOutage(lambdas: PrescaleLambdas, late: LateMetrics): Promise<string[]> {
  const results = new Map<OutageVariant, PrescaleOutageResult[]>();
  for (const seed of OUTAGE_SEEDS)
    for (const variant of OUTAGE_VARIANTS) {
      const prescale = variant === 'reactive' ? undefined : lambdas;
      const r = await runPrescaleOutage(prescale, { seed, variant, ...late });
      results.set(variant, [...(results.get(variant) ?? []), r]);
      process.stderr.write(`${OUTAGE_NAME} seed ${seed} ${variant}: ${JSON.stringify(r)}\n`);
    }
  const sum = (v: OutageVariant, f: (r: PrescaleOutageResult) => number) =>
    (results.get(v) ?? []).reduce((a, r) => a + f(r), 0);
  const runningSlo = sum('running', (r) => r.sloViolationMinutes);
  const runningHours = sum('running', (r) => r.instanceHours);
  const lines = [
    `\n${OUTAGE_NAME} (down at 02:00 UTC, 24 h measured, seeds ${OUTAGE_SEEDS.join(', ')}; totals over seeds):\n`,
    "| variant | SLO-violation minutes | vs running | instance-hours | vs running | MinSize at end (user's) |",
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const v of OUTAGE_VARIANTS) {
    const slo = sum(v, (r) => r.sloViolationMinutes);
    const hours = sum(v, (r) => r.instanceHours);
    const ends = (results.get(v) ?? []).map((r) => `${r.finalMinSize} (${r.userMinSize})`).join(', ');
    lines.push(
      `| ${v} | ${slo} | ${runningSlo > 0 ? (slo / runningSlo).toFixed(2) : '–'} | ${hours.toFixed(1)} | ${(hours / runningHours).toFixed(3)} | ${ends} |`,
    );
  }
  const alive =
    sum('running', (r) => r.lookAheadRunWhileAlive) +
    sum('down-with-look-ahead', (r) => r.lookAheadRunWhileAlive);
  lines.push(`\nLook-ahead actions that ran while Prescale was running: ${alive} (expected 0).`);
  return lines;
}

async function main(): Promise<void> {
  const startedMs = Date.now();
  const usage = `Usage: npx tsx test/bench/faults.ts [--only TEXT] [--metric-delay N]

  --only TEXT       run the faults whose name contains TEXT (one at least)
  --metric-delay N  CloudWatch returns the worlds' AWS metrics N whole minutes late (as npm start's
                    --metric-delay), in the fault runs and the Prescale outage; the Pricing API
                    outage reads no CloudWatch and runs as without it. Default: none.`;
  const args = benchArgs(usage, { only: { type: 'string' }, 'metric-delay': { type: 'string' } });
  const selected = benchOnly(
    [...FAULTS.map((f) => f.name), OUTAGE_NAME, PRICING_OUTAGE_NAME],
    args.only,
    usage,
  );
  const delay = benchMetricDelay(args['metric-delay'], usage);
  const late: LateMetrics = delay === undefined ? {} : { metricDelayMinutes: delay };
  const lambdas = await PrescaleLambdas.start(prescaleConfig(faultScenario(1)));
  const rows: string[] = [];
  const broken = new Map<string, string>();
  for (const fault of FAULTS.filter((f) => selected.has(f.name))) {
    let held = 0;
    const t0 = Date.now();
    for (const seed of fault.seeds) {
      const result = await runFaultScenario(lambdas, { ...fault.options, seed, ...late });
      const failed = result.invariants.filter((i) => !i.held);
      if (failed.length === 0) held += 1;
      for (const f of failed) {
        const key = `${fault.name}: ${f.name}`;
        if (!broken.has(key)) broken.set(key, f.detail);
      }
    }
    const wallS = ((Date.now() - t0) / 1000).toFixed(0);
    rows.push(
      `| ${fault.name} | ${fault.options.hours} h | ${fault.seeds.length} | ${held}/${fault.seeds.length} | ${wallS} s |`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
  }
  const outage = selected.has(OUTAGE_NAME) ? await prescaleOutage(lambdas, late) : [];
  await lambdas.stop();
  const t0 = Date.now();
  let pricingHeld = 0;
  if (selected.has(PRICING_OUTAGE_NAME))
    for (const seed of SEEDS) if (await pricingOutage(seed)) pricingHeld += 1;
  if (selected.has(PRICING_OUTAGE_NAME))
    rows.push(
      `| ${PRICING_OUTAGE_NAME} | 13–18 runs, 2 h apart | ${SEEDS.length} | ${pricingHeld}/${SEEDS.length} | ${((Date.now() - t0) / 1000).toFixed(0)} s |`,
    );
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}.`,
  );
  const flags = process.argv
    .slice(2)
    .map((a) => (/\s/.test(a) ? `'${a}'` : a))
    .join(' ');
  console.log(`Command: \`npx tsx test/bench/faults.ts${flags ? ` ${flags}` : ''}\`\n`);
  console.log('| fault | horizon | runs | invariants held | wall |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  for (const line of outage) console.log(line);
  if (broken.size > 0) {
    console.log('\nInvariants broken (first occurrence):\n');
    for (const [name, detail] of broken) console.log(`- ${name} — ${detail}`);
  }
  console.log(`\nTotal wall time: ${((Date.now() - startedMs) / 1000).toFixed(0)} s`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
