/** A region that serves the Price List Query API (`GetProducts`). */
export type PricingApiEndpointRegion = 'us-east-1' | 'eu-central-1' | 'ap-south-1' | 'cn-northwest-1';

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
