import {
  type OnDemandPriceList,
  type PriceCatalog,
  type PricedOperatingSystem,
  PricesUnavailableError,
} from '../ports/price-catalog';

/**
 * `PriceCatalog` for a partition without the Price List Query API (GovCloud, isolated regions):
 * every request reports the prices unavailable without a call, so the selection falls back to its
 * cached or static prices instead of calling an endpoint the partition's credentials cannot reach.
 */
export class UnavailablePriceCatalog implements PriceCatalog {
  constructor(private readonly why: string) {}

  async onDemandPrices(region: string, operatingSystem: PricedOperatingSystem): Promise<OnDemandPriceList> {
    throw new PricesUnavailableError(this.why, region, operatingSystem);
  }
}
