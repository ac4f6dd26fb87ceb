import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { createAwsClients } from '../../../../shared/aws/create-aws-clients';
import { createMetricHistory } from '../../../../shared/aws/create-metric-history';
import { userConfigSchema } from '../../../../shared/contracts/user-config';
import { buildScenario } from '../../../../shared/simulation/run/build-scenario';
import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';
import {
  loadUnitsPerPct,
  PRESCALE_HISTORY_SOURCES,
  type PrescaleHistorySource,
  parsePrescaleHistorySource,
  provisionPrescaleHistory,
} from '../../../../shared/simulation/run/prescale-history';
import { PrescaleLambdas } from '../../../../shared/simulation/run/prescale-lambdas';
import { PrescaleRunError, runPolicy } from '../../../../shared/simulation/run/run-policy';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';

const STEP_MS = 300_000;
const START_MS = Date.parse('2024-03-04T00:00:00Z');
const END_MS = START_MS + 6 * 3_600_000;
/** Constant within each 5-minute step (so the group's size is too), three levels in turn. */
const loadAt = (ms: number) => 100 + 50 * (Math.floor(ms / STEP_MS) % 3);

/**
 * A world with `web`'s six hours of history (and `publishedAfterEndMinutes` minutes past its end,
 * the clock that far on) and what `source` reads beyond CloudWatch.
 */
function worldFor(source: PrescaleHistorySource | undefined, publishedAfterEndMinutes = 0): SimulatedWorld {
  const nowMs = END_MS + publishedAfterEndMinutes * 60_000;
  const world = new SimulatedWorld({ startMs: nowMs, seed: 1 });
  world.createGroup({
    name: 'web',
    minSize: 1,
    maxSize: 10,
    desiredCapacity: 3,
    instanceType: 'm5.large',
    tags: {},
    launchDelaySeconds: 150,
    launchJitterSeconds: 60,
    warmupSeconds: 180,
    warmPoolLaunchSeconds: 30,
  });
  world.seedHistory('web', START_MS, nowMs, loadAt, 60);
  if (source !== undefined) provisionPrescaleHistory(world, source);
  return world;
}

/** The history Prescale's own adapter reads for `web` when configured for `source`. */
async function readHistory(world: SimulatedWorld, source: PrescaleHistorySource) {
  overrideAwsTransport({ answer: world.answer });
  const config = userConfigSchema.parse(
    prescaleConfig({ targetLoadPerInstance: 60, prescaleStepSeconds: 300, prescaleHistory: source }),
  );
  const history = createMetricHistory(createAwsClients({ region: 'us-east-1' }), config);
  const out = await history.loadHistory([
    { groupName: 'web', startMs: START_MS, endMs: END_MS, stepSeconds: 300, metric: config.defaults.metric },
  ]);
  return out.get('web') ?? [];
}

describe('parsePrescaleHistorySource', () => {
  it('accepts each source and refuses anything else, naming the choices', () => {
    for (const source of PRESCALE_HISTORY_SOURCES) expect(parsePrescaleHistorySource(source)).toBe(source);
    expect(() => parsePrescaleHistorySource('cloudwatch')).toThrow(
      '--prescale-history expects one of cloudwatch-cpu|cloudwatch-alb|cloudwatch-custom|cloudwatch-expression|timestream|timestream-multi, got cloudwatch',
    );
  });
});

describe('prescaleConfig with a history source', () => {
  it('gives targets in requests per step on the request count and in % elsewhere', () => {
    const alb = prescaleConfig({
      targetLoadPerInstance: 60,
      prescaleStepSeconds: 300,
      prescaleHistory: 'cloudwatch-alb',
    });
    // 60 load units × 10 requests per minute each × 5 minutes.
    expect(alb.defaults?.targetLoadPerInstance).toBe(3000);
    expect(alb.defaults?.sloLoadPerInstance).toBe(3000);
    expect(loadUnitsPerPct('cloudwatch-alb', 3600)).toBe(600);
    for (const source of [
      'cloudwatch-cpu',
      'cloudwatch-custom',
      'cloudwatch-expression',
      'timestream',
      'timestream-multi',
    ] as const)
      expect(
        prescaleConfig({ targetLoadPerInstance: 60, prescaleStepSeconds: 300, prescaleHistory: source })
          .defaults?.targetLoadPerInstance,
      ).toBe(60);
  });
});

