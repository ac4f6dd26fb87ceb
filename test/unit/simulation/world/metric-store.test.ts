import { MetricStore } from '../../../../shared/simulation/world/metric-store';

const metric = { namespace: 'N', metricName: 'M', dimensions: { B: '2', A: '1' } };

describe('MetricStore', () => {
  it('aggregates minutes into epoch-aligned periods with each statistic', () => {
    const store = new MetricStore();
    [5, 1, 3, 7].forEach((v, m) => {
      store.put(metric, m * 60_000 + 5_000, v);
    });
    const agg = (stat: string) => store.aggregate(metric, 0, 240_000, 120, stat, 240_000).values;
    expect(agg('Average')).toEqual([3, 5]);
    expect(agg('Sum')).toEqual([6, 10]);
    expect(agg('Minimum')).toEqual([1, 3]);
    expect(agg('Maximum')).toEqual([5, 7]);
    expect(agg('SampleCount')).toEqual([2, 2]);
    expect(agg('p50')).toEqual([1, 3]);
    expect(() => agg('Median')).toThrow(/unknown statistic/);
  });

  it('hides unfinished minutes and refreshes cached periods when late data arrives', () => {
    const store = new MetricStore();
    store.put(metric, 0, 10);
    expect(store.aggregate(metric, 0, 60_000, 60, 'Sum', 30_000).values).toEqual([]);
    expect(store.aggregate(metric, 0, 60_000, 60, 'Sum', 60_000).values).toEqual([10]);
    store.put({ ...metric, dimensions: { A: '1', B: '2' } }, 10_000, 5);
    expect(store.aggregate(metric, 0, 60_000, 60, 'Sum', 60_000).values).toEqual([15]);
  });
});
