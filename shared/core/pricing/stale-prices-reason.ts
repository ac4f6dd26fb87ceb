/** Where a run's prices came from and how old they are, as the price report gives them. */
export interface PricesInUse {
  readonly source: 'pricing-api' | 'cache' | 'static-file';
  /** When the list was fetched (the static file: the date of its prices), epoch ms. */
  readonly fetchedAtMs: number;
  /** Older than `pricing.refreshHours`: a fallback after the Pricing API failed. */
  readonly stale: boolean;
}

/**
 * Why no instance-type change may be applied on `prices`, or undefined when they are fresh: a
 * cached list older than `pricing.refreshHours` (`refreshHours`, hours; kept up to 30 days to
 * stand in when the Pricing API fails), or the static price file shipped in the build, whatever
 * its date. Either still prices a recommendation; a change, which replaces a group's instances,
 * waits for a run the Pricing API (or a fresh cache) answers.
 */
export function stalePricesReason(prices: PricesInUse, refreshHours: number): string | undefined {
  const fetchedAt = new Date(prices.fetchedAtMs).toISOString();
  if (prices.source === 'static-file')
    return `the prices are the static price file's, as of ${fetchedAt}, standing in for the Pricing API (prices.problems says why): no change is applied on them`;
  if (!prices.stale) return undefined;
  const list = prices.source === 'cache' ? 'the cached list' : 'the list';
  return `the prices are stale: ${list} fetched ${fetchedAt}, older than pricing.refreshHours (${refreshHours} h), stands in for the Pricing API (prices.problems says why); no change is applied on stale prices`;
}
