import {
  type DatedPriceList,
  type PricedOperatingSystem,
  PricesUnavailableError,
} from '../ports/price-catalog';

import { CACHE_RETENTION_MS, describeError, HOUR_MS } from './instance-type-selection-context';
import type { PriceReport, PriceSource, SelectInstanceTypesDeps } from './instance-type-selection-types';

/**
 * Prices for the run: the cache while fresh; else the Pricing API (and the cache is refreshed);
 * if that fails, the cached list however old, then the static file. None: `unpriceable` when
 * nothing is cached and every other source answered it has no prices for the region (its
 * `PricesUnavailableError`: a partition without a USD Price List, a region the static file lacks),
 * which later runs would answer the same; `unavailable` when a source could not answer.
 */
export async function loadPrices(
  deps: SelectInstanceTypesDeps,
  region: string,
  operatingSystem: PricedOperatingSystem,
  refreshHours: number,
): Promise<{ report: PriceReport; list?: DatedPriceList }> {
  const nowMs = deps.clock.nowMs();
  const problems: string[] = [];
  const noPrices: string[] = [];
  const failed = (what: string, error: unknown) => {
    problems.push(`${what}: ${describeError(error)}`);
    if (error instanceof PricesUnavailableError) noPrices.push(error.message);
  };
  let cached: DatedPriceList | undefined;
  try {
    cached = await deps.priceCache.get(region, operatingSystem);
  } catch (error) {
    failed('price cache unreadable', error);
  }
  const isStale = (list: DatedPriceList) => nowMs - list.fetchedAtMs > refreshHours * HOUR_MS;
  const priced = (source: PriceSource, list: DatedPriceList) => ({
    report: {
      kind: 'priced' as const,
      source,
      fetchedAtMs: list.fetchedAtMs,
      stale: isStale(list),
      typeCount: Object.keys(list.hourlyPriceUsdByType).length,
      skippedEntries: list.skippedEntries,
      problems,
    },
    list,
  });
  if (cached && !isStale(cached)) return priced('cache', cached);
  try {
    const fresh = { ...(await deps.pricingApi.onDemandPrices(region, operatingSystem)), fetchedAtMs: nowMs };
    try {
      await deps.priceCache.put(fresh, nowMs + Math.max(CACHE_RETENTION_MS, 2 * refreshHours * HOUR_MS));
    } catch (error) {
      problems.push(`price cache not updated: ${describeError(error)}`);
    }
    return priced('pricing-api', fresh);
  } catch (error) {
    failed('Pricing API failed', error);
  }
  if (cached) return priced('cache', cached);
  try {
    const file = await deps.staticPrices.onDemandPrices(region, operatingSystem);
    return priced('static-file', { ...file, fetchedAtMs: deps.staticPrices.asOfMs });
  } catch (error) {
    failed('static price file', error);
  }
  if (noPrices.length === problems.length) {
    return {
      report: { kind: 'unpriceable', reason: `${region} cannot be priced: ${noPrices.join('; ')}`, problems },
    };
  }
  return { report: { kind: 'unavailable', problems } };
}
