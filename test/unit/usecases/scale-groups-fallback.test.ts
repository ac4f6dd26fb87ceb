import { parseConfig } from '../../../shared/contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../../shared/contracts/user-config';
import type { LoadObservation } from '../../../shared/core/forecast/types';
import type { HistoryQuery, MetricHistory } from '../../../shared/ports/metric-history';
import type { RunRecord } from '../../../shared/ports/state-store';
import { type ForecastFn, scaleGroups } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { demandForecast } from '../../helpers/demand-forecast';

const NOW = Date.UTC(2026, 2, 2, 12, 0);
const STEP_MS = 300_000;

const config = (defaults: Partial<NonNullable<UserConfigInput['defaults']>> = {}) =>
  parseConfig(
    userConfigSchema,
    {
      groups: { names: ['web'] },
      mode: 'forecast-and-scale',
      defaults: {
        targetLoadPerInstance: 60,
        floorCapacity: 1,
        maxChangePerTick: 50,
        defaultLeadTimeSeconds: 300,
        ...defaults,
      },
    },
    'test',
  );

/** A flat forecast of `load` whose every quantile is `load`. */
const flatForecast =
  (load: number): ForecastFn =>
  ({ horizonSteps, levels, history }) => {
    const last = history.reduce((m, o) => Math.max(m, o.timestampMs), NOW - STEP_MS);
    const mean = Array.from({ length: horizonSteps }, () => load);
    return demandForecast(
      mean,
      levels.map((levelPct) => ({ levelPct, lower: [...mean], upper: [...mean] })),
      { startMs: last + STEP_MS },
    );
  };

const history = (values: readonly number[]): MetricHistory => ({
  async loadHistory(queries: readonly HistoryQuery[]) {
    const series: LoadObservation[] = values.map((value, i) => ({
      timestampMs: NOW - (values.length - i) * STEP_MS,
      value,
    }));
    return new Map(queries.map((q) => [q.groupName, series]));
  },
});

/** Past runs, one per tick, whose forecast median was `median` for every step. */
function pastRuns(ticks: number, median: number): RunRecord[] {
  return Array.from({ length: ticks }, (_, i) => {
    const tickMs = NOW - (ticks - i) * STEP_MS;
    return {
      groupName: 'web',
      tickMs,
      mode: 'forecast-and-scale',
      forecastStartMs: tickMs,
      stepSeconds: 300,
      plannedLoad: Array(6).fill(median),
      medianLoad: Array(6).fill(median),
      planningQuantile: 0.9,
      plannedCapacity: Array(6).fill(1),
      models: ['fake'],
      outcome: { kind: 'unchanged', reason: 'test' },
    };
  });
}

async function run(options: {
  forecastLoad: number;
  actual: readonly number[];
  pastMedian?: number;
  group?: Parameters<typeof groupSnapshot>[0];
  defaults?: Partial<NonNullable<UserConfigInput['defaults']>>;
}) {
  const scalingTarget = new FakeScalingTarget([
    groupSnapshot(options.group ?? { name: 'web', minSize: 1, desiredCapacity: 1, inServiceCapacity: 1 }),
  ]);
  const stateStore = new MemoryStateStore();
  if (options.pastMedian !== undefined)
    for (const r of pastRuns(options.actual.length, options.pastMedian))
      await stateStore.putRunRecord(r, NOW + 1e9);
  const [result] = await scaleGroups(
    {
      scalingTarget,
      stateStore,
      metricHistory: history(options.actual),
      clock: { nowMs: () => NOW },
      forecast: flatForecast(options.forecastLoad),
      isGloballyPaused: async () => false,
    },
    config(options.defaults),
    [{ groupName: 'web', tickMs: NOW }],
  );
  return { result, state: await stateStore.getGroupState('web') };
}

describe('scaleGroups fallback and scale-in ahead', () => {
  // Load alternates on and off every step: persistence is wrong by 540 each step, a forecast of a
  // steady 600 is wrong by 540 on the off steps only, a forecast of 0 on the on steps only.
  const onOff = Array.from({ length: 36 }, (_, i) => (i % 2 === 0 ? 600 : 60));

  it('plans only the current load when the forecast has been worse than persistence', async () => {
    const { result, state } = await run({
      forecastLoad: 900,
      actual: [...onOff.slice(0, 35), 60],
      pastMedian: 1200,
    });
    expect(state?.forecastSkill?.steps).toBeGreaterThan(12);
    expect(result).toMatchObject({ kind: 'ran', plannedCapacity: 1 });
    expect(result?.kind === 'ran' && result.outcome.kind !== 'held' && result.outcome.reason).toMatch(
      /no better than persistence/,
    );
  });

  it('plans from the forecast when it has done better than persistence', async () => {
    const { result } = await run({ forecastLoad: 900, actual: [...onOff.slice(0, 35), 60], pastMedian: 330 });
    expect(result).toMatchObject({ kind: 'ran', plannedCapacity: 15 });
  });

  it('plans from the forecast when the fallback is turned off', async () => {
    const { result } = await run({
      forecastLoad: 900,
      actual: [...onOff.slice(0, 35), 60],
      pastMedian: 1200,
      defaults: { unskilledFallback: false },
    });
    expect(result).toMatchObject({ kind: 'ran', plannedCapacity: 15 });
  });

  it("lowers desired capacity ahead of the group's policy when the forecast and the recent peak need less", async () => {
    const group = {
      name: 'web',
      minSize: 1,
      desiredCapacity: 12,
      inServiceCapacity: 12,
      hasScalingPolicies: true,
    };
    const { result } = await run({ forecastLoad: 120, actual: [240, 250, 240], group });
    expect(result?.kind === 'ran' && result.outcome).toMatchObject({
      kind: 'applied',
      after: { minSize: 2, desiredCapacity: 5 },
    });
    const off = await run({
      forecastLoad: 120,
      actual: [240, 250, 240],
      group,
      defaults: { scaleInAhead: false },
    });
    expect(off.result?.kind === 'ran' && off.result.outcome).toMatchObject({
      after: { desiredCapacity: 12 },
    });
  });
});
