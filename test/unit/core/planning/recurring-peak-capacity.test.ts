import fc from 'fast-check';
import { planCapacity } from '../../../../shared/core/planning/plan-capacity';
import {
  recurringPeakCapacity,
  recurringPeakLoad,
} from '../../../../shared/core/planning/recurring-peak-capacity';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const STEP_MS = 300_000;

/** Days of 5-minute load at 55, with one step per hour set by `peak(day, hour)` (at minute `at`). */
function history(
  days: number,
  peak: (day: number, hour: number) => number,
  at = (_d: number) => 45,
): number[] {
  const load: number[] = [];
  for (let d = 0; d < days; d += 1)
    for (let h = 0; h < 24; h += 1) for (let m = 0; m < 60; m += 5) load.push(m === at(d) ? peak(d, h) : 55);
  return load;
}

describe('recurringPeakLoad', () => {
  const read = (loadPerStep: number[], over: Partial<Parameters<typeof recurringPeakLoad>[0]> = {}) =>
    recurringPeakLoad({
      loadPerStep,
      startMs: 0,
      stepMs: STEP_MS,
      forecastStartMs: loadPerStep.length * STEP_MS,
      forecastStepMs: STEP_MS,
      horizonSteps: 24 * 12,
      days: 7,
      minDays: 3,
      ...over,
    });

  it("reads each hour's highest step on the median past day, wherever in the hour it falls", () => {
    // Hour 3 peaks at 70, 80, 90, 100, 200 over five days, its minute drifting; other hours at 55.
    const load = history(
      5,
      (d, h) => (h === 3 ? ([70, 80, 90, 100, 200][d] as number) : 55),
      (d) => (d * 10) % 60,
    );
    const peaks = read(load);
    expect(peaks[3 * 12]).toBe(90);
    expect(peaks[3 * 12 + 11]).toBe(90);
    expect(peaks[4 * 12]).toBe(55);
  });

  it('reads only the newest days asked for', () => {
    const load = history(6, (d, h) => (h === 0 ? 100 + d : 55));
    // The newest three days: 103, 104, 105.
    expect(read(load, { days: 3, minDays: 3 })[0]).toBe(104);
  });

  it('knows no peak for an hour seen on fewer than the days required, and skips missing steps', () => {
    const load = history(2, () => 80);
    expect(read(load, { minDays: 3 }).every(Number.isNaN)).toBe(true);
    const gaps = history(3, () => 80).map((v, i) => (i % 12 === 2 ? Number.NaN : v));
    expect(read(gaps)[0]).toBe(80);
  });

  it('reads the same clock hour for a step on the forecast’s second day', () => {
    const load = history(4, (_d, h) => (h === 1 ? 90 : 55));
    // The forecast starts at 12:00 of the fourth day; its step at 01:00 the next day reads hour 1.
    const fromNoon = read(load, {
      forecastStartMs: 3 * DAY_MS + 12 * HOUR_MS,
      horizonSteps: 24 * 12,
    });
    expect(fromNoon[13 * 12]).toBe(90);
    expect(fromNoon[0]).toBe(55);
  });

  it('rejects a non-positive step and day counts below one with the values received', () => {
    expect(() => read([], { stepMs: 0 })).toThrow(
      'stepMs and forecastStepMs must be positive, got 0 and 300000',
    );
    expect(() => read([], { days: 0 })).toThrow('days and minDays must be whole numbers ≥ 1, got 0 and 3');
  });

  describe('on a time zone', () => {
    // Ten days of 5-minute load to the end of 2027-03-28 (Berlin's spring-forward, 01:00Z) at 55,
    // with a peak of 100 at 09:45 Berlin time each day: 08:45Z before the change, 07:45Z after.
    const startMs = Date.parse('2027-03-19T00:00:00Z');
    const forecastStartMs = Date.parse('2027-03-29T00:00:00Z');
    const load = Array.from({ length: 10 * 24 * 12 }, (_, i) => {
      const t = startMs + i * STEP_MS;
      const berlinOffsetMs = t < Date.parse('2027-03-28T01:00:00Z') ? HOUR_MS : 2 * HOUR_MS;
      return (t + berlinOffsetMs) % DAY_MS === 9 * HOUR_MS + 45 * 60_000 ? 100 : 55;
    });
    const hourly = (timeZone?: string) =>
      read(load, { startMs, forecastStartMs, ...(timeZone ? { timeZone } : {}) }).filter(
        (_, s) => s % 12 === 0,
      );

    it('keys the peak to the local hour: 07:00Z the day after spring-forward, 08:00Z in UTC', () => {
      const berlin = hourly('Europe/Berlin');
      expect(berlin[7]).toBe(100);
      expect(berlin[8]).toBe(55);
      const utc = hourly();
      expect(utc[7]).toBe(55);
      expect(utc[8]).toBe(100);
      expect(hourly('UTC')).toEqual(utc);
    });
  });
});

