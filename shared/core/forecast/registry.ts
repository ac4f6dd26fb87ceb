import { doubleSeasonalHoltWinters } from './models/double-seasonal-holt-winters';
import { fourierRegression } from './models/fourier-regression';
import { holtWintersDamped } from './models/holt-winters-damped';
import { recentLevel } from './models/recent-level';
import { seasonalMedian } from './models/seasonal-median';
import { seasonalNaive } from './models/seasonal-naive';
import { thetaSeasonal } from './models/theta-seasonal';
import type { ForecastModel } from './types';

/** Name of the model used when history is too short for every seasonal model. */
export const FALLBACK_MODEL_NAME = recentLevel.name;

/**
 * Every forecasting model, in a fixed order (ties in selection resolve by this order). The last
 * entry, `recent-level`, is the documented fallback for groups too new for any seasonal model.
 */
export const registry: readonly ForecastModel[] = [
  seasonalNaive('daily'),
  seasonalNaive('weekly'),
  holtWintersDamped,
  doubleSeasonalHoltWinters,
  thetaSeasonal,
  fourierRegression,
  seasonalMedian('daily'),
  seasonalMedian('weekly'),
  recentLevel,
];
