import { AutoScalingInstanceTypeApplier } from '../../../../shared/aws/auto-scaling-instance-type-applier';
import { AutoScalingScalingTarget } from '../../../../shared/aws/auto-scaling-scaling-target';
import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { createAwsClients } from '../../../../shared/aws/create-aws-clients';
import { Ec2InstanceCatalog } from '../../../../shared/aws/ec2-instance-catalog';
import { seededRandom } from '../../../../shared/simulation/seeded-random';
import { launchTemplateIdOf } from '../../../../shared/simulation/world/auto-scaling/group-state';
import { INSTANCE_TYPES } from '../../../../shared/simulation/world/instance-types';
import {
  type GroupSpec,
  SimulatedAutoScaling,
} from '../../../../shared/simulation/world/simulated-auto-scaling';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';

const START = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

type Described = {
  AutoScalingGroups: {
    LaunchTemplate?: unknown;
    MixedInstancesPolicy?: {
      LaunchTemplate: {
        LaunchTemplateSpecification: { Version: string };
        Overrides: { InstanceType: string }[];
      };
      InstancesDistribution: Record<string, unknown>;
    };
    Instances: { InstanceType: string }[];
  }[];
};

/** `web`: m5.large then m6i.large, one on-demand instance as its base. */
const MIXED_WEB: GroupSpec = {
  name: 'web',
  minSize: 1,
  maxSize: 10,
  desiredCapacity: 2,
  instanceType: 'm5.large',
  mixedInstances: {
    instanceTypes: ['m5.large', 'm6i.large'],
    instancesDistribution: { OnDemandBaseCapacity: 1 },
  },
  launchDelaySeconds: 60,
  launchJitterSeconds: 0,
  warmupSeconds: 60,
  warmPoolLaunchSeconds: 20,
};

function mixedGroup() {
  const asg = new SimulatedAutoScaling(seededRandom(1), START);
  asg.createGroup(MIXED_WEB);
  const describe = () =>
    (asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as Described).AutoScalingGroups[0];
  return { asg, describe };
}

const overrides = (...types: string[]) => ({
  LaunchTemplate: {
    LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0776656200000000', Version: '1' },
    Overrides: types.map((InstanceType) => ({ InstanceType })),
  },
});

