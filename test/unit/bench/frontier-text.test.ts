import { compareFrontiers, type SweepPoint } from '../../../shared/simulation/evaluation/compare-frontiers';
import type { TraceDay } from '../../../shared/simulation/evaluation/summarise-days';
import { daysSummary } from '../../bench/lib/frontier-text';
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

  it('leaves the pooled lines out when no trace-day carries its points', () => {
    expect(daysSummary([day(7, day8, false), day(8, day9, false)])).not.toMatch(/pooled/);
  });
});
