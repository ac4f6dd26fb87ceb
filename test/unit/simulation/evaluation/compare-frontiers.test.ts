import {
  compareFrontiers,
  escapeMargin,
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
    // At up to 2 % more cost (10.2): 40 − 0.2/2 × (40 − 10) on Prescale's frontier.
    expect(out.matchedCost).toEqual({
      costUsd: 10,
      reactiveSloMinutes: 100,
      prescaleSloMinutes: 40,
      ratio: 0.4,
      withinTolerance: {
        costUsd: expect.closeTo(10.2, 9),
        prescaleSloMinutes: expect.closeTo(37, 9),
        ratio: expect.closeTo(0.37, 9),
      },
    });
    expect(out.defaultsWorseOnBoth).toBe(false);
  });

  it('tells the escaping rival points a mix of two Prescale settings reaches from those beyond its curve', () => {
    const out = compareFrontiers([
      p('prescale', 10, 100, true),
      p('prescale', 20, 20),
      // Between the two: their mix at 15 misses 60; one setting alone would not do.
      p('reactive', 15, 70, true),
      // Below that line: beyond Prescale's curve.
      p('reactive', 16, 50),
      // Cheaper than any Prescale setting.
      p('reactive', 8, 300),
    ]);
    const reactive = out.rivals.find((r) => r.rival === 'reactive');
    expect(reactive?.verdict.undominated.map((x) => x.costUsd)).toEqual([15, 16, 8]);
    expect(reactive?.beyondMixes.map((x) => x.costUsd)).toEqual([16, 8]);
    // Each escape's margins: at 15 the setting at 10 misses 30 minutes more, the one at 20 costs a third more;
    // at 8 no setting is as cheap, and the cheapest with fewer minutes costs 25 % more.
    expect(reactive?.margins).toEqual([
      { extraMinutes: 30, extraCostShare: expect.closeTo(1 / 3, 9) },
      { extraMinutes: 50, extraCostShare: expect.closeTo(0.25, 9) },
      { extraMinutes: undefined, extraCostShare: expect.closeTo(0.25, 9) },
    ]);
  });

  it('reads an escape no Prescale setting reaches on minutes as having no cost margin', () => {
    expect(escapeMargin([p('prescale', 10, 100)], p('reactive', 12, 5))).toEqual({
      extraMinutes: 95,
      extraCostShare: undefined,
    });
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
    expect(out.matchedCost?.withinTolerance.ratio).toBeUndefined();
    expect(out.defaultsWorseOnBoth).toBe(true);
  });

  it('reaches reactive-default cost within the 2 % tolerance where it cannot exactly', () => {
    const out = compareFrontiers([p('prescale', 10.1, 30, true), p('reactive', 10, 60, true)]);
    expect(out.matchedCost?.ratio).toBeUndefined();
    expect(out.matchedCost?.withinTolerance.ratio).toBe(0.5);
  });

  it('reads each perfect-foresight series at reactive-default cost plus the tolerance, as the bound', () => {
    const out = compareFrontiers([
      p('prescale', 10, 40, true),
      p('reactive', 10, 100, true),
      p('oracle', 9, 0),
      p('oracle-5min', 9, 30),
      p('oracle-5min', 11, 10),
      p('static', 9, 0),
    ]);
    // oracle-5min at 10.2: 30 − 1.2/2 × 20 = 18 minutes; static is not a foresight series.
    expect(out.foresightBounds).toEqual([
      { series: 'oracle', sloMinutes: 0, ratio: 0 },
      { series: 'oracle-5min', sloMinutes: expect.closeTo(18, 9), ratio: expect.closeTo(0.18, 9) },
    ]);
    expect(
      compareFrontiers([p('prescale', 10, 40, true), p('reactive', 10, 100, true)]).foresightBounds,
    ).toBe(undefined);
  });

  it('reads the static frontier at the same cost as the fixed fleet sized for the day, apart from the bounds', () => {
    const out = compareFrontiers([
      p('prescale', 10, 40, true),
      p('reactive', 10, 100, true),
      p('static', 9, 60),
      p('static', 11, 20),
      p('static', 12, 25),
    ]);
    // At 10.2: 60 − 1.2/2 × 40 = 36 minutes; the dominated 12-dollar fleet is off the frontier.
    // Prescale's one point spans $10 only: the fleets at $9 and $11 are outside it, not escaping.
    expect(out.fixedFleet).toEqual({
      sloMinutes: expect.closeTo(36, 9),
      ratio: expect.closeTo(0.36, 9),
      escaping: [],
    });
    // Spanning $8–$12: the $9 fleet (60 min) escapes the $8 point (70 min); the $11 one (20 min) does not escape the $11 point (15).
    expect(
      compareFrontiers([
        p('prescale', 8, 70, true),
        p('prescale', 11, 15),
        p('prescale', 12, 10),
        p('reactive', 10, 100, true),
        p('static', 9, 60),
        p('static', 11, 20),
      ]).fixedFleet?.escaping,
    ).toEqual([expect.objectContaining({ policy: 'static', costUsd: 9, sloViolationMinutes: 60 })]);
    expect(
      compareFrontiers([
        p('prescale', 9, 20, true),
        p('reactive', 10, 100, true),
        p('static', 9, 60),
        p('static', 11, 20),
      ]).fixedFleet?.escaping,
    ).toEqual([]);
    expect(out.foresightBounds).toBeUndefined();
    expect(
      compareFrontiers([p('prescale', 10, 40, true), p('reactive', 10, 100, true)]).fixedFleet,
    ).toBeUndefined();
    expect(compareFrontiers([p('prescale', 10, 40, true), p('static', 9, 0)]).fixedFleet).toBeUndefined();
  });

  it('compares nothing without Prescale points', () => {
    const out = compareFrontiers([p('reactive', 10, 40, true)]);
    expect(out.rivals).toEqual([]);
    expect(out.matchedCost).toBeUndefined();
  });
});
