import type {
  FrontierComparison,
  SweepPoint,
} from '../../../../shared/simulation/evaluation/compare-frontiers';
import { worseOnBoth } from '../../../../shared/simulation/evaluation/cost-slo-frontier';
import {
  evaluatedDay,
  sumDefaults,
  summariseDays,
  type TraceDay,
} from '../../../../shared/simulation/evaluation/summarise-days';

const point = (policy: string, knob: string): SweepPoint => ({
  policy,
  knob,
  isDefault: false,
  costUsd: 1,
  sloViolationMinutes: 1,
  instanceHours: 10,
});

/**
 * A trace-day whose rivals leave `escaping` points undominated (an empty list: dominated), the
 * first `beyondMixes` of each rival's beyond any mix of two Prescale settings.
 */
const traceDay = (
  name: string,
  warmupDays: number,
  escaping: { reactive: number; ec2: number; beyondMixes?: number },
  withinToleranceRatio: number | undefined,
  defaultsWorseOnBoth = false,
): TraceDay => {
  const verdict = (policy: string, n: number) => ({
    dominatesAll: n === 0,
    undominated: Array.from({ length: n }, (_, i) => point(policy, `target ${i} %`)),
  });
  const gap = { comparedPoints: 0, meanSavedMinutes: 0, minSavedMinutes: 0 };
  const rival = (name: 'reactive' | 'ec2-predictive', n: number) => {
    const v = verdict(name, n);
    const margins = v.undominated.map(() => ({ extraMinutes: 1, extraCostShare: 0.01 }));
    return {
      rival: name,
      verdict: v,
      beyondMixes: v.undominated.slice(0, escaping.beyondMixes ?? 0),
      margins,
      gap,
    };
  };
  const comparison = {
    frontiers: {},
    rivals: [rival('reactive', escaping.reactive), rival('ec2-predictive', escaping.ec2)],
    matchedCost: {
      costUsd: 1,
      reactiveSloMinutes: 10,
      prescaleSloMinutes: 5,
      ratio: 0.5,
      withinTolerance: { costUsd: 1.02, prescaleSloMinutes: 5, ratio: withinToleranceRatio },
    },
    defaultsWorseOnBoth,
  } as FrontierComparison;
  return { name, warmupDays, comparison };
};

describe('evaluatedDay', () => {
  it('numbers the day after the warm-up from 1 and reads a fractional warm-up as typed', () => {
    expect(evaluatedDay(7)).toBe(8);
    expect(evaluatedDay(12)).toBe(13);
    expect(evaluatedDay(3.3)).toBe(4.3);
    // 0.118 + 1 is 1.1179999999999999 in binary.
    expect(evaluatedDay(0.118)).toBe(1.118);
  });
});

