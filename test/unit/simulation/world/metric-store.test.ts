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

  it('stores each datapoint in its minute as a plain per-minute tally would, in any order', () => {
    // The straightforward form: every datapoint kept, each minute's statistics summed on query.
    const reference = (
      points: readonly { ms: number; value: number; count: number; spread: number }[],
      periodMs: number,
      stat: string,
      untilMs: number,
    ) => {
      const timestampsMs: number[] = [];
      const values: number[] = [];
      for (let p = 0; p < untilMs; p += periodMs) {
        const minutes = new Map<number, { sum: number; count: number; min: number; max: number }>();
        for (const d of points) {
          const minuteMs = Math.floor(d.ms / 60_000) * 60_000;
          if (minuteMs < p || minuteMs >= p + periodMs || minuteMs + 60_000 > untilMs) continue;
          const s = minutes.get(minuteMs) ?? { sum: 0, count: 0, min: Infinity, max: -Infinity };
          s.sum += d.value * d.count;
          s.count += d.count;
          s.min = Math.min(s.min, d.value - d.spread);
          s.max = Math.max(s.max, d.value + d.spread);
          minutes.set(minuteMs, s);
        }
        if (minutes.size === 0) continue;
        const all = [...minutes.values()];
        const sum = all.reduce((a, s) => a + s.sum, 0);
        const count = all.reduce((a, s) => a + s.count, 0);
        const byStat: Record<string, () => number> = {
          Sum: () => sum,
          SampleCount: () => count,
          Average: () => sum / count,
          Minimum: () => Math.min(...all.map((s) => s.min)),
          Maximum: () => Math.max(...all.map((s) => s.max)),
        };
        timestampsMs.push(p);
        values.push((byStat[stat] as () => number)());
      }
      return { timestampsMs, values };
    };
    const point = fc.record({
      ms: fc.integer({ min: 0, max: 12 * 60_000 - 1 }),
      value: fc.integer({ min: -9, max: 9 }),
      count: fc.integer({ min: 1, max: 3 }),
      spread: fc.integer({ min: 0, max: 2 }),
    });
    fc.assert(
      fc.property(
        fc.array(point, { maxLength: 40 }),
        fc.array(fc.nat({ max: 40 }), { maxLength: 4 }),
        fc.constantFrom(1, 2, 5),
        fc.constantFrom('Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'),
        (points, queryAfter, periodMinutes, stat) => {
          const store = new MetricStore();
          points.forEach((d, i) => {
            store.put(metric, d.ms, d.value, d.count, d.value - d.spread, d.value + d.spread);
            // Queries between the datapoints fill the period caches the later ones must drop.
            if (queryAfter.includes(i))
              store.aggregate(metric, 0, 12 * 60_000, periodMinutes * 60, stat, d.ms);
          });
          const untilMs = 12 * 60_000;
          expect(store.aggregate(metric, 0, untilMs, periodMinutes * 60, stat, untilMs)).toEqual(
            reference(points, periodMinutes * 60_000, stat, untilMs),
          );
        },
      ),
    );
  });
});