describe('a simulated mixed-instances group', () => {
  it('describes its policy (template, overrides, distribution over the defaults) instead of a launch template', () => {
    const { describe } = mixedGroup();
    const group = describe();
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
    const { asg, describe } = mixedGroup();
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
      describe()
        ?.Instances.map((i) => i.InstanceType)
        .sort(),
    ).toEqual(['c5.large', 'm5.large', 'm5.large']);
    expect(asg.instanceType('web')).toBe('c5.large');
    // The distribution's given members over the current ones.
    expect(describe()?.MixedInstancesPolicy?.InstancesDistribution).toMatchObject({
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
    const { asg, describe } = mixedGroup();
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
    expect(describe()?.MixedInstancesPolicy?.LaunchTemplate).toMatchObject({
      LaunchTemplateSpecification: { Version: '1' },
      Overrides: [{ InstanceType: 'm5.large' }, { InstanceType: 'm6i.large' }],
    });
    asg.rollbackInstanceRefresh({ AutoScalingGroupName: 'web' });
    expect(describe()?.MixedInstancesPolicy?.LaunchTemplate).toMatchObject({
      LaunchTemplateSpecification: { Version: '1' },
      Overrides: [{ InstanceType: 'm5.large' }, { InstanceType: 'm6i.large' }],
    });
    expect(refresh()?.MixedInstancesPolicy?.LaunchTemplate.Overrides).toEqual([
      { InstanceType: 'm5.large' },
      { InstanceType: 'm6i.large' },
    ]);
  });

  it('launches by its On-Demand allocation strategy: the overrides in order, or the lowest price per unit', () => {
    const launchedAfterScaleOut = (
      distribution: Record<string, string>,
      weights?: Record<string, number>,
    ) => {
      const asg = new SimulatedAutoScaling(seededRandom(1), START);
      // m5.large $0.096, c5.large $0.085, m7g.large $0.0816 an hour (the simulated EC2's prices).
      const instanceTypes = ['m5.large', 'c5.large', 'm7g.large'];
      asg.createGroup({
        ...MIXED_WEB,
        desiredCapacity: 1,
        mixedInstances: {
          instanceTypes,
          instancesDistribution: distribution,
          ...(weights ? { weights } : {}),
        },
      });
      asg.setDesiredCapacity({ AutoScalingGroupName: 'web', DesiredCapacity: weights ? 5 : 2 });
      asg.advanceTo(START + 2 * MINUTE);
      const group = (asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as Described)
        .AutoScalingGroups[0];
      return [...new Set(group?.Instances.map((i) => i.InstanceType))].join();
    };
    expect(launchedAfterScaleOut({})).toBe('m5.large');
    expect(launchedAfterScaleOut({ OnDemandAllocationStrategy: 'prioritized' })).toBe('m5.large');
    expect(launchedAfterScaleOut({ OnDemandAllocationStrategy: 'lowest-price' })).toBe('m7g.large');
    // Per unit: m5.large at 4 units costs $0.024 a unit, m7g.large at 1 unit $0.0816.
    expect(
      launchedAfterScaleOut(
        { OnDemandAllocationStrategy: 'lowest-price' },
        { 'm5.large': 4, 'c5.large': 2, 'm7g.large': 1 },
      ),
    ).toBe('m5.large');
  });

  it('falls back to its next type when EC2 has no capacity for one, and fails the launch only when none has', () => {
    let short = new Set(['m5.large']);
    const asg = new SimulatedAutoScaling(seededRandom(1), START);
    asg.createGroup({
      ...MIXED_WEB,
      desiredCapacity: 1,
      initialInService: 1,
      launchFails: (_nowMs, instanceType) => short.has(instanceType),
    });
    const types = () =>
      (
        asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as Described
      ).AutoScalingGroups[0]?.Instances.map((i) => i.InstanceType);
    asg.setDesiredCapacity({ AutoScalingGroupName: 'web', DesiredCapacity: 3 });
    asg.advanceTo(START + 2 * MINUTE);
    expect(types()).toEqual(['m5.large', 'm6i.large', 'm6i.large']);

    short = new Set(['m5.large', 'm6i.large']);
    asg.setDesiredCapacity({ AutoScalingGroupName: 'web', DesiredCapacity: 4 });
    asg.advanceTo(START + 4 * MINUTE);
    expect(types()).toHaveLength(3);
    const activities = asg.describeScalingActivities({ AutoScalingGroupName: 'web' }) as {
      Activities: { StatusCode: string; StatusMessage?: string }[];
    };
    expect(activities.Activities.filter((a) => a.StatusCode === 'Failed')[0]?.StatusMessage).toMatch(
      /^InsufficientInstanceCapacity - .*m5\.large, m6i\.large capacity/,
    );
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
      new SimulatedAutoScaling(seededRandom(1), START).createGroup({
        ...MIXED_WEB,
        mixedInstances: {
          instanceTypes: ['m5.large'],
          instancesDistribution: { OnDemandAllocationStrategy: 'capacity-optimized' },
        },
      }),
    ).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });

  it('becomes a single-template group again when an update names a launch template', () => {
    const { asg, describe } = mixedGroup();
    asg.updateAutoScalingGroup({
      AutoScalingGroupName: 'web',
      LaunchTemplate: { LaunchTemplateId: 'lt-0776656200000000', Version: '1' },
    });
    expect(describe()?.MixedInstancesPolicy).toBeUndefined();
    expect(describe()?.LaunchTemplate).toBeDefined();
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

describe('the simulated Auto Scaling and an AMI of another architecture', () => {
  const architectureMismatch =
    /^You must use a valid fully-formed launch template\. The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI/;

  function worldWith(spec: GroupSpec) {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup(spec);
    const update = (input: Record<string, unknown>) =>
      world.answer('autoscaling', 'UpdateAutoScalingGroupCommand', {
        AutoScalingGroupName: spec.name,
        ...input,
      });
    return { world, update };
  }

  it('refuses overrides of a Graviton type on the group’s x86_64 template, and takes them on an arm64 template of their own', async () => {
    const { world, update } = worldWith(MIXED_WEB);
    await expect(update({ MixedInstancesPolicy: overrides('m5.large', 'c6g.large') })).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(architectureMismatch),
    });
    world.services.ec2.registerImage({ imageId: 'ami-0arm', name: 'arm', architecture: 'arm64' });
    world.services.ec2.createLaunchTemplate({ id: 'lt-0arm', name: 'arm', data: { ImageId: 'ami-0arm' } });
    await update({
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0776656200000000', Version: '1' },
          Overrides: [
            { InstanceType: 'm5.large' },
            {
              InstanceType: 'c6g.large',
              LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0arm', Version: '1' },
            },
          ],
        },
      },
    });
  });

  it('refuses a launch template version whose instance type does not run its AMI', async () => {
    const { world, update } = worldWith({ ...MIXED_WEB, mixedInstances: undefined });
    const templateId = launchTemplateIdOf({ spec: MIXED_WEB });
    const version = world.services.ec2.addLaunchTemplateVersion(templateId, { InstanceType: 'm7g.large' }, 1);
    await expect(
      update({ LaunchTemplate: { LaunchTemplateId: templateId, Version: String(version) } }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(architectureMismatch),
    });
  });

  it('fails the launches of an instance refresh to such a version, with EC2’s reason in the activity', async () => {
    const { world } = worldWith({ ...MIXED_WEB, mixedInstances: undefined });
    const templateId = launchTemplateIdOf({ spec: MIXED_WEB });
    const version = world.services.ec2.addLaunchTemplateVersion(templateId, { InstanceType: 'm7g.large' }, 1);
    await world.answer('autoscaling', 'StartInstanceRefreshCommand', {
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: templateId, Version: String(version) } },
      Preferences: { MinHealthyPercentage: 50 },
    });
    world.autoScaling.advanceTo(START + 5 * MINUTE);
    const { Activities } = (await world.answer('autoscaling', 'DescribeScalingActivitiesCommand', {
      AutoScalingGroupName: 'web',
    })) as { Activities: { StatusCode: string; StatusMessage?: string }[] };
    expect(Activities.find((a) => a.StatusCode === 'Failed')?.StatusMessage).toMatch(
      /^The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI\..* Launching EC2 instance failed\.$/,
    );
    const { AutoScalingGroups } = (await world.answer('autoscaling', 'DescribeAutoScalingGroupsCommand', {
      AutoScalingGroupNames: ['web'],
    })) as Described;
    expect(AutoScalingGroups[0]?.Instances.map((i) => i.InstanceType)).not.toContain('m7g.large');
  });
});

