import { compareFrontiers, type SweepPoint } from '../../../shared/simulation/evaluation/compare-frontiers';
import type { TraceDay } from '../../../shared/simulation/evaluation/summarise-days';
import { daysSummary, runName, traceOf } from '../../bench/lib/frontier-text';
import { anotherSettingEachDay } from '../../helpers/sweep-point';

const day = (warmupDays: number, points: readonly SweepPoint[], withPoints = true): TraceDay => ({
  name: `a @ day ${warmupDays + 1}`,
  trace: 'a',
  warmupDays,
  comparison: compareFrontiers(points),
  ...(withPoints ? { points } : {}),
});

describe('daysSummary', () => {
  const [day8 = [], day9 = []] = anotherSettingEachDay;

  it("compares each trace's settings summed over its days after the per-day lines", () => {
    const text = daysSummary([day(7, day8), day(8, day9)]);
    expect(text).toMatch(/all days: +2 trace-days; .*reactive 2, /);
    expect(text).toMatch(/^a \(2 days\) +dominates reactive no /m);
    expect(text).toMatch(/pooled over the days: +1 traces; escaping rival points 1 \+ 0 = 1 .*reactive 0, /);
  });

  it('names each seed of one day, and pools each setting over the seeds as over days', () => {
    const seed = (n: number, points: readonly SweepPoint[]): TraceDay => ({
      ...day(7, points),
      name: `a @ seed ${n}`,
      seed: n,
    });
    const text = daysSummary([seed(1, day8), seed(2, day9)]);
    expect(text).toMatch(/^Per seed/);
    expect(text).toMatch(/^seed 1: +1 traces; escaping rival points 0 \+ 0/m);
    expect(text).toMatch(/^seed 2: +1 traces; escaping rival points 0 \+ 0/m);
    expect(text).toMatch(/all runs: +2 trace-runs; /);
    expect(text).toMatch(/^a \(2 runs\) +dominates reactive no /m);
    expect(text).toMatch(/pooled over the runs: +1 traces; escaping rival points 1 \+ 0 = 1 /);
    // Several days and seeds: each day's seeds on their own lines.
    const both = daysSummary([seed(1, day8), { ...seed(2, day9), warmupDays: 8 }]);
    expect(both).toMatch(/^day 8 \(warm-up 7\), seed 1: /m);
    expect(both).toMatch(/^day 9 \(warm-up 8\), seed 2: /m);
  });

  it('leaves the pooled lines out when no trace-day carries its points', () => {
    expect(daysSummary([day(7, day8, false), day(8, day9, false)])).not.toMatch(/pooled/);
  });
});

describe('runName and traceOf', () => {
  it('labels a run with its day and seed when the run has several, and reads the trace back', () => {
    expect(runName('nyc_taxi', {})).toBe('nyc_taxi');
    expect(runName('nyc_taxi', { warmupDays: 7 })).toBe('nyc_taxi @ day 8');
    expect(runName('nyc_taxi', { seed: 2 })).toBe('nyc_taxi @ seed 2');
    expect(runName('nyc_taxi', { warmupDays: 10, seed: 3 })).toBe('nyc_taxi @ day 11 @ seed 3');
    for (const name of ['nyc_taxi', 'nyc_taxi @ day 8', 'nyc_taxi @ seed 2', 'nyc_taxi @ day 11 @ seed 3'])
      expect(traceOf(name)).toBe('nyc_taxi');
  });
});
