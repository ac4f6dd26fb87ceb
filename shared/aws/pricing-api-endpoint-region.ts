/** A region that serves the Price List Query API (`GetProducts`). */
export type PricingApiEndpointRegion = 'us-east-1' | 'eu-central-1' | 'ap-south-1' | 'cn-northwest-1';

/**
 * The Pricing API endpoint region for a Lambda in `region`, or `undefined` where its partition has
 * none. The `aws` partition serves it from us-east-1, eu-central-1 and ap-south-1, and any of them
 * prices every region (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html);
 * the China partition (`aws-cn`) only from cn-northwest-1
 * (https://docs.amazonaws.cn/en_us/awsaccountbilling/latest/aboutv2/using-the-aws-price-list-bulk-api.html);
 * GovCloud (`aws-us-gov`) and the isolated partitions have no endpoint, and their credentials are
 * not valid in another partition, so callers skip the API there and use their cached or static prices.
 */
export function pricingApiEndpointRegion(region: string | undefined): PricingApiEndpointRegion | undefined {
  if (!region) return 'us-east-1';
  if (/^cn-/.test(region)) return 'cn-northwest-1';
  if (/^us-gov-|^us-iso/.test(region)) return undefined;
  if (/^(eu|me|af|il)-/.test(region)) return 'eu-central-1';
  if (/^ap-/.test(region)) return 'ap-south-1';
  return 'us-east-1';
}
