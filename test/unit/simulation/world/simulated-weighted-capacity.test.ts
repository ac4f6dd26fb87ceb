import { AutoScalingInstanceTypeApplier } from '../../../../shared/aws/auto-scaling-instance-type-applier';
import { AutoScalingScalingTarget } from '../../../../shared/aws/auto-scaling-scaling-target';
import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { createAwsClients } from '../../../../shared/aws/create-aws-clients';
import { planOverrides } from '../../../../shared/core/pricing/plan-overrides';
import { seededRandom } from '../../../../shared/simulation/seeded-random';
import {
  type GroupSpec,
  SimulatedAutoScaling,
} from '../../../../shared/simulation/world/simulated-auto-scaling';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';

const START = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

type DescribedInstance = { InstanceId: string; InstanceType: string; WeightedCapacity?: string };
type Described = {
  AutoScalingGroups: {
    DesiredCapacity: number;
    MixedInstancesPolicy?: {
      LaunchTemplate: { Overrides: { InstanceType: string; WeightedCapacity?: string }[] };
    };
    Instances: DescribedInstance[];
  }[];
};

/** `api`: m5.large and m6i.large weighted 2 each (units: vCPUs), 5 units desired. */
const WEIGHTED_API: GroupSpec = {
  name: 'api',
  minSize: 1,
  maxSize: 40,
  desiredCapacity: 5,
  instanceType: 'm5.large',
  mixedInstances: { instanceTypes: ['m5.large', 'm6i.large'], weights: { 'm5.large': 2, 'm6i.large': 2 } },
  launchDelaySeconds: 60,
  launchJitterSeconds: 0,
  warmupSeconds: 60,
  warmPoolLaunchSeconds: 20,
};

function weightedGroup(spec: Partial<GroupSpec> = {}) {
  const asg = new SimulatedAutoScaling(seededRandom(1), START);
  asg.createGroup({ ...WEIGHTED_API, ...spec });
  const describe = () =>
    (asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['api'] }) as Described).AutoScalingGroups[0];
  const units = () =>
    (describe()?.Instances ?? []).reduce((sum, i) => sum + Number(i.WeightedCapacity ?? Number.NaN), 0);
  return { asg, describe, units };
}

const overrides = (...weighted: [string, string | undefined][]) => ({
  LaunchTemplate: {
    LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0617069000000000', Version: '1' },
    Overrides: weighted.map(([InstanceType, WeightedCapacity]) =>
      WeightedCapacity === undefined ? { InstanceType } : { InstanceType, WeightedCapacity },
    ),
  },
});

describe('a simulated mixed-instances group with weights', () => {
  it('counts DesiredCapacity in units: launches until it is met, even past it, and describes each weight', () => {
    const { describe, units } = weightedGroup();
    const group = describe();
    // 5 units at 2 per instance: three instances, one unit over, as AWS launches.
    expect(group?.Instances).toHaveLength(3);
    expect(group?.Instances.map((i) => i.WeightedCapacity)).toEqual(['2', '2', '2']);
    expect(units()).toBe(6);
    expect(group?.MixedInstancesPolicy?.LaunchTemplate.Overrides).toEqual([
      { InstanceType: 'm5.large', WeightedCapacity: '2' },
      { InstanceType: 'm6i.large', WeightedCapacity: '2' },
    ]);
  });

  it('scales in only as far as desired capacity allows, never below it', () => {
    const { asg, describe, units } = weightedGroup({ desiredCapacity: 10 });
    expect(describe()?.Instances).toHaveLength(5);
    asg.setDesiredCapacity({ AutoScalingGroupName: 'api', DesiredCapacity: 5 });
    // 3 instances hold 6 units; one fewer would hold 4 < 5.
    expect(describe()?.Instances).toHaveLength(3);
    expect(units()).toBe(6);
    asg.setDesiredCapacity({ AutoScalingGroupName: 'api', DesiredCapacity: 4 });
    expect(units()).toBe(4);
  });

  it('launches new instances at the weight of the new first override; running ones keep theirs', () => {
    const { asg, describe, units } = weightedGroup();
    asg.updateAutoScalingGroup({
      AutoScalingGroupName: 'api',
      DesiredCapacity: 14,
      MixedInstancesPolicy: overrides(['c5.large', '4'], ['m5.large', '2']),
    });
    asg.advanceTo(START + 2 * MINUTE);
    const byType = (describe()?.Instances ?? []).map((i) => `${i.InstanceType}:${i.WeightedCapacity}`).sort();
    // 6 units running, 8 more as two c5.large of 4.
    expect(byType).toEqual(['c5.large:4', 'c5.large:4', 'm5.large:2', 'm5.large:2', 'm5.large:2']);
    expect(units()).toBe(14);
  });

  it('refuses weights AWS refuses: on some overrides only, zero, above 999, not whole', () => {
    const { asg } = weightedGroup();
    const update = (policy: object) => () =>
      asg.updateAutoScalingGroup({ AutoScalingGroupName: 'api', MixedInstancesPolicy: policy });
    expect(update(overrides(['m5.large', '2'], ['m6i.large', undefined]))).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        message: expect.stringMatching(/all instance types.*m6i\.large/),
      }),
    );
    for (const bad of ['0', '1000', '1.5', 'two'])
      expect(update(overrides(['m5.large', bad]))).toThrow(
        expect.objectContaining({ name: 'ValidationError', message: expect.stringContaining(`got ${bad}`) }),
      );
    expect(() =>
      weightedGroup({
        mixedInstances: { instanceTypes: ['m5.large', 'c5.large'], weights: { 'm5.large': 2 } },
      }),
    ).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });

  it('refuses a warm pool on a mixed-instances group, weighted or not, as PutWarmPool does', () => {
    const { asg } = weightedGroup();
    expect(() => asg.putWarmPool({ AutoScalingGroupName: 'api', MinSize: 1 })).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        message: expect.stringContaining('has a mixed instances policy'),
      }),
    );
    const unweighted = weightedGroup({
      mixedInstances: { instanceTypes: ['m5.large', 'c5.large'] },
    });
    expect(() => unweighted.asg.putWarmPool({ AutoScalingGroupName: 'api', MinSize: 1 })).toThrow(
      expect.objectContaining({ name: 'ValidationError' }),
    );
    // Nor can a scenario start with one.
    expect(() =>
      weightedGroup({
        mixedInstances: { instanceTypes: ['m5.large', 'c5.large'] },
        warmPool: { minSize: 1 },
      }),
    ).toThrow(/AWS puts no warm pool on a mixed-instances group/);
  });

  it('refreshes in units: batches within MinHealthyPercentage of desired units, replacing unit for unit', () => {
    const { asg, describe, units } = weightedGroup({ desiredCapacity: 8 });
    expect(asg.counts('api').readyUnits).toBe(8);
    asg.startInstanceRefresh({
      AutoScalingGroupName: 'api',
      DesiredConfiguration: { MixedInstancesPolicy: overrides(['c5.large', '4'], ['m5.large', '2']) },
      Preferences: { MinHealthyPercentage: 50, InstanceWarmup: 60 },
    });
    let lowest = Number.POSITIVE_INFINITY;
    for (let t = START; t <= START + 60 * MINUTE; t += MINUTE) {
      asg.advanceTo(t);
      lowest = Math.min(lowest, asg.counts('api').readyUnits);
    }
    const status = (
      asg.describeInstanceRefreshes({ AutoScalingGroupName: 'api' }) as {
        InstanceRefreshes: { Status: string }[];
      }
    ).InstanceRefreshes[0]?.Status;
    expect(status).toBe('Successful');
    expect(describe()?.Instances.map((i) => `${i.InstanceType}:${i.WeightedCapacity}`)).toEqual([
      'c5.large:4',
      'c5.large:4',
    ]);
    expect(units()).toBe(8);
    // A batch takes at most half the 8 units out at once: 4 of them serve throughout.
    expect(lowest).toBe(4);
  });
});