describe('summariseDays', () => {
  const traceDays = [
    traceDay('a', 10, { reactive: 0, ec2: 2 }, 0.3),
    traceDay('b', 10, { reactive: 1, ec2: 0, beyondMixes: 1 }, 0.1, true),
    traceDay('c', 10, { reactive: 0, ec2: 0 }, undefined),
    traceDay('a', 7, { reactive: 0, ec2: 0 }, 0.2),
    traceDay('b', 7, { reactive: 3, ec2: 4, beyondMixes: 2 }, 0.6),
    traceDay('c', 7, { reactive: 0, ec2: 1 }, Number.NaN, true),
    traceDay('d', 7, { reactive: 2, ec2: 0 }, 0.4),
  ];

  it('summarises each evaluated day in ascending order', () => {
    const { days } = summariseDays(traceDays);
    expect(days).toEqual([
      {
        warmupDays: 7,
        day: 8,
        traces: 4,
        escapingRivalPoints: 10,
        // b's two reactive and two ec2-predictive points.
        escapingBeyondMixes: 4,
        escapingByRival: { reactive: 5, 'ec2-predictive': 5 },
        dominated: { reactive: 2, 'ec2-predictive': 2 },
        // 0.2, 0.4, 0.6: c's NaN (reactive missed no minute) is left out.
        matchedCostMedianWithinTolerance: 0.4,
        withoutMatchedCost: 1,
        defaultsWorseOnBoth: ['c'],
        foresightMedians: {},
        fixedFleetMedian: undefined,
        fixedFleetEscaping: 0,
      },
      {
        warmupDays: 10,
        day: 11,
        traces: 3,
        escapingRivalPoints: 3,
        escapingBeyondMixes: 1,
        escapingByRival: { reactive: 1, 'ec2-predictive': 2 },
        dominated: { reactive: 2, 'ec2-predictive': 2 },
        // 0.1 and 0.3: c's undefined (Prescale cannot get that cheap) is left out.
        matchedCostMedianWithinTolerance: 0.2,
        withoutMatchedCost: 1,
        defaultsWorseOnBoth: ['b'],
        foresightMedians: {},
        fixedFleetMedian: undefined,
        fixedFleetEscaping: 0,
      },
    ]);
  });

  it('summarises each seed of a day on its own, after the day, seeds ascending', () => {
    const seeded = [
      { ...traceDay('a', 7, { reactive: 1, ec2: 0 }, 0.2), seed: 2 },
      { ...traceDay('a', 7, { reactive: 0, ec2: 3 }, 0.4), seed: 1 },
      { ...traceDay('b', 7, { reactive: 0, ec2: 1 }, 0.6), seed: 1 },
      { ...traceDay('a', 10, { reactive: 2, ec2: 0 }, 0.1), seed: 1 },
    ];
    const { days, allDays } = summariseDays(seeded);
    expect(days.map((d) => [d.day, d.seed, d.traces, d.escapingRivalPoints])).toEqual([
      [8, 1, 2, 4],
      [8, 2, 1, 1],
      [11, 1, 1, 2],
    ]);
    expect(allDays.traces).toBe(4);
  });

  it('summarises every trace-day together, the median over all of them', () => {
    expect(summariseDays(traceDays).allDays).toEqual({
      traces: 7,
      escapingRivalPoints: 13,
      escapingBeyondMixes: 5,
      escapingByRival: { reactive: 6, 'ec2-predictive': 7 },
      dominated: { reactive: 4, 'ec2-predictive': 4 },
      matchedCostMedianWithinTolerance: 0.3,
      withoutMatchedCost: 2,
      defaultsWorseOnBoth: ['b', 'c'],
      foresightMedians: {},
      fixedFleetMedian: undefined,
      fixedFleetEscaping: 0,
    });
  });

  it('has no median when no trace has a matched-cost reading', () => {
    const { days, allDays } = summariseDays([traceDay('a', 12, { reactive: 0, ec2: 0 }, undefined)]);
    expect(days[0]).toMatchObject({
      day: 13,
      matchedCostMedianWithinTolerance: undefined,
      withoutMatchedCost: 1,
    });
    expect(allDays.matchedCostMedianWithinTolerance).toBeUndefined();
    expect(summariseDays([])).toEqual({
      days: [],
      allDays: {
        traces: 0,
        escapingRivalPoints: 0,
        escapingBeyondMixes: 0,
        escapingByRival: { reactive: 0, 'ec2-predictive': 0 },
        dominated: { reactive: 0, 'ec2-predictive': 0 },
        matchedCostMedianWithinTolerance: undefined,
        withoutMatchedCost: 0,
        defaultsWorseOnBoth: [],
        foresightMedians: {},
        fixedFleetMedian: undefined,
        fixedFleetEscaping: 0,
      },
      defaultsSummed: [],
    });
  });
});

