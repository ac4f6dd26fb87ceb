import { normalForecast } from '../normal-forecast';
import type { FittedModel, ForecastRequest, ModelForecast } from '../types';
import { validateRequest } from '../validate-request';

/**
 * A fitted model that repeats one season's profile: ŷ_{n+h} = profile[h mod m]. Its spread treats
 * the history's one-season differences y_t − y_{t−m} as i.i.d. zero-mean noise with spread σ, so
 * step h has σ·√(⌊h/m⌋ + 1). Shared by seasonal naive (the last season as the profile) and the
 * seasonal medians (a robust profile over several seasons).
 * @param values the history the model was fitted on (at least m + 1 values).
 * @param profile m values, one per step of the season.
 */
export function repeatSeason(
  name: string,
  values: readonly number[],
  profile: ArrayLike<number>,
): FittedModel {
  const m = profile.length;
  const n = values.length;
  let sumSquares = 0;
  for (let t = m; t < n; t += 1) sumSquares += ((values[t] as number) - (values[t - m] as number)) ** 2;
  const sigma = Math.sqrt(sumSquares / (n - m));
  return {
    model: name,
    forecast(request: ForecastRequest): ModelForecast {
      const levels = validateRequest(request);
      const mean: number[] = [];
      const spread: number[] = [];
      for (let h = 0; h < request.horizonSteps; h += 1) {
        mean.push(profile[h % m] as number);
        spread.push(sigma * Math.sqrt(Math.floor(h / m) + 1));
      }
      return normalForecast(name, mean, spread, levels);
    },
  };
}
