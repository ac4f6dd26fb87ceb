import fc from 'fast-check';
import { wallClock } from '../../../../shared/core/forecast/wall-clock-time';
import {
  type BurstFloorInput,
  burstFloor,
  burstPlannedLoad,
} from '../../../../shared/core/planning/burst-floor';

/** Target 60 per instance, windows of 4 steps, bursty from a coefficient of variation of 0.5. */
const input = (loadPerStep: readonly number[], overrides: Partial<BurstFloorInput> = {}) => ({
  loadPerStep,
  targetLoadPerInstance: 60,
  windowSteps: 4,
  minBurstiness: 0.5,
  ...overrides,
});

/** On/off load: a burst of `burst` every other step over a base of 10. */
const onOff = (windows: number, burst: number) =>
  Array.from({ length: windows * 4 }, (_, i) => (i % 2 === 0 ? burst : 10));

describe('burstFloor', () => {
  it('holds the capacity the newest window mean needs when the load comes in bursts', () => {
    // Each window: 250, 10, 250, 10 → mean 130, sd 120 (CV 0.92); 130 / 60 → 3 instances.
    const floor = burstFloor(input(onOff(5, 250)));
    expect(floor.bursty).toBe(true);
    expect(floor.burstiness).toBeCloseTo(120 / 130, 9);
    expect(floor.recentMeanLoad).toBe(130);
    expect(floor.floorCapacity).toBe(3);
  });

  it('asks for no floor when the load varies little within its windows', () => {
    const smooth = Array.from({ length: 40 }, (_, i) => 300 + 5 * Math.sin(i));
    const floor = burstFloor(input(smooth));
    expect(floor.bursty).toBe(false);
    expect(floor.burstiness).toBeLessThan(0.05);
    expect(floor.floorCapacity).toBe(0);
  });

  it('judges by the median window, so one burst in a smooth history does not make the group bursty', () => {
    const history = Array.from({ length: 40 }, () => 100);
    history[21] = 900;
    expect(burstFloor(input(history)).bursty).toBe(false);
  });

  it('reads the newest window for the floor, not the history mean', () => {
    // Bursty throughout; the newest window's bursts are ten times the older ones'.
    const history = [...onOff(4, 100), 600, 0, 600, 0];
    const floor = burstFloor(input(history));
    expect(floor.recentMeanLoad).toBe(300);
    expect(floor.floorCapacity).toBe(5);
  });

  it('skips windows with fewer than half their steps observed and ignores missing steps in the mean', () => {
    const history = [...onOff(3, 250), Number.NaN, Number.NaN, Number.NaN, 40, 250, Number.NaN, 10, 130];
    const floor = burstFloor(input(history));
    // The newest window (250, NaN, 10, 130) has 3 of 4 steps: mean 130.
    expect(floor.recentMeanLoad).toBe(130);
    expect(floor.bursty).toBe(true);
  });

  it('has no burstiness to measure on a history shorter than one window', () => {
    const floor = burstFloor(input([500, 0, 500]));
    expect(floor.burstiness).toBeNaN();
    expect(floor.bursty).toBe(false);
    expect(floor.floorCapacity).toBe(0);
  });

  it('rejects a window under two steps, a non-positive target and a non-positive burstiness', () => {
    expect(() => burstFloor(input([1, 2], { windowSteps: 1 }))).toThrow(
      /windowSteps must be a whole number ≥ 2, got 1/,
    );
    expect(() => burstFloor(input([1, 2], { targetLoadPerInstance: 0 }))).toThrow(/targetLoadPerInstance/);
    expect(() => burstFloor(input([1, 2], { minBurstiness: 0 }))).toThrow(
      /minBurstiness must be a positive number, got 0/,
    );
  });

  it('never floors above what the newest window peak needs, and floors only bursty groups', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 4, maxLength: 80 }),
        fc.integer({ min: 2, max: 12 }),
        (loadPerStep, windowSteps) => {
          const floor = burstFloor(input(loadPerStep, { windowSteps }));
          const newest = loadPerStep.slice(-windowSteps);
          const peakNeed = Math.ceil(Math.max(...newest) / 60 - 1e-9);
          expect(floor.floorCapacity).toBeLessThanOrEqual(Math.max(0, peakNeed));
          if (!floor.bursty) expect(floor.floorCapacity).toBe(0);
        },
      ),
    );
  });
});

