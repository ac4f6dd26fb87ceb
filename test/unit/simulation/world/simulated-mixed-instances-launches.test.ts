import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { createAwsClients } from '../../../../shared/aws/create-aws-clients';
import { Ec2InstanceCatalog } from '../../../../shared/aws/ec2-instance-catalog';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { MIXED_WEB, mixedGroup } from '../../../helpers/mixed-web-group';
import { MINUTE, START } from '../../../helpers/simulated-auto-scaling-world';

// Which instance types and zones a group's launches get, and how a launch fails when EC2 has none.
describe('a simulated mixed-instances group', () => {
  it('launches by its On-Demand allocation strategy: the overrides in order, or the lowest price per unit', () => {
    const launchedAfterScaleOut = (
      distribution: Record<string, string>,
      weights?: Record<string, number>,
    ) => {
      // m5.large $0.096, c5.large $0.085, m7g.large $0.0816 an hour (the simulated EC2's prices).
      const instanceTypes = ['m5.large', 'c5.large', 'm7g.large'];
      const { asg, describeWeb } = mixedGroup({
        desiredCapacity: 1,
        mixedInstances: {
          instanceTypes,
          instancesDistribution: distribution,
          ...(weights ? { weights } : {}),
        },
      });
      asg.setDesiredCapacity({ AutoScalingGroupName: 'web', DesiredCapacity: weights ? 5 : 2 });
      asg.advanceTo(START + 2 * MINUTE);
      return [...new Set(describeWeb()?.Instances.map((i) => i.InstanceType))].join();
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
    const { asg, describeWeb } = mixedGroup({
      desiredCapacity: 1,
      initialInService: 1,
      launchFails: (_nowMs, instanceType) => short.has(instanceType),
    });
    const types = () => describeWeb()?.Instances.map((i) => i.InstanceType);
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
