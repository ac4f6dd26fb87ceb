/**
 * Reads `GetProducts` PriceList entries (each a JSON *string*) into on-demand USD per hour by
 * instance type. Pure and order-independent: when several entries price one type, the lowest
 * positive price wins, whatever the order. Malformed entries are skipped and counted, never thrown.
 * Entry shape: https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-an-offer.html
 */

/** Why an entry was not used. `other-market`/`other-region` are well-formed entries of no interest. */
export type SkippedEntryReason =
  | 'bad-json'
  | 'missing-instance-type'
  | 'missing-on-demand-term'
  | 'missing-usd'
  | 'non-positive-price'
  | 'other-region'
  | 'other-market';

/** The prices read and what was skipped, by reason. */
export interface ParsedPriceList {
  readonly hourlyPriceUsdByType: Record<string, number>;
  readonly skipped: Partial<Record<SkippedEntryReason, number>>;
  /** Entries skipped because they were malformed (not counting other regions or markets). */
  readonly malformedCount: number;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const MALFORMED: ReadonlySet<SkippedEntryReason> = new Set([
  'bad-json',
  'missing-instance-type',
  'missing-on-demand-term',
  'missing-usd',
  'non-positive-price',
]);

/** Reads one entry: its instance type and on-demand USD per hour, or why it was skipped. */
export function readPriceListEntry(
  entry: string,
  region?: string,
): { instanceType: string; hourlyPriceUsd: number } | { skipped: SkippedEntryReason } {
  let doc: unknown;
  try {
    doc = JSON.parse(entry);
  } catch {
    return { skipped: 'bad-json' };
  }
  if (!isObject(doc)) return { skipped: 'bad-json' };
  const attributes =
    isObject(doc.product) && isObject(doc.product.attributes) ? doc.product.attributes : undefined;
  const instanceType = attributes?.instanceType;
  if (typeof instanceType !== 'string' || !/^[a-z0-9-]+\.[a-z0-9-]+$/.test(instanceType)) {
    return { skipped: 'missing-instance-type' };
  }
  if (region && typeof attributes?.regionCode === 'string' && attributes.regionCode !== region) {
    return { skipped: 'other-region' };
  }
  // Capacity Blocks and other purchase options share the filters; only plain on-demand is wanted.
  if (typeof attributes?.marketoption === 'string' && attributes.marketoption !== 'OnDemand') {
    return { skipped: 'other-market' };
  }
  const onDemand = isObject(doc.terms) && isObject(doc.terms.OnDemand) ? doc.terms.OnDemand : undefined;
  if (!onDemand || Object.keys(onDemand).length === 0) return { skipped: 'missing-on-demand-term' };
  let best: number | undefined;
  let sawNonPositive = false;
  for (const term of Object.values(onDemand)) {
    if (!isObject(term) || !isObject(term.priceDimensions)) continue;
    for (const dimension of Object.values(term.priceDimensions)) {
      if (!isObject(dimension) || !isObject(dimension.pricePerUnit)) continue;
      if (typeof dimension.unit === 'string' && !/^hrs?$/i.test(dimension.unit)) continue;
      const usd = dimension.pricePerUnit.USD;
      if (typeof usd !== 'string' && typeof usd !== 'number') continue;
      const price = typeof usd === 'number' ? usd : usd.trim() === '' ? Number.NaN : Number(usd);
      if (!Number.isFinite(price)) continue;
      if (price <= 0) {
        sawNonPositive = true;
        continue;
      }
      best = best === undefined ? price : Math.min(best, price);
    }
  }
  if (best === undefined) return { skipped: sawNonPositive ? 'non-positive-price' : 'missing-usd' };
  return { instanceType, hourlyPriceUsd: best };
}

/** Reads every entry; see the module note for the rules. */
export function parsePriceListEntries(entries: readonly string[], region?: string): ParsedPriceList {
  const hourlyPriceUsdByType: Record<string, number> = {};
  const skipped: Partial<Record<SkippedEntryReason, number>> = {};
  let malformedCount = 0;
  for (const entry of entries) {
    const read = readPriceListEntry(entry, region);
    if ('skipped' in read) {
      skipped[read.skipped] = (skipped[read.skipped] ?? 0) + 1;
      if (MALFORMED.has(read.skipped)) malformedCount++;
      continue;
    }
    const previous = hourlyPriceUsdByType[read.instanceType];
    hourlyPriceUsdByType[read.instanceType] =
      previous === undefined ? read.hourlyPriceUsd : Math.min(previous, read.hourlyPriceUsd);
  }
  return { hourlyPriceUsdByType, skipped, malformedCount };
}