describe('burstFloor seasonal level', () => {
  /** Days of 8 steps (windows of 4): a busy coming window (steps 0–3 of each day) after a quiet one. */
  const day = (busy: number) => [busy, 10, busy, 10, 30, 10, 30, 10];
  const days = (busyPerDay: readonly number[]) => busyPerDay.flatMap(day);
  const seasonal = (periods: number) => ({ seasonalPeriodSteps: 8, seasonalPeriods: periods });

  it("raises the newest window's mean to the coming window's mean at the same time of the past days", () => {
    // Coming window d days back: mean (busy + 10) / 2 → 130 and 70 (days 250 and 130), mean 100.
    const floor = burstFloor(input(days([130, 250]), seasonal(2)));
    expect(floor.recentMeanLoad).toBe(20);
    expect(floor.seasonalMeanLoad).toBe(100);
    expect(floor.plannedMeanLoad).toBe(100);
    expect(floor.floorCapacity).toBe(2);
  });

  it('never lowers the newest window mean', () => {
    const history = [...days([130, 250]).slice(0, 12), 600, 0, 600, 0];
    const floor = burstFloor(input(history, seasonal(1)));
    expect(floor.recentMeanLoad).toBe(300);
    expect(floor.plannedMeanLoad).toBe(300);
  });

  it('reads only the days the history holds, and none when off or the period is shorter than the window', () => {
    // Three days with the busy window first: its same-time mean (130) predicts every window exactly.
    const history = days([250, 250, 250]);
    expect(burstFloor(input(history, seasonal(7))).seasonalMeanLoad).toBe(130);
    expect(burstFloor(input(history, seasonal(0))).seasonalMeanLoad).toBeNaN();
    expect(burstFloor(input(history)).plannedMeanLoad).toBe(20);
    const short = burstFloor(input(history, { seasonalPeriodSteps: 2, seasonalPeriods: 3 }));
    expect(short.seasonalMeanLoad).toBeNaN();
  });

  it('takes the median of the past days, so one outburst day does not set the level', () => {
    // The coming window's means on the past five days: 130, 130, 2510 (an outburst), 130, 130.
    const history = days([250, 250, 250, 5010, 250, 250]);
    const floor = burstFloor(input(history, seasonal(5)));
    expect(floor.seasonalMeanLoad).toBe(130);
    expect(floor.floorCapacity).toBe(3);
  });

  it('skips past windows with fewer than half their steps observed', () => {
    const history = [...days([250, 250]), ...days([250])];
    history[8] = Number.NaN;
    history[9] = Number.NaN;
    history[10] = Number.NaN;
    // The middle day's coming window has 1 of 4 steps: the oldest and newest days (130 each) count.
    expect(burstFloor(input(history, seasonal(2))).seasonalMeanLoad).toBe(130);
  });

  it('reads no seasonal level when the same time of past days predicted the history no better than the window before', () => {
    // The busy window lands at a different time each day: the previous window predicts better.
    // Two days: busy in the first half of the one, in the second half of the other.
    const earlyThenLate = [...day(250), 30, 10, 30, 10, 250, 10, 250, 10];
    const wandering = [...earlyThenLate, ...earlyThenLate];
    const floor = burstFloor(input(wandering, seasonal(3)));
    expect(floor.bursty).toBe(true);
    expect(floor.seasonalMeanLoad).toBeNaN();
    expect(floor.plannedMeanLoad).toBe(floor.recentMeanLoad);
  });

  it('reads no seasonal level for a smooth group, whose plan is the forecast', () => {
    const smoothDays = Array.from({ length: 24 }, (_, i) => (i % 8 < 4 ? 300 : 100));
    const floor = burstFloor(input(smoothDays, seasonal(3)));
    expect(floor.bursty).toBe(false);
    expect(floor.seasonalMeanLoad).toBeNaN();
    expect(floor.floorCapacity).toBe(0);
  });

  it('reads no seasonal level before a whole season of windows can be scored', () => {
    expect(burstFloor(input(days([250, 250]).slice(0, 12), seasonal(3))).seasonalMeanLoad).toBeNaN();
  });

  it('plans at least the newest mean and at most the larger of it and the past windows, floored only when bursty', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 8, maxLength: 80 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        (loadPerStep, windowSteps, periods) => {
          const period = 2 * windowSteps;
          const floor = burstFloor(
            input(loadPerStep, { windowSteps, seasonalPeriodSteps: period, seasonalPeriods: periods }),
          );
          const plain = burstFloor(input(loadPerStep, { windowSteps }));
          expect(floor.burstiness).toBe(plain.burstiness);
          expect(floor.plannedMeanLoad).toBeGreaterThanOrEqual(plain.recentMeanLoad);
          expect(floor.floorCapacity).toBeGreaterThanOrEqual(plain.floorCapacity);
          if (!floor.bursty) expect(floor.floorCapacity).toBe(0);
          const past = loadPerStep.slice(Math.max(0, loadPerStep.length - periods * period));
          const peak = Math.max(...past);
          expect(floor.plannedMeanLoad).toBeLessThanOrEqual(peak + 1e-6);
        },
      ),
    );
  });
});

