import { AutoScalingInstanceTypeApplier } from '../../../../shared/aws/auto-scaling-instance-type-applier';
import { AutoScalingScalingTarget } from '../../../../shared/aws/auto-scaling-scaling-target';
import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { createAwsClients } from '../../../../shared/aws/create-aws-clients';
import { INSTANCE_TYPES } from '../../../../shared/simulation/world/instance-types';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { type Described, MIXED_WEB, mixedGroup, overrides } from '../../../helpers/mixed-web-group';
import { MINUTE, START } from '../../../helpers/simulated-auto-scaling-world';

// The mixed instances policy a group holds: how it is described, updated, refreshed and refused.
// Which instances it launches is in simulated-mixed-instances-launches.test.ts.
describe('a simulated mixed-instances group', () => {
  it('describes its policy (template, overrides, distribution over the defaults) instead of a launch template', () => {
    const { describeWeb } = mixedGroup();
    const group = describeWeb();
    expect(group?.LaunchTemplate).toBeUndefined();
    expect(group?.MixedInstancesPolicy?.LaunchTemplate.Overrides).toEqual([
      { InstanceType: 'm5.large' },
      { InstanceType: 'm6i.large' },
    ]);
    expect(group?.MixedInstancesPolicy?.InstancesDistribution).toMatchObject({
      OnDemandBaseCapacity: 1,
      OnDemandPercentageAboveBaseCapacity: 100,
    });
    expect(group?.Instances.map((i) => i.InstanceType)).toEqual(['m5.large', 'm5.large']);
  });

  it('launches new instances as the first override after an update; running ones keep their type', () => {
    const { asg, describeWeb } = mixedGroup();
    asg.updateAutoScalingGroup({
      AutoScalingGroupName: 'web',
      DesiredCapacity: 3,
      MixedInstancesPolicy: {
        ...overrides('c5.large', 'm5.large'),
        InstancesDistribution: { SpotInstancePools: 3 },
      },
    });
    asg.advanceTo(START + 2 * MINUTE);
    expect(
      describeWeb()
        ?.Instances.map((i) => i.InstanceType)
        .sort(),
    ).toEqual(['c5.large', 'm5.large', 'm5.large']);
    expect(asg.instanceType('web')).toBe('c5.large');
    // The distribution's given members over the current ones.
    expect(describeWeb()?.MixedInstancesPolicy?.InstancesDistribution).toMatchObject({
      OnDemandBaseCapacity: 1,
      SpotInstancePools: 3,
    });
  });

  it('refuses a request naming both a launch template and a mixed instances policy, and a type EC2 does not offer here', () => {
    const { asg } = mixedGroup();
    expect(() =>
      asg.updateAutoScalingGroup({
        AutoScalingGroupName: 'web',
        LaunchTemplate: { LaunchTemplateId: 'lt-0776656200000000', Version: '1' },
        MixedInstancesPolicy: overrides('c5.large'),
      }),
    ).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(() =>
      asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', MixedInstancesPolicy: overrides('x9.huge') }),
    ).toThrow(
      expect.objectContaining({ name: 'ValidationError', message: expect.stringMatching(/x9\.huge/) }),
    );
  });

  it('says what it does not model: attribute-based selection', () => {
    const { asg } = mixedGroup();
    const attributes = {
      LaunchTemplate: { Overrides: [{ InstanceRequirements: { VCpuCount: { Min: 2 } } }] },
    };
    expect(() =>
      asg.updateAutoScalingGroup({ AutoScalingGroupName: 'web', MixedInstancesPolicy: attributes }),
    ).toThrow(expect.objectContaining({ name: 'UnsupportedCommandError' }));
  });

  it('refreshes onto a desired mixed instances policy, and a rollback restores the policy it replaced', () => {
    const { asg, describeWeb } = mixedGroup();
    asg.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: {
        MixedInstancesPolicy: {
          ...overrides('c5.large', 'm5.large'),
          LaunchTemplate: {
            ...overrides('c5.large', 'm5.large').LaunchTemplate,
            LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0776656200000000', Version: '2' },
          },
        },
      },
      Preferences: { MinHealthyPercentage: 50 },
    });
    const refresh = () =>
      (
        asg.describeInstanceRefreshes({ AutoScalingGroupName: 'web' }) as {
          InstanceRefreshes: { DesiredConfiguration: Described['AutoScalingGroups'][number] }[];
        }
      ).InstanceRefreshes[0]?.DesiredConfiguration;
    expect(refresh()?.MixedInstancesPolicy?.LaunchTemplate).toMatchObject({
      LaunchTemplateSpecification: { Version: '2' },
      Overrides: [{ InstanceType: 'c5.large' }, { InstanceType: 'm5.large' }],
    });
    // The group keeps its own policy until the refresh succeeds (StartInstanceRefresh, DesiredConfiguration).
    expect(describeWeb()?.MixedInstancesPolicy?.LaunchTemplate).toMatchObject({
      LaunchTemplateSpecification: { Version: '1' },
      Overrides: [{ InstanceType: 'm5.large' }, { InstanceType: 'm6i.large' }],
    });
    asg.rollbackInstanceRefresh({ AutoScalingGroupName: 'web' });
    expect(describeWeb()?.MixedInstancesPolicy?.LaunchTemplate).toMatchObject({
      LaunchTemplateSpecification: { Version: '1' },
      Overrides: [{ InstanceType: 'm5.large' }, { InstanceType: 'm6i.large' }],
    });
    expect(refresh()?.MixedInstancesPolicy?.LaunchTemplate.Overrides).toEqual([
      { InstanceType: 'm5.large' },
      { InstanceType: 'm6i.large' },
    ]);
  });

  it('refuses more than 40 instance types, or more than 20 launch templates of their own', () => {
    const { asg } = mixedGroup();
    // The simulated EC2 offers five types, so the overrides repeat them.
    const types = Object.keys(INSTANCE_TYPES);
    const many = (n: number, template?: (i: number) => string) => ({
      AutoScalingGroupName: 'web',
      MixedInstancesPolicy: {
        LaunchTemplate: {
          Overrides: Array.from({ length: n }, (_, i) => ({
            InstanceType: types[i % types.length],
            ...(template
              ? { LaunchTemplateSpecification: { LaunchTemplateId: template(i), Version: '1' } }
              : {}),
          })),
        },
      },
    });
    expect(() => asg.updateAutoScalingGroup(many(41))).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        message: expect.stringMatching(/at most 40 instance types/),
      }),
    );
    expect(() => asg.updateAutoScalingGroup(many(21, (i) => `lt-${i}`))).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        message: expect.stringMatching(/at most 20 distinct launch templates/),
      }),
    );
    asg.updateAutoScalingGroup(many(40, (i) => `lt-${i % 20}`));
  });

  it('refuses an On-Demand allocation strategy AWS does not have', () => {
    const { asg } = mixedGroup();
    expect(() =>
      asg.updateAutoScalingGroup({
        AutoScalingGroupName: 'web',
        MixedInstancesPolicy: { InstancesDistribution: { OnDemandAllocationStrategy: 'cheapest' } },
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        message: expect.stringMatching(/cheapest.*lowest-price, prioritized/),
      }),
    );
    expect(() =>
      mixedGroup({
        mixedInstances: {
          instanceTypes: ['m5.large'],
          instancesDistribution: { OnDemandAllocationStrategy: 'capacity-optimized' },
        },
      }),
    ).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });

  it('counts Spot pools only under the lowest-price strategy: the default 2 there, none otherwise', () => {
    expect(mixedGroup().describeWeb()?.MixedInstancesPolicy?.InstancesDistribution).toMatchObject({
      SpotAllocationStrategy: 'lowest-price',
      SpotInstancePools: 2,
    });
    const { describeWeb } = mixedGroup({
      mixedInstances: {
        instanceTypes: ['m5.large'],
        instancesDistribution: { SpotAllocationStrategy: 'price-capacity-optimized' },
      },
    });
    const distribution = describeWeb()?.MixedInstancesPolicy?.InstancesDistribution;
    expect(distribution).toMatchObject({ SpotAllocationStrategy: 'price-capacity-optimized' });
    expect(distribution).not.toHaveProperty('SpotInstancePools');
  });

  it('refuses SpotInstancePools with any Spot allocation strategy but lowest-price', () => {
    // "SpotInstancePools: Valid only when the SpotAllocationStrategy is lowest-price" (API model).
    const refused = expect.objectContaining({
      name: 'ValidationError',
      message: expect.stringMatching(/SpotInstancePools .*lowest-price/),
    });
    const optimized = { SpotAllocationStrategy: 'price-capacity-optimized' };
    expect(() =>
      mixedGroup({
        mixedInstances: {
          instanceTypes: ['m5.large'],
          instancesDistribution: { ...optimized, SpotInstancePools: 2 },
        },
      }),
    ).toThrow(refused);
    const { asg, describeWeb } = mixedGroup();
    const restating = { ...describeWeb()?.MixedInstancesPolicy?.InstancesDistribution, ...optimized };
    expect(() =>
      asg.updateAutoScalingGroup({
        AutoScalingGroupName: 'web',
        MixedInstancesPolicy: { ...overrides('m5.large'), InstancesDistribution: restating },
      }),
    ).toThrow(refused);
    expect(() =>
      asg.startInstanceRefresh({
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { MixedInstancesPolicy: { InstancesDistribution: restating } },
      }),
    ).toThrow(refused);
    // Leaving the pools out switches the strategy, and the group's pools go with the old one.
    asg.updateAutoScalingGroup({
      AutoScalingGroupName: 'web',
      MixedInstancesPolicy: { ...overrides('m5.large'), InstancesDistribution: optimized },
    });
    expect(describeWeb()?.MixedInstancesPolicy?.InstancesDistribution).not.toHaveProperty(
      'SpotInstancePools',
    );
  });

  it('becomes a single-template group again when an update names a launch template', () => {
    const { asg, describeWeb } = mixedGroup();
    asg.updateAutoScalingGroup({
      AutoScalingGroupName: 'web',
      LaunchTemplate: { LaunchTemplateId: 'lt-0776656200000000', Version: '1' },
    });
    expect(describeWeb()?.MixedInstancesPolicy).toBeUndefined();
    expect(describeWeb()?.LaunchTemplate).toBeDefined();
  });
});

