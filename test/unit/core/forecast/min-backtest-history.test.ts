import {
  backtestHorizonSteps,
  minBacktestHistorySteps,
} from '../../../../shared/core/forecast/min-backtest-history';
import { selectForecast } from '../../../../shared/core/forecast/select-forecast';
import { regularSeries } from './synthetic-load';

const STEP = 300;
const DAY = 288;
const sine = (steps: number) =>
  Array.from({ length: steps }, (_, t) => 100 + 60 * Math.sin((2 * Math.PI * t) / DAY) + (t % 7));

describe('minBacktestHistorySteps', () => {
  it('is two days and the backtest horizon, which stops at two days', () => {
    expect(backtestHorizonSteps(303, DAY)).toBe(303);
    expect(backtestHorizonSteps(900, DAY)).toBe(2 * DAY);
    expect(minBacktestHistorySteps(303, DAY)).toBe(2 * DAY + 303);
    expect(minBacktestHistorySteps(900, DAY)).toBe(4 * DAY);
  });

  it.each([27, 303, 591])('is where selectForecast starts to backtest at a %i-step horizon', (horizon) => {
    const least = minBacktestHistorySteps(horizon, DAY);
    const at = selectForecast(regularSeries(sine(least), STEP), sine(least), horizon, []);
    const below = selectForecast(regularSeries(sine(least - 1), STEP), sine(least - 1), horizon, []);
    expect(at.selection.kind).not.toBe('fallback');
    expect(below.selection.kind).toBe('fallback');
    // The fallback says what a backtested choice would take.
    expect(below.selection.reason).toContain(`a backtested choice needs ${least} steps at this horizon`);
  });
});