describe('recurringPeakCapacity', () => {
  it('adds the one instance that keeps the hour’s peak within the SLO, never more', () => {
    // Target 80, SLO 60: a plan of 1 with peaks of 90 (needs 2 at the SLO), 130 (needs 3), 50 (1).
    expect(recurringPeakCapacity([1, 1, 1, 4], [90, 130, 50, 290], 80, 60)).toEqual([2, 1, 1, 5]);
  });

  it('applies the same rule with the target at or below the SLO, where the plan already covers more', () => {
    // Target = SLO = 60: a plan of 1 (load 55) with peaks of 90 (needs 2), 130 (needs 3).
    expect(recurringPeakCapacity([1, 1], [90, 130], 60, 60)).toEqual([2, 1]);
    // Target 50 below the SLO of 60: a plan of 2 (load 55 at 50 per instance) already holds a
    // peak of 110 (2 at the SLO); 130 needs 3, one more; 190 needs 4, two more.
    expect(recurringPeakCapacity([2, 2, 2], [110, 130, 190], 50, 60)).toEqual([2, 3, 2]);
  });

  it('leaves the plan as it is without an SLO or with no peak known', () => {
    expect(recurringPeakCapacity([1, 1], [90, 90], 80)).toEqual([1, 1]);
    expect(recurringPeakCapacity([1, 1], [Number.NaN, 0], 80, 60)).toEqual([1, 1]);
  });

  it('rejects a non-positive SLO or target with the value received', () => {
    expect(() => recurringPeakCapacity([1], [90], 80, 0)).toThrow(
      'sloLoadPerInstance must be a positive number, got 0',
    );
    expect(() => recurringPeakCapacity([1], [90], 0, 60)).toThrow(
      'targetLoadPerInstance must be a positive number, got 0',
    );
  });

  it('raises a step by one instance exactly where the peak’s need at the SLO is one more than the plan, at any target', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.float({ min: 0, max: 5000, noNaN: true })), {
          maxLength: 40,
        }),
        fc.integer({ min: 20, max: 100 }),
        fc.integer({ min: 20, max: 100 }),
        (steps, target, slo) => {
          const plan = steps.map(([c]) => c);
          const peaks = steps.map(([, p]) => p);
          recurringPeakCapacity(plan, peaks, target, slo).forEach((capacity, step) => {
            const planned = plan[step] as number;
            const peak = peaks[step] as number;
            expect(capacity - planned === 0 || capacity - planned === 1).toBe(true);
            if (capacity > planned) expect(capacity * slo).toBeGreaterThanOrEqual(peak - 1e-6);
            // The one instance keeps the peak within the SLO and the plan alone does not.
            const need = peak / slo;
            const oneMoreKeepsIt = peak > 0 && need > planned + 1e-9 && need <= planned + 1 + 1e-9;
            expect(capacity > planned).toBe(oneMoreKeepsIt);
          });
        },
      ),
    );
  });
});

describe('planCapacity with recurring peaks', () => {
  it('holds the one instance more an hour’s recurring peak needs at the SLO', () => {
    const plan = (recurringPeak?: number[]) =>
      planCapacity({
        plannedLoad: Array.from({ length: 12 }, () => 55),
        forecastStartMs: 0,
        stepSeconds: 300,
        nowMs: 0,
        targetLoadPerInstance: 80,
        sloLoadPerInstance: 60,
        ...(recurringPeak ? { recurringPeakLoad: recurringPeak } : {}),
        leadTimeSeconds: 300,
        tickIntervalSeconds: 300,
        bounds: {
          currentMinSize: 1,
          currentMaxSize: 40,
          currentDesiredCapacity: 1,
          floorCapacity: 1,
          maxChangePerTick: 40,
          scaleInPerTick: 40,
          maxRaiseOverMaxSize: 0,
          hasScalingPolicies: false,
        },
      });
    expect(plan().minSize).toBe(1);
    const bought = plan(Array.from({ length: 12 }, () => 85));
    expect(bought.minSize).toBe(2);
    expect(bought.limits).toEqual([
      "one instance more (2, not 1) for the hour's recurring peak of 85 within the SLO of 60 per instance",
    ]);
    // A burst's peak (needs 3 at the SLO from a plan of 1): one instance would not keep it.
    const burst = plan(Array.from({ length: 12 }, () => 150));
    expect(burst.minSize).toBe(1);
    expect(burst.limits).toEqual([]);
  });
});