describe('foresight medians', () => {
  it('reads each perfect-foresight series like Prescale, leaving out and counting the traces without a reading', () => {
    const withBounds = (day: TraceDay, ratios: Record<string, number | undefined>): TraceDay => ({
      ...day,
      comparison: {
        ...day.comparison,
        foresightBounds: Object.entries(ratios).map(([series, ratio]) => ({ series, sloMinutes: 1, ratio })),
      },
    });
    const days = [
      withBounds(traceDay('a', 7, { reactive: 0, ec2: 0 }, 0.5), { oracle: 0, 'oracle-5min': 0.1 }),
      withBounds(traceDay('b', 7, { reactive: 0, ec2: 0 }, 0.5), { oracle: 0.2, 'oracle-5min': undefined }),
      withBounds(traceDay('c', 7, { reactive: 0, ec2: 0 }, 0.5), { oracle: 0.4, 'oracle-5min': Number.NaN }),
    ];
    expect(summariseDays(days).allDays.foresightMedians).toEqual({
      oracle: { median: 0.2, withoutReading: 0 },
      // b's undefined (cannot get that cheap) and c's NaN (reactive missed no minute) are left out.
      'oracle-5min': { median: 0.1, withoutReading: 2 },
    });
    expect(
      summariseDays([withBounds(traceDay('a', 7, { reactive: 0, ec2: 0 }, 0.5), { oracle: undefined })])
        .allDays.foresightMedians,
    ).toEqual({ oracle: { median: undefined, withoutReading: 1 } });
  });

  it('reads the fixed fleet the same way, over the traces that ran static fleets', () => {
    // One escaping size per tenth of the ratio, none without a reading.
    const escaping = (ratio: number | undefined) =>
      Array.from({ length: Math.round((ratio ?? 0) * 10) }, () => ({
        policy: 'static',
        knob: '3 instances',
        isDefault: false,
        instanceHours: 72,
        costUsd: 6.9,
        sloViolationMinutes: 100,
      }));
    const withFleet = (day: TraceDay, ratio: number | undefined): TraceDay => ({
      ...day,
      comparison: { ...day.comparison, fixedFleet: { sloMinutes: 1, ratio, escaping: escaping(ratio) } },
    });
    const days = [
      withFleet(traceDay('a', 7, { reactive: 0, ec2: 0 }, 0.5), 0.1),
      withFleet(traceDay('b', 7, { reactive: 0, ec2: 0 }, 0.5), 0.3),
      withFleet(traceDay('c', 7, { reactive: 0, ec2: 0 }, 0.5), undefined),
      traceDay('d', 7, { reactive: 0, ec2: 0 }, 0.5),
    ];
    expect(summariseDays(days).allDays.fixedFleetMedian).toEqual({ median: 0.2, withoutReading: 1 });
    expect(summariseDays(days).allDays.fixedFleetEscaping).toBe(4);
    expect(summariseDays(days.slice(3)).allDays).toMatchObject({
      fixedFleetMedian: undefined,
      fixedFleetEscaping: 0,
    });
  });
});

describe('sumDefaults', () => {
  const withDefaults = (
    trace: string,
    warmupDays: number,
    prescale: [number, number],
    reactive: [number, number],
  ): TraceDay => ({
    ...traceDay(`${trace} @ day ${warmupDays + 1}`, warmupDays, { reactive: 0, ec2: 0 }, 0.5),
    trace,
    defaults: {
      prescale: { costUsd: prescale[0], sloViolationMinutes: prescale[1] },
      reactive: { costUsd: reactive[0], sloViolationMinutes: reactive[1] },
    },
  });

  it("sums each trace's default points over its days, a day worse on both weighing what it costs", () => {
    // x is worse on both on day 9 by a quarter and a minute, better summed; y is worse summed.
    const days = [
      withDefaults('x', 7, [10, 5], [9, 20]),
      withDefaults('y', 7, [5, 10], [4, 10]),
      withDefaults('x', 8, [9.25, 4], [9, 3]),
      withDefaults('y', 8, [5, 12], [4.5, 11]),
      traceDay('z', 7, { reactive: 0, ec2: 0 }, 0.5),
    ];
    const summed = sumDefaults(days);
    expect(summed).toEqual([
      {
        trace: 'x',
        days: 2,
        prescale: { costUsd: 19.25, sloViolationMinutes: 9 },
        reactive: { costUsd: 18, sloViolationMinutes: 23 },
      },
      {
        trace: 'y',
        days: 2,
        prescale: { costUsd: 10, sloViolationMinutes: 22 },
        reactive: { costUsd: 8.5, sloViolationMinutes: 21 },
      },
    ]);
    expect(summed.filter((s) => worseOnBoth(s.prescale, s.reactive)).map((s) => s.trace)).toEqual(['y']);
    expect(summariseDays(days).defaultsSummed).toEqual(summed);
  });
});