describe('burstPlannedLoad', () => {
  const forecastPlan = [40, 400, 40, 900];

  it("plans a bursty group's newest window mean at every step", () => {
    const burst = burstFloor(input(onOff(5, 250)));
    expect(burstPlannedLoad(forecastPlan, burst)).toEqual([130, 130, 130, 130]);
  });

  it('keeps the forecast plan of a smooth group, of one with no measured mean, and with the floor off', () => {
    const smooth = burstFloor(input(Array.from({ length: 40 }, () => 300)));
    expect(burstPlannedLoad(forecastPlan, smooth)).toEqual(forecastPlan);
    const unmeasured = {
      burstiness: 1,
      bursty: true,
      recentMeanLoad: Number.NaN,
      seasonalMeanLoad: Number.NaN,
      plannedMeanLoad: Number.NaN,
      floorCapacity: 0,
    };
    expect(burstPlannedLoad(forecastPlan, unmeasured)).toEqual(forecastPlan);
    expect(burstPlannedLoad(forecastPlan, undefined)).toEqual(forecastPlan);
  });
});

describe('burstFloor seasonal level on a time zone', () => {
  const STEP_MS = 300_000;
  const HOUR = 3_600_000;
  const berlin = wallClock('Europe/Berlin');
  /** Bursty all day (a third of the steps at 30: windows of 3 average 10), ×10 from 09:00 to 10:00 local. */
  const load = (t: number, i: number): number => {
    const localHour = (berlin.toWallClockMs(t) % 86_400_000) / HOUR;
    const burst = i % 3 === 2 ? 30 : 0;
    return localHour >= 9 && localHour < 10 ? 10 * burst : burst;
  };
  /** Ten days of 5-minute steps up to `comingMs`, the coming window's start, and the floor there. */
  const floorAt = (comingMs: number, timeZone?: string) => {
    const startMs = comingMs - 10 * 86_400_000;
    const loadPerStep = Array.from({ length: (comingMs - startMs) / STEP_MS }, (_, i) =>
      load(startMs + i * STEP_MS, i),
    );
    return burstFloor({
      loadPerStep,
      targetLoadPerInstance: 60,
      windowSteps: 3,
      minBurstiness: 0.5,
      seasonalPeriodSteps: 288,
      seasonalPeriods: 7,
      ...(timeZone ? { seasonClock: { timeZone, startMs, stepMs: STEP_MS } } : {}),
    });
  };
  // The day after Berlin's spring-forward (2027-03-28 01:00Z): 09:00 local is 07:00Z, was 08:00Z.
  const at7z = Date.UTC(2027, 2, 29, 7);
  const at8z = Date.UTC(2027, 2, 29, 8);

  it('reads the same local time of past days the day after a daylight-saving change', () => {
    expect(floorAt(at7z, 'Europe/Berlin').seasonalMeanLoad).toBe(100);
    expect(floorAt(at8z, 'Europe/Berlin').seasonalMeanLoad).toBe(10);
  });

  it('without a zone or with "UTC", reads the same UTC time: a burst an hour late for days after the change', () => {
    for (const timeZone of [undefined, 'UTC']) {
      expect(floorAt(at7z, timeZone).seasonalMeanLoad).toBe(10);
      expect(floorAt(at8z, timeZone).seasonalMeanLoad).toBe(100);
    }
    expect(floorAt(at7z, 'UTC')).toEqual(floorAt(at7z));
  });
});
