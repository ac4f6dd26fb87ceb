import { type Filter, GetProductsCommand, type PricingClient } from '@aws-sdk/client-pricing';
import {
  type OnDemandPriceList,
  type PriceCatalog,
  type PricedOperatingSystem,
  PricesUnavailableError,
} from '../ports/price-catalog';
import { parsePriceListEntries } from './pricing-api-price-list';
import { translateAwsError } from './translate-aws-error';

const DEPENDENCY = 'Pricing';
/** GetProducts returns at most 100 entries per page. */
const PAGE_SIZE = 100;
/** A region's EC2 Linux list is about ten pages; this bounds a NextToken that never ends. */
const MAX_PAGES = 200;

/** The `GetProducts` filters for shared-tenancy, no-extra-software, on-demand instances of one OS. */
export function pricingApiFilters(region: string, operatingSystem: PricedOperatingSystem): Filter[] {
  const match = (Field: string, Value: string): Filter => ({ Type: 'TERM_MATCH', Field, Value });
  return [
    match('regionCode', region),
    match('operatingSystem', operatingSystem),
    match('tenancy', 'Shared'),
    match('preInstalledSw', 'NA'),
    match('capacitystatus', 'Used'),
    match('licenseModel', 'No License required'),
  ];
}

/**
 * `PriceCatalog` on the AWS Price List Query API (`GetProducts`, service `AmazonEC2`). The client
 * must be created in a Pricing endpoint region (us-east-1, eu-central-1 or ap-south-1); the region
 * priced is a filter, not the client's region.
 */
export class PricingApiPriceCatalog implements PriceCatalog {
  constructor(private readonly client: PricingClient) {}

  async onDemandPrices(region: string, operatingSystem: PricedOperatingSystem): Promise<OnDemandPriceList> {
    const entries: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    try {
      do {
        const out = await this.client.send(
          new GetProductsCommand({
            ServiceCode: 'AmazonEC2',
            FormatVersion: 'aws_v1',
            Filters: pricingApiFilters(region, operatingSystem),
            MaxResults: PAGE_SIZE,
            ...(NextToken ? { NextToken } : {}),
          }),
        );
        entries.push(...(out.PriceList ?? []).map(String));
        NextToken = out.NextToken;
        pages++;
      } while (NextToken && pages < MAX_PAGES);
    } catch (error) {
      throw translateAwsError(error, DEPENDENCY, 'GetProducts');
    }
    const parsed = parsePriceListEntries(entries, region);
    if (Object.keys(parsed.hourlyPriceUsdByType).length === 0) {
      // The China partition's Price List is in CNY: say so rather than "no prices".
      const noUsd = parsed.skipped['missing-usd'];
      const source = noUsd ? `the Pricing API (${noUsd} entries, none priced in USD)` : 'the Pricing API';
      throw new PricesUnavailableError(source, region, operatingSystem);
    }
    return {
      region,
      operatingSystem,
      hourlyPriceUsdByType: parsed.hourlyPriceUsdByType,
      skippedEntries: parsed.malformedCount,
    };
  }
}
