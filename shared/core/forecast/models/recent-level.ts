/**
 * Recent level — the fallback for groups too new for any seasonal model. The forecast is flat at
 * the mean of the last hour of history (at least the last 3 steps, at most all of it). Intervals
 * take the standard deviation of all history around its mean, floored at 10 % of the level, and
 * grow with √(1 + h/H₁) (H₁ = steps per hour) because nothing is known about the daily cycle yet.
 * Assumes only that load stays near its recent level. Minimum history: 1 step.
 * Reference: the "mean" and "naive" benchmarks, Hyndman & Athanasopoulos, FPP3 §5.2.
 */
import { InsufficientHistoryError } from '../errors';
import { normalForecast } from '../normal-forecast';
import type { FittedModel, ForecastModel, ForecastRequest, ModelForecast, RegularSeries } from '../types';
import { validateRequest } from '../validate-request';

const NAME = 'recent-level';

/** The flat recent-level fallback model; see the file note for the equations. */
export const recentLevel: ForecastModel = {
  name: NAME,
  minHistorySteps: () => 1,
  fit(series: RegularSeries): FittedModel {
    const y = series.values;
    const n = y.length;
    if (n < 1) throw new InsufficientHistoryError(NAME, n, 1);
    const hourSteps = Math.max(1, Math.round(3600 / series.stepSeconds));
    const window = Math.min(n, Math.max(3, hourSteps));
    let level = 0;
    for (let t = n - window; t < n; t += 1) level += y[t] as number;
    level /= window;
    let mean = 0;
    for (const v of y) mean += v;
    mean /= n;
    let variance = 0;
    for (const v of y) variance += (v - mean) ** 2;
    const sd = Math.max(Math.sqrt(variance / Math.max(1, n - 1)), 0.1 * Math.abs(level));
    return {
      model: NAME,
      forecast(request: ForecastRequest): ModelForecast {
        const levels = validateRequest(request);
        const means = new Array<number>(request.horizonSteps).fill(level);
        const spread = means.map((_, h) => sd * Math.sqrt(1 + (h + 1) / hourSteps));
        return normalForecast(NAME, means, spread, levels);
      },
    };
  },
};
