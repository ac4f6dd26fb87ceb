import { classicalDecomposition, isSeasonal } from '../../../shared/core/forecast/classical-decomposition';

/**
 * M4 Naive2 benchmark: if the 90 % autocorrelation test finds seasonality with period m, divide by
 * classical multiplicative seasonal indices, hold the last adjusted value flat, and reseasonalise
 * with the indices of the matching positions (see shared/data/m4-hourly/README.md).
 */
export function naive2(insample: readonly number[], period: number, horizonSteps: number): number[] {
  const n = insample.length;
  const seasonal = isSeasonal(insample, period);
  const indices = seasonal ? classicalDecomposition(insample, period, 'multiplicative').indices : undefined;
  const index = (t: number): number => (indices === undefined ? 1 : (indices[t % period] as number));
  const last = (insample[n - 1] as number) / index(n - 1);
  return Array.from({ length: horizonSteps }, (_, h) => last * index(n + h));
}
