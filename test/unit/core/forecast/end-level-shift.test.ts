import fc from 'fast-check';
import { endLevelShift } from '../../../../shared/core/forecast/end-level-shift';

const DAY = 48;

/** A daily shape with small deterministic noise, `days` days long. */
const daily = (days: number, level = 100) =>
  Array.from(
    { length: days * DAY },
    (_, t) => level + 20 * Math.sin((2 * Math.PI * t) / DAY) + ((t * 7) % 4) - 1.5 + (t % 97 === 0 ? 9 : 0),
  );

describe('endLevelShift', () => {
  it('returns the part of a step in the newest steps that the forecast has not followed', () => {
    const history = daily(8);
    for (let t = history.length - 4; t < history.length; t += 1) history[t] = (history[t] as number) + 60;
    // The forecast repeats yesterday plus 20: a third of the step already followed.
    const mean = Array.from({ length: DAY }, (_, h) => (history[history.length - DAY + h] as number) + 20);
    expect(endLevelShift(history, mean, { dailySteps: DAY })).toBeCloseTo(40, 6);
  });

  it('takes no rise inside a known campaign window for a shift: the window ends, a shift would not', () => {
    const history = daily(8);
    for (let t = history.length - 4; t < history.length; t += 1) history[t] = (history[t] as number) + 60;
    const mean = Array.from({ length: DAY }, (_, h) => history[history.length - DAY + h] as number);
    const inCampaign = new Uint8Array(history.length);
    inCampaign[history.length - 2] = 1;
    expect(endLevelShift(history, mean, { dailySteps: DAY }, inCampaign)).toBe(0);
    expect(endLevelShift(history, mean, { dailySteps: DAY }, new Uint8Array(history.length))).toBeCloseTo(
      60,
      6,
    );
  });

  it('follows a drop as a negative shift', () => {
    const history = daily(8);
    for (let t = history.length - 3; t < history.length; t += 1) history[t] = (history[t] as number) - 50;
    const mean = Array.from({ length: DAY }, (_, h) => history[history.length - DAY + h] as number);
    expect(endLevelShift(history, mean, { dailySteps: DAY })).toBeCloseTo(-50, 6);
  });

  it('ignores a burst shorter than the window and a daily ramp', () => {
    const history = daily(8);
    history[history.length - 1] = (history[history.length - 1] as number) + 500;
    history[history.length - 2] = (history[history.length - 2] as number) + 500;
    const mean = Array.from({ length: DAY }, (_, h) => history[history.length - DAY + h] as number);
    expect(endLevelShift(history, mean, { dailySteps: DAY })).toBe(0);
    expect(endLevelShift(daily(8), mean, { dailySteps: DAY })).toBe(0);
  });

  it('returns 0 when the forecast already sits at the new level', () => {
    const history = daily(8);
    for (let t = history.length - 4; t < history.length; t += 1) history[t] = (history[t] as number) + 60;
    const mean = Array.from({ length: DAY }, (_, h) => (history[history.length - DAY + h] as number) + 60);
    expect(endLevelShift(history, mean, { dailySteps: DAY })).toBe(0);
  });

  it('takes a change that the same hours a week earlier had too for the weekly pattern, not a shift', () => {
    const WEEK = 7 * DAY;
    const history = daily(16);
    const n = history.length;
    // The same evening hours drop every week: by 45 the last two weeks, by 50 now. Against
    // yesterday that is beyond every earlier day-to-day change; against last week it is 5.
    for (const [end, drop] of [
      [n, 50],
      [n - WEEK, 45],
      [n - 2 * WEEK, 45],
    ] as const) {
      for (let t = end - 4; t < end; t += 1) history[t] = (history[t] as number) - drop;
    }
    const mean = Array.from({ length: DAY }, (_, h) => history[n - DAY + h] as number);
    expect(endLevelShift(history, mean, { dailySteps: DAY })).toBeLessThan(0);
    expect(endLevelShift(history, mean, { dailySteps: DAY, weeklySteps: WEEK })).toBe(0);
  });

  it('returns 0 with fewer than two days of history', () => {
    const history = daily(1).map((v, t) => (t > DAY - 5 ? v + 100 : v));
    expect(endLevelShift(history, new Array<number>(DAY).fill(100), { dailySteps: DAY })).toBe(0);
  });

  it('is finite and never moves against the direction of the newest changes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), {
          minLength: 2 * DAY + 3,
          maxLength: 4 * DAY,
        }),
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 3, maxLength: DAY }),
        (history, mean) => {
          const shift = endLevelShift(history, mean, { dailySteps: DAY });
          expect(Number.isFinite(shift)).toBe(true);
          const newest =
            (history[history.length - 1] as number) - (history[history.length - 1 - DAY] as number);
          if (shift !== 0) expect(Math.sign(shift)).toBe(Math.sign(newest));
        },
      ),
    );
  });
});
