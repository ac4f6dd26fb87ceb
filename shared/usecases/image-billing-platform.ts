import type { LaunchTemplateFacts } from '../ports/instance-catalog';
import type { PricedOperatingSystem } from '../ports/price-catalog';

/**
 * The `PlatformDetails` EC2 gives an image billed as each `pricing.operatingSystem` (EC2 User
 * Guide, "AMI billing information fields": Linux/UNIX is `RunInstances`, Windows
 * `RunInstances:0002`, Red Hat Enterprise Linux `RunInstances:0010`, SUSE Linux `RunInstances:000g`).
 */
const PLATFORM_DETAILS: Readonly<Record<PricedOperatingSystem, string>> = {
  Linux: 'Linux/UNIX',
  Windows: 'Windows',
  RHEL: 'Red Hat Enterprise Linux',
  SUSE: 'SUSE Linux',
};

/** The `pricing.operatingSystem` whose prices an image billed as `platformDetails` pays, if one does. */
function operatingSystemBilledAs(platformDetails: string): PricedOperatingSystem | undefined {
  return (Object.keys(PLATFORM_DETAILS) as PricedOperatingSystem[]).find(
    (os) => PLATFORM_DETAILS[os] === platformDetails,
  );
}

/**
 * Why the group's prices are not what its instances are billed: its image is billed as another
 * platform (`PlatformDetails`) than the configured `pricing.operatingSystem` every type is priced
 * as (a Windows image under Linux prices: the license per vCPU is left out of both sides, so the
 * saving's share is overstated; SQL Server, BYOL or HA images have no price list here at all).
 * Undefined when they match or the image's billing is unknown (an SSM alias, no PlatformDetails),
 * which keeps the configured prices.
 */
export function billingPlatformMismatch(
  template: LaunchTemplateFacts,
  operatingSystem: PricedOperatingSystem,
): string | undefined {
  const billing = template.imageBilling;
  if (!billing || billing.platformDetails === PLATFORM_DETAILS[operatingSystem]) return undefined;
  const billedAs = `${billing.platformDetails}${billing.usageOperation ? ` (${billing.usageOperation})` : ''}`;
  const os = operatingSystemBilledAs(billing.platformDetails);
  const fix = os
    ? `set pricing.operatingSystem to ${os} to price it as billed`
    : 'no pricing.operatingSystem prices that platform; change the type yourself';
  const image = template.imageId ? `its image ${template.imageId}` : 'its image';
  return `${image} is billed as ${billedAs}, but every type is priced as pricing.operatingSystem ${operatingSystem} (${PLATFORM_DETAILS[operatingSystem]}), so the saving is not the group's and it recommends only: ${fix}`;
}
