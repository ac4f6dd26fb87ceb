import type { OnDemandPriceList, PriceCatalog, PricedOperatingSystem } from '../../ports/price-catalog';
import { PricesUnavailableError } from '../../ports/price-catalog';
// Named, so the bundle leaves out the file's description and source, which nothing reads at run time.
import { asOf, operatingSystem, regions } from './on-demand-linux.json';

/** The shape of a static price file (see `on-demand-linux.json` for where its values come from). */
export interface StaticPriceFile {
  /** Where its values come from (in the file; not bundled). */
  readonly source?: string;
  /** ISO date of the prices. */
  readonly asOf: string;
  readonly operatingSystem: string;
  readonly regions: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * `PriceCatalog` on a price file shipped in the build: the last fallback when the Pricing API fails
 * and nothing is cached. It holds Linux on-demand prices for common current-generation types in a
 * few regions; `asOfMs` is the date of its prices, reported as their fetch time.
 */
export class StaticFilePriceCatalog implements PriceCatalog {
  readonly asOfMs: number;

  constructor(private readonly file: StaticPriceFile = { asOf, operatingSystem, regions }) {
    this.asOfMs = Date.parse(file.asOf);
  }

  async onDemandPrices(region: string, operatingSystem: PricedOperatingSystem): Promise<OnDemandPriceList> {
    const prices = this.file.regions[region];
    if (operatingSystem !== this.file.operatingSystem || !prices) {
      throw new PricesUnavailableError('the static price file', region, operatingSystem);
    }
    const hourlyPriceUsdByType: Record<string, number> = {};
    for (const [type, price] of Object.entries(prices)) if (price > 0) hourlyPriceUsdByType[type] = price;
    return { region, operatingSystem, hourlyPriceUsdByType, skippedEntries: 0 };
  }
}
