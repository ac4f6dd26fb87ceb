import { type PricesInUse, stalePricesReason } from '../../../../shared/core/pricing/stale-prices-reason';

const FETCHED_MS = Date.UTC(2026, 10, 21, 17);

describe('stalePricesReason', () => {
  it.each<[string, PricesInUse]>([
    ['the Pricing API', { source: 'pricing-api', fetchedAtMs: FETCHED_MS, stale: false }],
    ['a fresh cache', { source: 'cache', fetchedAtMs: FETCHED_MS, stale: false }],
  ])('lets a change be applied on prices from %s', (_, prices) => {
    expect(stalePricesReason(prices, 12)).toBeUndefined();
  });

  it('names a stale cached list, when it was fetched and pricing.refreshHours', () => {
    expect(stalePricesReason({ source: 'cache', fetchedAtMs: FETCHED_MS, stale: true }, 12)).toBe(
      'the prices are stale: the cached list fetched 2026-11-21T17:00:00.000Z, older than pricing.refreshHours (12 h), stands in for the Pricing API (prices.problems says why); no change is applied on stale prices',
    );
  });

  it.each([true, false])('names the static price file and its date, stale %s or not', (stale) => {
    expect(stalePricesReason({ source: 'static-file', fetchedAtMs: Date.UTC(2025, 0, 15), stale }, 12)).toBe(
      "the prices are the static price file's, as of 2025-01-15T00:00:00.000Z, standing in for the Pricing API (prices.problems says why): no change is applied on them",
    );
  });
});
