/**
 * The Pricing API endpoint region nearest to `region`: the API is served only from us-east-1,
 * eu-central-1 and ap-south-1 (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html),
 * and any of them prices every region.
 */
export function pricingApiEndpointRegion(
  region: string | undefined,
): 'us-east-1' | 'eu-central-1' | 'ap-south-1' {
  if (!region) return 'us-east-1';
  if (/^(eu|me|af|il)-/.test(region)) return 'eu-central-1';
  if (/^ap-/.test(region)) return 'ap-south-1';
  return 'us-east-1';
}
