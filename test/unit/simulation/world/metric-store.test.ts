import fc from 'fast-check';
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

  it('answers repeated and overlapping queries as a store that never queried before, late data included', () => {
    const minute = fc.integer({ min: 0, max: 11 });
    const step = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), minute, value: fc.integer({ min: 0, max: 9 }) }),
      fc.record({
        kind: fc.constant('query' as const),
        fromMinute: minute,
        minutes: fc.integer({ min: 1, max: 12 }),
        visibleMinute: fc.integer({ min: 0, max: 24 }),
        periodMinutes: fc.constantFrom(1, 5),
        stat: fc.constantFrom('Average', 'Sum', 'p90'),
      }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 40 }), (steps) => {
        const cached = new MetricStore();
        const puts: [number, number][] = [];
        for (const s of steps) {
          if (s.kind === 'put') {
            cached.put(metric, s.minute * 60_000 + 1_000, s.value);
            puts.push([s.minute, s.value]);
            continue;
          }
          const fresh = new MetricStore();
          for (const [m, v] of puts) fresh.put(metric, m * 60_000 + 1_000, v);
          const args = [
            s.fromMinute * 60_000,
            (s.fromMinute + s.minutes) * 60_000,
            s.periodMinutes * 60,
            s.stat,
            s.visibleMinute * 60_000,
          ] as const;
          expect(cached.aggregate(metric, ...args)).toEqual(fresh.aggregate(metric, ...args));
        }
      }),
    );
  });
});