describe('the simulated EC2 offering a type in some zones only', () => {
  afterEach(() => overrideAwsTransport(undefined));

  it('leaves it out of the zone’s offerings, and a launch there fails before Auto Scaling tries another zone', async () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup({ ...MIXED_WEB, mixedInstances: undefined, desiredCapacity: 1 });
    world.services.ec2.withdrawOffering('m5.large', 'us-east-1b');
    overrideAwsTransport({ answer: world.answer });
    const clients = createAwsClients({ region: 'us-east-1' });
    const offered = await new Ec2InstanceCatalog(clients.ec2).typesOfferedInEveryZone([
      'us-east-1a',
      'us-east-1b',
    ]);
    expect(offered.has('m5.large')).toBe(false);
    expect(offered.has('m6i.large')).toBe(true);

    // The second instance's turn is us-east-1b (round robin), which has no m5.large.
    world.autoScaling.setDesiredCapacity({ AutoScalingGroupName: 'web', DesiredCapacity: 2 });
    const { Activities } = (await world.answer('autoscaling', 'DescribeScalingActivitiesCommand', {
      AutoScalingGroupName: 'web',
    })) as { Activities: { StatusCode: string; StatusMessage?: string }[] };
    expect(Activities.find((a) => a.StatusCode === 'Failed')?.StatusMessage).toBe(
      'Unsupported - Your requested instance type (m5.large) is not supported in your requested Availability Zone (us-east-1b). Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1c. Launching EC2 instance failed.',
    );
    const zones = world.autoScaling.runningInstances().map((i) => i.availabilityZone);
    expect(zones).toHaveLength(2);
    expect(zones).not.toContain('us-east-1b');
  });
});
