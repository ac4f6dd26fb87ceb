/**
 * How much of today's deviation from the usual pattern is still there one step later: the lag-1
 * autocorrelation of the seasonal differences e_t = y_t − y_{t−season} over the newest
 * `windowSteps` steps, clipped to [0, 1). A level shift persists (close to 1); noise around a
 * stable pattern does not (close to 0). Used as the AR(1) coefficient of the forecast's error: a
 * deviation r observed now is expected to be ρ^h · r h steps later (Box & Jenkins' error
 * correction), so level correction follows shifts and ignores noise. Returns 0 when there are
 * fewer than 3 differences or they do not vary. Pure.
 * @param values evenly spaced load, oldest first (non-finite values are skipped pairwise).
 * @param seasonSteps the season in steps (e.g. 288 for a day of 5-minute steps), ≥ 1.
 * @throws RangeError when `seasonSteps` or `windowSteps` is not a positive integer.
 */
export function residualPersistence(
  values: readonly number[],
  seasonSteps: number,
  windowSteps: number,
): number {
  if (
    !Number.isInteger(seasonSteps) ||
    seasonSteps < 1 ||
    !Number.isInteger(windowSteps) ||
    windowSteps < 1
  ) {
    throw new RangeError(
      `seasonSteps and windowSteps must be positive integers, got ${seasonSteps} and ${windowSteps}`,
    );
  }
  const start = Math.max(seasonSteps, values.length - windowSteps);
  const diffs: number[] = [];
  for (let t = start; t < values.length; t += 1)
    diffs.push((values[t] as number) - (values[t - seasonSteps] as number));
  const pairs: [number, number][] = [];
  for (let i = 1; i < diffs.length; i += 1) {
    const [a, b] = [diffs[i - 1] as number, diffs[i] as number];
    if (Number.isFinite(a) && Number.isFinite(b)) pairs.push([a, b]);
  }
  if (pairs.length < 2) return 0;
  const mean = pairs.reduce((s, [a, b]) => s + a + b, 0) / (2 * pairs.length);
  let cov = 0;
  let variance = 0;
  for (const [a, b] of pairs) {
    cov += (a - mean) * (b - mean);
    variance += ((a - mean) ** 2 + (b - mean) ** 2) / 2;
  }
  if (!(variance > 0)) return 0;
  return Math.min(0.99, Math.max(0, cov / variance));
}
