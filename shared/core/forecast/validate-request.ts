import { InvalidHorizonError, InvalidLevelError } from './errors';
import type { ForecastRequest } from './types';

/**
 * Checks a forecast request and returns its levels sorted ascending without duplicates.
 * @throws InvalidHorizonError when `horizonSteps` is not a positive integer.
 * @throws InvalidLevelError when a level is not strictly between 0 and 100 percent.
 */
export function validateRequest(request: ForecastRequest): number[] {
  const { horizonSteps, levels } = request;
  if (!Number.isInteger(horizonSteps) || horizonSteps <= 0) throw new InvalidHorizonError(horizonSteps);
  for (const level of levels) {
    if (!Number.isFinite(level) || level <= 0 || level >= 100) throw new InvalidLevelError(level);
  }
  return [...new Set(levels)].sort((x, y) => x - y);
}
