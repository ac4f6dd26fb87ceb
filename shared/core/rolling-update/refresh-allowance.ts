/**
 * How long a rolling update lets its instance refresh run before rolling it back: the request's
 * `maxRefreshMinutes`, or 3 × Prescale's estimate and at least an hour (slow health checks make
 * real refreshes longer than the estimate).
 */
export function refreshAllowanceSeconds(estimateSeconds: number, maxRefreshMinutes?: number): number {
  return maxRefreshMinutes ? maxRefreshMinutes * 60 : Math.max(3600, 3 * estimateSeconds);
}