describe("Prescale's adapters on a simulated mixed-instances group", () => {
  afterEach(() => overrideAwsTransport(undefined));

  it('read its overrides and distribution, and write new overrides back with the distribution unchanged', async () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup(MIXED_WEB);
    overrideAwsTransport({ answer: world.answer });
    const clients = createAwsClients({ region: 'us-east-1' });
    const target = new AutoScalingScalingTarget(clients.autoScaling);
    const [before] = await target.describeGroups({ names: ['web'] });
    expect(before?.mixedInstances).toMatchObject({
      overrides: [{ instanceType: 'm5.large' }, { instanceType: 'm6i.large' }],
      usesAttributeBasedSelection: false,
      instancesDistribution: expect.objectContaining({ OnDemandBaseCapacity: 1 }),
    });
    const mixed = before?.mixedInstances as NonNullable<NonNullable<typeof before>['mixedInstances']>;
    await new AutoScalingInstanceTypeApplier(clients).setMixedInstanceOverrides(
      'web',
      { id: mixed.launchTemplateId, version: mixed.version },
      [{ instanceType: 'c5.large' }, { instanceType: 'm5.large' }],
      mixed.instancesDistribution,
    );
    const [after] = await target.describeGroups({ names: ['web'] });
    expect(after?.mixedInstances?.overrides.map((o) => o.instanceType)).toEqual(['c5.large', 'm5.large']);
    expect(after?.mixedInstances?.instancesDistribution).toEqual(mixed.instancesDistribution);
  });
});
