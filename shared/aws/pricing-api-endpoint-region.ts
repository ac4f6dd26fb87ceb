import { ENV } from '../contracts/env';
import { InvalidConfigError } from '../contracts/parse-config';

/**
 * The regions that serve the Price List Query API (`GetProducts`): us-east-1, eu-central-1 and
 * ap-south-1 in the `aws` partition, cn-northwest-1 in `aws-cn`
 * (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html).
 */
export const PRICING_API_ENDPOINT_REGIONS = [
  'us-east-1',
  'eu-central-1',
  'ap-south-1',
  'cn-northwest-1',
] as const;

/** A region that serves the Price List Query API (`GetProducts`). */
export type PricingApiEndpointRegion = (typeof PRICING_API_ENDPOINT_REGIONS)[number];

/** Region names of the `aws` partition, as the SDK's partition table gives them (`regionRegex`). */
const AWS_PARTITION = /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/;
/** Region names of the China partition (`aws-cn`). */
const CHINA_PARTITION = /^cn-[a-z]+-\d+$/;

/**
 * The Pricing API endpoint region for a Lambda in `region`, or `undefined` where its partition has
 * none. The `aws` partition serves it from us-east-1, eu-central-1 and ap-south-1, and any of them
 * prices every region (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html);
 * the China partition (`aws-cn`) only from cn-northwest-1, in CNY
 * (https://docs.amazonaws.cn/en_us/awsaccountbilling/latest/aboutv2/using-the-aws-price-list-bulk-api.html).
 * GovCloud (`us-gov-*`), the isolated partitions (`us-iso-*`, `us-isob-*`, `us-isof-*`,
 * `eu-isoe-*`), the European Sovereign Cloud (`eusc-*`) and any name outside those two partitions
 * have none here: their credentials are not valid in another partition, so callers do not call the
 * API there (`PRESCALE_PRICING_REGION` names an endpoint where one exists).
 */
export function pricingApiEndpointRegion(region: string | undefined): PricingApiEndpointRegion | undefined {
  if (!region) return 'us-east-1';
  if (CHINA_PARTITION.test(region)) return 'cn-northwest-1';
  if (!AWS_PARTITION.test(region)) return undefined;
  if (/^(eu|me|af|il)-/.test(region)) return 'eu-central-1';
  if (/^ap-/.test(region)) return 'ap-south-1';
  return 'us-east-1';
}

/**
 * The Pricing API endpoint region for a Lambda in `region`: `override` (`PRESCALE_PRICING_REGION`)
 * when set, else the nearest one (`pricingApiEndpointRegion`); `undefined` where there is none.
 * An override that is not an endpoint region would send every `GetProducts` to an endpoint that
 * does not exist, and each run would fall back to stale or static prices, applying nothing.
 * @throws InvalidConfigError naming `PRESCALE_PRICING_REGION`, the value received and the endpoint
 *   regions, when `override` is not one of `PRICING_API_ENDPOINT_REGIONS`.
 */
export function pricingApiRegion(
  region: string | undefined,
  override: string | undefined,
): PricingApiEndpointRegion | undefined {
  // Set but empty reads as unset, as for every variable Prescale reads.
  if (!override) return pricingApiEndpointRegion(region);
  const endpoint = PRICING_API_ENDPOINT_REGIONS.find((r) => r === override);
  if (endpoint) return endpoint;
  throw new InvalidConfigError('Lambda environment', [
    {
      path: ENV.pricingRegion,
      received: JSON.stringify(override),
      expected:
        'a region with a Price List Query API endpoint: us-east-1, eu-central-1, ap-south-1 (aws partition) or cn-northwest-1 (aws-cn)',
    },
  ]);
}
