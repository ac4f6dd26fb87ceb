import { localZonePricingReason } from '../../../../shared/core/pricing/local-zone-pricing-reason';

describe('localZonePricingReason', () => {
  it('has nothing to say of ordinary Availability Zones, in any partition', () => {
    for (const zones of [
      ['us-west-2a', 'us-west-2b', 'us-west-2d'],
      ['eu-central-2b'],
      ['ap-southeast-4a'],
      ['us-gov-west-1a'],
      ['cn-north-1a'],
      ['us-iso-east-1a'],
      [],
    ])
      expect(localZonePricingReason(zones)).toBeUndefined();
  });

  it('names the first Local Zone of a group that has one, whose prices are not the region’s', () => {
    expect(localZonePricingReason(['us-west-2a', 'us-west-2-lax-1a', 'us-west-2-lax-1b'])).toBe(
      'priced at region prices; the group has subnets in Local Zone us-west-2-lax-1a whose prices differ: no change is applied',
    );
    expect(localZonePricingReason(['eu-central-1-ham-1a'])).toMatch(/Local Zone eu-central-1-ham-1a/);
  });

  it('names a Wavelength Zone as one', () => {
    expect(localZonePricingReason(['us-east-1a', 'us-east-1-wl1-bos-wlz-1'])).toMatch(
      /subnets in Wavelength Zone us-east-1-wl1-bos-wlz-1 whose prices differ/,
    );
  });
});
