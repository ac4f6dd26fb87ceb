import type {
  OnDemandPriceList,
  PriceCatalog,
  PricedOperatingSystem,
} from '../../../shared/ports/price-catalog';
import { PricesUnavailableError } from '../../../shared/ports/price-catalog';

/** A price source answering from a table, or failing with a set error; counts its calls. */
export class FakePriceCatalog implements PriceCatalog {
  calls = 0;
  failWith?: Error;

  constructor(
    private readonly pricesByRegion: Record<string, Record<string, number>>,
    readonly asOfMs = 0,
  ) {}

  async onDemandPrices(region: string, operatingSystem: PricedOperatingSystem): Promise<OnDemandPriceList> {
    this.calls++;
    if (this.failWith) throw this.failWith;
    const prices = this.pricesByRegion[region];
    if (!prices) throw new PricesUnavailableError('fake', region, operatingSystem);
    return { region, operatingSystem, hourlyPriceUsdByType: { ...prices }, skippedEntries: 0 };
  }
}
