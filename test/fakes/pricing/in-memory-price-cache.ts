import type { DatedPriceList, PriceCache, PricedOperatingSystem } from '../../../shared/ports/price-catalog';

/** `PriceCache` in memory, with the DynamoDB adapter's semantics (one list per region and OS). */
export class InMemoryPriceCache implements PriceCache {
  readonly items = new Map<string, { list: DatedPriceList; expiresAtMs: number }>();
  failGet?: Error;
  failPut?: Error;

  async get(region: string, operatingSystem: PricedOperatingSystem): Promise<DatedPriceList | undefined> {
    if (this.failGet) throw this.failGet;
    return this.items.get(`${region}#${operatingSystem}`)?.list;
  }

  async put(list: DatedPriceList, expiresAtMs: number): Promise<void> {
    if (this.failPut) throw this.failPut;
    this.items.set(`${list.region}#${list.operatingSystem}`, { list: structuredClone(list), expiresAtMs });
  }
}
