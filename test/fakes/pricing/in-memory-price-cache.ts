import type { Clock } from '../../../shared/ports/clock';
import type { DatedPriceList, PriceCache, PricedOperatingSystem } from '../../../shared/ports/price-catalog';

/**
 * `PriceCache` in memory, with the DynamoDB adapter's semantics: one list per region and OS, read
 * as none from its expiry on (`clock`), whether or not the store has deleted it yet.
 */
export class InMemoryPriceCache implements PriceCache {
  readonly items = new Map<string, { list: DatedPriceList; expiresAtMs: number }>();
  failGet?: Error;
  failPut?: Error;

  constructor(private readonly clock: Clock) {}

  async get(region: string, operatingSystem: PricedOperatingSystem): Promise<DatedPriceList | undefined> {
    if (this.failGet) throw this.failGet;
    const item = this.items.get(`${region}#${operatingSystem}`);
    // The adapter stores the expiry in whole seconds, rounded up.
    if (!item || Math.ceil(item.expiresAtMs / 1000) * 1000 <= this.clock.nowMs()) return undefined;
    return item.list;
  }

  async put(list: DatedPriceList, expiresAtMs: number): Promise<void> {
    if (this.failPut) throw this.failPut;
    this.items.set(`${list.region}#${list.operatingSystem}`, { list: structuredClone(list), expiresAtMs });
  }
}
