import {
  compareFrontiers,
  type SweepPoint,
} from '../../../../shared/simulation/evaluation/compare-frontiers';
import { poolTraceDays } from '../../../../shared/simulation/evaluation/pool-days';
import { anotherSettingEachDay, sweepPoint as point } from '../../../helpers/sweep-point';

describe('poolTraceDays', () => {
  it("sums each setting's cost, minutes and instance-hours over its trace's days, traces apart and in order", () => {
    const pooled = poolTraceDays([
      { trace: 'b', points: [point('reactive', 'target 60 %', 2, 5)] },
      {
        trace: 'a',
        points: [point('reactive', 'target 60 %', 1, 10), point('prescale', 'target 60 %', 1.5, 1)],
      },
      { trace: 'b', points: [point('reactive', 'target 60 %', 3, 7)] },
      {
        trace: 'a',
        points: [point('prescale', 'target 60 %', 2.5, 3), point('reactive', 'target 60 %', 4, 20)],
      },
    ]);
    expect(pooled).toEqual([
      { trace: 'b', days: 2, points: [point('reactive', 'target 60 %', 5, 12)] },
      {
        trace: 'a',
        days: 2,
        points: [point('reactive', 'target 60 %', 5, 30), point('prescale', 'target 60 %', 4, 4)],
      },
    ]);
  });

  it('leaves out a setting not measured on every day of its trace (a fleet larger than one day needs)', () => {
    const [a] = poolTraceDays([
      {
        trace: 'a',
        points: [point('static', '30 instances', 3, 0), point('static', '31 instances', 3.1, 0)],
      },
      { trace: 'a', points: [point('static', '30 instances', 3, 2)] },
    ]);
    expect(a?.points).toEqual([point('static', '30 instances', 6, 2)]);
  });

  it('makes one Prescale setting hold for every day: a rival point each day dominates by another setting escapes on the sums', () => {
    const [day1 = [], day2 = []] = anotherSettingEachDay;
    const reactiveVerdict = (points: readonly SweepPoint[]) =>
      compareFrontiers(points).rivals.find((r) => r.rival === 'reactive')?.verdict;
    expect(reactiveVerdict(day1)?.dominatesAll).toBe(true);
    expect(reactiveVerdict(day2)?.dominatesAll).toBe(true);
    const [pooled] = poolTraceDays([
      { trace: 'a', points: day1 },
      { trace: 'a', points: day2 },
    ]);
    expect(reactiveVerdict(pooled?.points ?? [])?.undominated).toEqual([
      point('reactive', 'target 60 %', 20, 10),
    ]);
  });
});