describe('prescaleConfig saturation by history source', () => {
  it('tells Prescale the Timestream offered-load measure does not saturate and the CPU expression does, and leaves the kinds their own', () => {
    const config = (source: (typeof PRESCALE_HISTORY_SOURCES)[number]) =>
      prescaleConfig({ targetLoadPerInstance: 60, prescaleStepSeconds: 300, prescaleHistory: source })
        .defaults;
    for (const source of ['timestream', 'timestream-multi'] as const)
      expect(config(source)).toMatchObject({ metric: { kind: 'cpu' }, saturatedLoadPerInstance: 'none' });
    expect(config('cloudwatch-expression')).toMatchObject({
      metric: { kind: 'expression' },
      saturatedLoadPerInstance: 100,
    });
    for (const source of ['cloudwatch-cpu', 'cloudwatch-alb', 'cloudwatch-custom'] as const)
      expect(config(source)).not.toHaveProperty('saturatedLoadPerInstance');
  });
});

describe('each history source read by the product adapter from the simulated world', () => {
  afterEach(() => overrideAwsTransport(undefined));
  const aws = { AWS_ACCESS_KEY_ID: 'AKIASIMULATION00000', AWS_SECRET_ACCESS_KEY: 'simulation-secret' };
  const saved = { ...process.env };
  beforeAll(() => Object.assign(process.env, aws));
  afterAll(() => {
    process.env = saved;
  });

  it.each(PRESCALE_HISTORY_SOURCES)('%s reads its own source, the same load per step', async (source) => {
    const world = worldFor(source);
    const series = await readHistory(world, source);
    const steps = (END_MS - START_MS) / STEP_MS;
    expect(series).toHaveLength(steps);
    const units = loadUnitsPerPct(source, 300);
    for (const [k, point] of series.entries()) {
      expect(point.timestampMs).toBe(START_MS + k * STEP_MS);
      expect(point.value / units).toBeCloseTo(loadAt(point.timestampMs), 6);
    }
    const timestream = world.calls.get('timestream-query:QueryCommand') ?? 0;
    const cloudWatch = world.calls.get('cloudwatch:GetMetricDataCommand') ?? 0;
    if (source.startsWith('timestream')) {
      expect(timestream).toBeGreaterThan(0);
      expect(cloudWatch).toBe(0);
    } else {
      expect(cloudWatch).toBeGreaterThan(0);
      expect(timestream).toBe(0);
    }
  });

  it.each(PRESCALE_HISTORY_SOURCES)(
    '%s returns the same steps, none at the window end, when minutes after it are published',
    async (source) => {
      // A row timestamped at the end itself (a per-minute writer) is in a real table by the time a
      // tick runs a few seconds later: it must not become a newest step that has only begun.
      const series = await readHistory(worldFor(source, 2), source);
      expect(series).toHaveLength((END_MS - START_MS) / STEP_MS);
      expect(series.at(-1)?.timestampMs).toBe(END_MS - STEP_MS);
    },
  );

  it('fails when the world has no Timestream table to read', async () => {
    await expect(readHistory(worldFor(undefined), 'timestream')).rejects.toThrow(
      'The table groups does not exist in database telemetry.',
    );
  });
});

describe('runPolicy on Timestream history (real Prescale handlers)', () => {
  const scenario = buildScenario({ seed: 3, warmupDays: 2, days: 1 / 24 });
  let lambdas: PrescaleLambdas;
  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(prescaleConfig({ ...scenario, prescaleHistory: 'timestream' }));
  });
  afterAll(async () => {
    await lambdas.stop();
  });

  it('runs with its handlers reading the table the world mirrors', async () => {
    const run = await runPolicy(
      'prescale',
      { ...scenario, prescaleHistory: 'timestream' },
      { prescale: lambdas, failOnPrescaleErrors: true },
    );
    expect(run.notes[0]).toMatch(/^[1-9]\d* run records$/);
  });

  it('fails loudly when the world cannot answer what the configuration reads', async () => {
    const run = runPolicy(
      'prescale',
      { ...scenario, prescaleHistory: 'cloudwatch-cpu' },
      { prescale: lambdas, failOnPrescaleErrors: true },
    );
    await expect(run).rejects.toThrow(PrescaleRunError);
    await expect(run).rejects.toThrow(/ValidationException: The table groups does not exist/);
  });
});

describe('runPolicy on multi-measure Timestream history (real Prescale handlers)', () => {
  const scenario = {
    ...buildScenario({ seed: 3, warmupDays: 2, days: 1 / 24 }),
    prescaleHistory: 'timestream-multi',
  } as const;
  let lambdas: PrescaleLambdas;
  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(prescaleConfig(scenario));
  });
  afterAll(async () => {
    await lambdas.stop();
  });

  it('runs with its handlers reading the measure column of the records the world mirrors', async () => {
    const run = await runPolicy('prescale', scenario, { prescale: lambdas, failOnPrescaleErrors: true });
    expect(run.notes[0]).toMatch(/^[1-9]\d* run records$/);
  });
});
