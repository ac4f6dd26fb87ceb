import {
  type ControllerSettings,
  minuteController,
} from '../../../../shared/simulation/run/minute-controller';
import { groupMetrics } from '../../../../shared/simulation/world/group-metric-ids';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';

const START_MS = Date.UTC(2024, 0, 8);
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Group `web` (2 to 10 instances, 2 desired), with no scaling policy of its own. */
function simulated() {
  const world = new SimulatedWorld({ startMs: START_MS, seed: 1 });
  world.createGroup({
    name: 'web',
    minSize: 2,
    maxSize: 10,
    desiredCapacity: 2,
    instanceType: 'm5.large',
    launchDelaySeconds: 60,
    launchJitterSeconds: 0,
    warmupSeconds: 60,
    warmPoolLaunchSeconds: 30,
  });
  return world;
}

function settings(overrides: Partial<ControllerSettings> = {}): ControllerSettings {
  return {
    group: 'web',
    minSize: 2,
    maxSize: 10,
    bufferMs: 10 * MINUTE_MS,
    policyTarget: 60,
    oracleDemand: [],
    startMs: START_MS,
    leadMinutes: 2,
    ...overrides,
  };
}

const recorded = () => ({
  ticks: { failedItems: 0, handlerErrors: [] },
  predictiveForecasts: [],
  predictiveRefreshes: [],
});

/** ec2-predictive at a 50 % target on `world`, and what it records. */
function predictiveAtTarget50(world: ReturnType<typeof simulated>) {
  const forecasts = recorded();
  const predictive = minuteController(
    'ec2-predictive',
    world,
    settings({ policyTarget: 50 }),
    undefined,
    forecasts,
  );
  return { forecasts, predictive };
}

describe('minuteController', () => {
  it('gives reactive and static runs, and a prescale run without its handlers, no controller', () => {
    for (const policy of ['reactive', 'static', 'prescale'] as const)
      expect(minuteController(policy, simulated(), settings(), undefined, recorded())).toBeUndefined();
  });

  it('sets the oracle’s desired capacity to the most demand within the lead time, within the size limits', async () => {
    const world = simulated();
    // Instances needed per minute from an hour before the world's clock (a burn-in's start).
    const demandStartMs = START_MS - HOUR_MS;
    const demand = [...Array(60).fill(1), 1, 1, 4, 1, 1, 1, 15, 1, 1, 1];
    const oracle = minuteController(
      'oracle',
      world,
      settings({ oracleDemand: demand, startMs: demandStartMs }),
      undefined,
      recorded(),
    );
    const desiredAt = async (minute: number) => {
      await oracle?.act(START_MS + minute * MINUTE_MS);
      return world.autoScaling.counts('web').desiredCapacity;
    };
    // Minute 0 sees the 4 two minutes ahead; minute 3 sees only ones (held at MinSize 2); minute 4
    // sees the 15, held at MaxSize 10; minute 7 is past it.
    expect(await desiredAt(0)).toBe(4);
    expect(await desiredAt(3)).toBe(2);
    expect(await desiredAt(4)).toBe(10);
    expect(await desiredAt(7)).toBe(2);
  });

  it('sets ec2-predictive’s minimum from its hourly forecast a buffer before each hour, and records the forecast', async () => {
    const world = simulated();
    // Two days, each hour of the day at its own load (100 at 00:00, 300 at 01:00, 500 at 02:00, …):
    // the forecast for 01:00 is 300, so an hour read one off either way lands on 100 or 500.
    const hourOfDay = (ms: number) => new Date(ms).getUTCHours();
    world.seedHistory('web', START_MS - 48 * HOUR_MS, START_MS, (ms) => 100 + 200 * hourOfDay(ms), 60);
    const { forecasts, predictive } = predictiveAtTarget50(world);
    await predictive?.act(START_MS + 20 * MINUTE_MS);
    expect(world.autoScaling.counts('web')).toMatchObject({ minSize: 2, desiredCapacity: 2 });
    expect(forecasts.predictiveForecasts).toEqual([]);
    // Ten minutes before the hour: ⌈300 / 50⌉ = 6 instances as the minimum, desired raised to it.
    await predictive?.act(START_MS + 50 * MINUTE_MS);
    expect(world.autoScaling.counts('web')).toMatchObject({ minSize: 6, desiredCapacity: 6 });
    expect(forecasts.predictiveForecasts).toEqual([{ timestampMs: START_MS + HOUR_MS, forecast: 300 }]);
  });

  it('forecasts ec2-predictive’s Monday from the weekly pattern when its backtest on the last day says so', async () => {
    const world = simulated();
    // Two weeks of weekdays at 300 and weekends at 60; the run starts on a Monday. The blend of the
    // days just before (a weekend) with the weeks before would read about 250 for Monday 01:00;
    // forecasting Sunday from the days before it, the weekly pattern alone has no error.
    const weekend = (ms: number) => [0, 6].includes(new Date(ms).getUTCDay());
    world.seedHistory('web', START_MS - 14 * 24 * HOUR_MS, START_MS, (ms) => (weekend(ms) ? 60 : 300), 60);
    const { forecasts, predictive } = predictiveAtTarget50(world);
    await predictive?.act(START_MS + 50 * MINUTE_MS);
    expect(forecasts.predictiveForecasts).toEqual([{ timestampMs: START_MS + HOUR_MS, forecast: 300 }]);
    expect(forecasts.predictiveRefreshes).toEqual([{ weeklyWeight: 1, chosenBy: 'backtest' }]);
    expect(world.autoScaling.counts('web')).toMatchObject({ minSize: 6 });
  });

  it('counts ec2-predictive’s load over the instances in service and those draining, as the CPU average covers both', async () => {
    const world = simulated();
    // Two days at 50 % average CPU over 4 instances in service and 2 draining: 300 % of load.
    const m = groupMetrics('web');
    for (let t = START_MS - 48 * HOUR_MS; t < START_MS; t += MINUTE_MS) {
      world.cloudWatch.publish(m.cpu, t, 50);
      world.cloudWatch.publish(m.inService, t, 4);
      world.cloudWatch.publish(m.terminating, t, 2);
    }
    const { forecasts, predictive } = predictiveAtTarget50(world);
    await predictive?.act(START_MS + 50 * MINUTE_MS);
    expect(forecasts.predictiveForecasts).toEqual([{ timestampMs: START_MS + HOUR_MS, forecast: 300 }]);
    expect(world.autoScaling.counts('web')).toMatchObject({ minSize: 6 });
  });
});
