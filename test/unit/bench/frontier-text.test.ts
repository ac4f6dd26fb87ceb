import { compareFrontiers, type SweepPoint } from '../../../shared/simulation/evaluation/compare-frontiers';
import type { TraceDay } from '../../../shared/simulation/evaluation/summarise-days';
import { daysSummary, marginText, markdownTable, runName, traceOf } from '../../bench/lib/frontier-text';
import { anotherSettingEachDay, sweepPoint as point } from '../../helpers/sweep-point';

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

describe('markdownTable', () => {
  it('says by how much each escaping rival point escapes, each way', () => {
    const points = [
      point('prescale', 'target 60 %', 10, 40),
      point('prescale', 'target 70 %', 8.2, 1000),
      point('reactive', 'target 60 %', 10, 200),
      point('reactive', 'target 80 %', 8, 1420),
      point('ec2-predictive', 'target 40 %, buffer 300 s', 14, 0),
    ];
    const table = markdownTable([
      { name: 'a', evaluatedDays: 1, points, comparison: compareFrontiers(points) },
    ]);
    // No Prescale setting is as cheap as reactive's 80 %; the cheapest with as few minutes costs 2.5 % more.
    expect(table).toContain('| ✗ 80 % (–, +2.5 % $) |');
    expect(table).toContain('| ✗ 40 %/300 s (+40 min, –) |');
  });

  it('writes a margin as minutes and a cost share, and nothing without one', () => {
    expect(marginText({ extraMinutes: 1, extraCostShare: 0.0061 })).toBe('(+1 min, +0.6 % $)');
    expect(marginText(undefined)).toBe('');
  });
});
