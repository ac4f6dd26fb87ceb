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
});
