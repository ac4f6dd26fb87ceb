import {
  compareFrontiers,
  type SweepPoint,
} from '../../../../shared/simulation/evaluation/compare-frontiers';

const p = (policy: string, costUsd: number, sloViolationMinutes: number, isDefault = false): SweepPoint => ({
  policy,
  knob: `${costUsd}`,
  isDefault,
  costUsd,
  sloViolationMinutes,
  instanceHours: costUsd * 10,
});

describe('compareFrontiers', () => {
  it('finds Prescale dominating a rival and what it saves at equal cost and at reactive default cost', () => {
    const out = compareFrontiers([
      p('prescale', 10, 40, true),
      p('prescale', 12, 10),
      p('reactive', 10, 100, true),
      p('reactive', 12, 60),
      p('reactive', 14, 30),
      p('static', 20, 0),
    ]);
    expect(out.frontiers.static).toEqual([p('static', 20, 0)]);
    expect(out.rivals).toHaveLength(1);
    expect(out.rivals[0]).toMatchObject({
      rival: 'reactive',
      verdict: { dominatesAll: true, undominated: [] },
    });
    // Savings: at 10: 100 − 40; at 12: 60 − 10; at 14: 30 − 10 → mean 130 / 3.
    expect(out.rivals[0]?.gap.meanSavedMinutes).toBeCloseTo(130 / 3, 9);
    expect(out.matchedCost).toEqual({
      costUsd: 10,
      reactiveSloMinutes: 100,
      prescaleSloMinutes: 40,
      ratio: 0.4,
    });
    expect(out.defaultsWorseOnBoth).toBe(false);
  });

  it('lists the rival points Prescale does not dominate and flags a default worse on both axes', () => {
    const out = compareFrontiers([
      p('prescale', 15, 50, true),
      p('reactive', 10, 40, true),
      p('ec2-predictive', 20, 5),
    ]);
    const byRival = Object.fromEntries(out.rivals.map((r) => [r.rival, r]));
    expect(byRival.reactive?.verdict.undominated).toEqual([p('reactive', 10, 40, true)]);
    expect(byRival['ec2-predictive']?.verdict.dominatesAll).toBe(false);
    expect(out.matchedCost?.prescaleSloMinutes).toBeUndefined();
    expect(out.defaultsWorseOnBoth).toBe(true);
  });

  it('compares nothing without Prescale points', () => {
    const out = compareFrontiers([p('reactive', 10, 40, true)]);
    expect(out.rivals).toEqual([]);
    expect(out.matchedCost).toBeUndefined();
  });
});
