import { mixedInstancesPolicy } from '../../../shared/contracts/mixed-instances-policy';

describe('mixedInstancesPolicy', () => {
  it("restates each override's type, weight as the API's string, and own launch template", () => {
    const policy = mixedInstancesPolicy({ id: 'lt-main', version: '7' }, [
      { instanceType: 'm7g.large', weightedCapacity: 2, launchTemplate: { id: 'lt-arm', version: '3' } },
      { instanceType: 'm7i.large' },
    ]);
    expect(policy).toEqual({
      LaunchTemplate: {
        LaunchTemplateSpecification: { LaunchTemplateId: 'lt-main', Version: '7' },
        Overrides: [
          {
            InstanceType: 'm7g.large',
            WeightedCapacity: '2',
            LaunchTemplateSpecification: { LaunchTemplateId: 'lt-arm', Version: '3' },
          },
          { InstanceType: 'm7i.large' },
        ],
      },
    });
  });

  it('keeps the on-demand/spot split it is given, as a copy', () => {
    const distribution = { OnDemandBaseCapacity: 2, SpotAllocationStrategy: 'price-capacity-optimized' };
    const policy = mixedInstancesPolicy({ id: 'lt-main', version: '$Default' }, [], distribution);
    expect(policy.InstancesDistribution).toEqual(distribution);
    expect(policy.InstancesDistribution).not.toBe(distribution);
    expect(policy.LaunchTemplate.LaunchTemplateSpecification.Version).toBe('$Default');
  });

  it('restates SpotInstancePools only under the lowest-price Spot strategy, the one Auto Scaling takes it with', () => {
    const policy = (distribution: Record<string, string | number>) =>
      mixedInstancesPolicy({ id: 'lt-main', version: '7' }, [], distribution).InstancesDistribution;
    // A Describe may report pools for a group on another strategy; restated, they are refused.
    expect(policy({ SpotAllocationStrategy: 'price-capacity-optimized', SpotInstancePools: 2 })).toEqual({
      SpotAllocationStrategy: 'price-capacity-optimized',
    });
    expect(policy({ SpotAllocationStrategy: 'capacity-optimized', SpotInstancePools: 2 })).toEqual({
      SpotAllocationStrategy: 'capacity-optimized',
    });
    expect(policy({ SpotAllocationStrategy: 'lowest-price', SpotInstancePools: 3 })).toEqual({
      SpotAllocationStrategy: 'lowest-price',
      SpotInstancePools: 3,
    });
    // No strategy stated: Auto Scaling's default, lowest-price.
    expect(policy({ SpotInstancePools: 3 })).toEqual({ SpotInstancePools: 3 });
  });
});
