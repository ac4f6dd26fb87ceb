import fc from 'fast-check';
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

describe('burstPlannedLoad', () => {
  const forecastPlan = [40, 400, 40, 900];

  it("plans a bursty group's newest window mean at every step", () => {
    const burst = burstFloor(input(onOff(5, 250)));
    expect(burstPlannedLoad(forecastPlan, burst)).toEqual([130, 130, 130, 130]);
  });

  it('keeps the forecast plan of a smooth group, of one with no measured mean, and with the floor off', () => {
    const smooth = burstFloor(input(Array.from({ length: 40 }, () => 300)));
    expect(burstPlannedLoad(forecastPlan, smooth)).toEqual(forecastPlan);
    const unmeasured = { burstiness: 1, bursty: true, recentMeanLoad: Number.NaN, floorCapacity: 0 };
    expect(burstPlannedLoad(forecastPlan, unmeasured)).toEqual(forecastPlan);
    expect(burstPlannedLoad(forecastPlan, undefined)).toEqual(forecastPlan);
  });
});
