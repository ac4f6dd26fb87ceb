import { forecastDemand } from '../core/forecast/forecast-demand';
import { memoizeForecast } from './memoize-forecast';

/**
 * Inputs kept: a worker batch holds up to 10 groups (the queue's batch size), and each keeps its
 * current refresh interval's entry while the next one is computed. An entry copies a 14-day
 * 5-minute history (~65 KB) and holds its forecast (~60 KB), so 32 cost ~4 MB of a warm container.
 */
const WARM_FORECAST_CAPACITY = 32;

/**
 * `forecastDemand` memoized for the life of a warm Lambda container. The scaling loop refits
 * each group's model once per `forecastRefreshMinutes`, so every run of the interval asks the
 * same question: a container that served the group earlier in the interval answers it without
 * refitting. `forecastDemand` is deterministic, so a hit changes no decision, only CPU.
 */
export const warmForecastDemand = memoizeForecast(forecastDemand, WARM_FORECAST_CAPACITY);