describe('target tracking on a simulated group with weights', () => {
  it('scales in capacity units: ready units × metric / target', () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup({ ...WEIGHTED_API, desiredCapacity: 10, targetTrackingCpu: 50 });
    // Five ready instances at 100 % CPU: AWS wants ceil(10 units × 100 / 50) = 20 units.
    for (let t = START; t < START + 3 * MINUTE; t += MINUTE) {
      world.advanceTo(t);
      world.recordMinute('api', t, 500);
    }
    expect(world.autoScaling.counts('api').desiredCapacity).toBe(10);
    world.advanceTo(START + 3 * MINUTE);
    expect(world.autoScaling.counts('api').desiredCapacity).toBe(20);
  });
});

describe("Prescale's adapters and override plan on a simulated group with weights", () => {
  afterEach(() => overrideAwsTransport(undefined));

  it('read its capacity in units, plan weighted overrides, and the group launches at the new weights', async () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup({ ...WEIGHTED_API, desiredCapacity: 6 });
    overrideAwsTransport({ answer: world.answer });
    const clients = createAwsClients({ region: 'us-east-1' });
    const target = new AutoScalingScalingTarget(clients.autoScaling);
    const [before] = await target.describeGroups({ names: ['api'] });
    expect(before?.inServiceCapacity).toBe(6);
    expect(Object.values(before?.instanceWeights ?? {})).toEqual([2, 2, 2]);
    const mixed = before?.mixedInstances as NonNullable<NonNullable<typeof before>['mixedInstances']>;

    // Units are vCPUs: every type here has 2, so each keeps weight 2. The group's AMI is x86_64,
    // so the new types are too (Auto Scaling refuses a Graviton override on it).
    const plan = planOverrides({
      current: mixed.overrides.map((o) => ({
        instanceType: String(o.instanceType),
        weightedCapacity: o.weightedCapacity,
        capacityUnits: 2,
      })),
      selected: [
        { instanceType: 'c5.large', capacityUnits: 2 },
        { instanceType: 'm6i.large', capacityUnits: 2 },
      ],
    });
    if (plan.kind !== 'ok') throw new Error(plan.reason);
    await new AutoScalingInstanceTypeApplier(clients).setMixedInstanceOverrides(
      'api',
      { id: mixed.launchTemplateId, version: mixed.version },
      plan.overrides,
      mixed.instancesDistribution,
    );
    world.autoScaling.setDesiredCapacity({ AutoScalingGroupName: 'api', DesiredCapacity: 10 });
    const [after] = await target.describeGroups({ names: ['api'] });
    expect(after?.mixedInstances?.overrides).toEqual([
      { instanceType: 'c5.large', weightedCapacity: 2 },
      { instanceType: 'm6i.large', weightedCapacity: 2 },
    ]);
    expect(after?.inServiceCapacity).toBe(6);
    world.advanceTo(START + 5 * MINUTE);
    const [settled] = await target.describeGroups({ names: ['api'] });
    expect(settled?.inServiceCapacity).toBe(10);
  });
});
