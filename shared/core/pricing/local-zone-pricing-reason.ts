/**
 * An ordinary Availability Zone's name: its region's name and one letter (`us-west-2a`,
 * `us-gov-west-1b`). A Local Zone's adds a location and a number (`us-west-2-lax-1a`), a
 * Wavelength Zone's a carrier and city (`us-east-1-wl1-bos-wlz-1`). Auto Scaling gives a group's
 * zones by name, and EC2 documents these forms, so the name alone tells them apart without a
 * DescribeAvailabilityZones call (its `ZoneType`).
 */
const AVAILABILITY_ZONE_NAME = /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/;

/**
 * Why no instance-type change may be applied to a group in `zoneNames`, or undefined when every
 * zone is an ordinary Availability Zone. The prices are the region's (the Price List's
 * `regionCode` of the Lambda's region); a Local Zone's or Wavelength Zone's instances are priced
 * under a `regionCode` of their own, usually higher, so the cheapest types there may differ.
 */
export function localZonePricingReason(zoneNames: readonly string[]): string | undefined {
  const zone = zoneNames.find((z) => !AVAILABILITY_ZONE_NAME.test(z));
  if (zone === undefined) return undefined;
  const kind = /-wlz-/.test(zone) ? 'Wavelength Zone' : 'Local Zone';
  return `priced at region prices; the group has subnets in ${kind} ${zone} whose prices differ: no change is applied`;
}
