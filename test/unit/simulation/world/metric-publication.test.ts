import { groupMetrics } from '../../../../shared/simulation/world/group-metric-ids';
import { MetricPublication } from '../../../../shared/simulation/world/metric-publication';
import { SimulatedCloudWatch } from '../../../../shared/simulation/world/simulated-cloud-watch';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { webGroupSpec } from '../../../helpers/web-group-spec';

const START = Date.UTC(2024, 0, 8);
const MINUTE = 60_000;
const m = groupMetrics('web');

type Out = { MetricDataResults: { Id: string; Timestamps: Date[]; Values: number[] }[] };

/** One minute-period query of `metric` with `stat`, as its values by minute offset from START. */
function read(cw: SimulatedCloudWatch, metric: (typeof m)['cpu'], stat: string, nowMs: number) {
  const out = cw.getMetricData(
    {
      MetricDataQueries: [
        {
          Id: 'q',
          MetricStat: {
            Metric: {
              Namespace: metric.namespace,
              MetricName: metric.metricName,
              Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
            },
            Period: 60,
            Stat: stat,
          },
        },
      ],
      StartTime: new Date(START),
      EndTime: new Date(START + 30 * MINUTE),
      ScanBy: 'TimestampAscending',
    },
    nowMs,
  ) as Out;
  const r = out.MetricDataResults[0] as Out['MetricDataResults'][number];
  return Object.fromEntries(r.Timestamps.map((t, i) => [(t.getTime() - START) / MINUTE, r.Values[i]]));
}

describe('SimulatedCloudWatch publication delay', () => {
  const late = (minutes: number) => {
    let now = START;
    const cw = new SimulatedCloudWatch(undefined, { delay: { minutes }, nowMs: () => now });
    return { cw, at: (ms: number) => (now = ms) };
  };

  it('returns a whole-or-nothing metric (Auto Scaling group metrics) only `minutes` after its minute ends', () => {
    const { cw, at } = late(2);
    at(START);
    cw.publish(m.inService, START, 4);
    expect(read(cw, m.inService, 'Average', START + 2 * MINUTE)).toEqual({});
    at(START + 3 * MINUTE);
    expect(read(cw, m.inService, 'Average', START + 3 * MINUTE)).toEqual({ 0: 4 });
  });

  it('aggregates a per-instance metric from a growing share of its sources: Average as the sources in, Sum and SampleCount low', () => {
    const { cw, at } = late(2);
    at(START);
    cw.publish(m.cpu, START, 50);
    const now = START + 2 * MINUTE;
    expect(read(cw, m.cpu, 'Average', now)).toEqual({ 0: 50 });
    expect(read(cw, m.cpu, 'Sum', now)).toEqual({ 0: 25 });
    expect(read(cw, m.cpu, 'SampleCount', now)).toEqual({ 0: 0.5 });
    expect(read(cw, m.cpu, 'Sum', START + 3 * MINUTE)).toEqual({ 0: 50 });
  });

  it('sends a basic-monitoring window when it ends, not at its timestamp', () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1, metricDelay: { minutes: 1 } });
    world.createGroup(webGroupSpec({ detailedMonitoring: false }));
    world.advanceTo(START + 5 * MINUTE);
    for (let k = 0; k < 5; k += 1) world.recordMinute('web', START + k * MINUTE, 100);
    world.advanceTo(START + 5 * MINUTE + 59_000);
    expect(read(world.cloudWatch, m.cpu, 'Average', START + 5 * MINUTE + 59_000)).toEqual({});
    world.advanceTo(START + 6 * MINUTE);
    expect(read(world.cloudWatch, m.cpu, 'Average', START + 6 * MINUTE)).toEqual({ 0: 50 });
  });

  it('stores at once a datapoint already due (seeded history) and one of a namespace that is not late', () => {
    const put: unknown[] = [];
    const publication = new MetricPublication(
      { minutes: 3 },
      (...args) => put.push(args),
      () => START,
    );
    publication.send(m.cpu, START - 10 * MINUTE, 40, START - 9 * MINUTE);
    publication.send(m.offeredLoad, START - MINUTE, 7, START);
    expect(put).toHaveLength(4);
  });

  it('refuses a delay that is not whole minutes ≥ 1', () => {
    expect(
      () =>
        new MetricPublication(
          { minutes: 0.5 },
          () => undefined,
          () => START,
        ),
    ).toThrow(RangeError);
  });
});
