import {
  AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
  type InstanceRefreshStatus,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AutoScalingScalingTarget } from '../../../shared/aws/auto-scaling-scaling-target';

const asg = mockClient(AutoScalingClient);
const target = new AutoScalingScalingTarget(asg as unknown as AutoScalingClient);

// Shape from the AutoScalingGroup data type in the Amazon EC2 Auto Scaling API reference.
const webGroup: AutoScalingGroup = {
  AutoScalingGroupName: 'web',
  AutoScalingGroupARN:
    'arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:1a2b:autoScalingGroupName/web',
  MinSize: 2,
  MaxSize: 10,
  DesiredCapacity: 3,
  DefaultCooldown: 300,
  AvailabilityZones: ['eu-west-1a', 'eu-west-1b'],
  HealthCheckType: 'EC2',
  CreatedTime: new Date('2026-01-01T00:00:00Z'),
  DefaultInstanceWarmup: 120,
  LaunchTemplate: { LaunchTemplateId: 'lt-0abc', LaunchTemplateName: 'web', Version: '7' },
  Instances: [
    {
      InstanceId: 'i-1',
      InstanceType: 'm7g.large',
      AvailabilityZone: 'eu-west-1a',
      LifecycleState: 'InService',
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: false,
    },
    {
      InstanceId: 'i-2',
      InstanceType: 'm7g.large',
      AvailabilityZone: 'eu-west-1b',
      LifecycleState: 'InService',
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: false,
    },
    {
      InstanceId: 'i-3',
      InstanceType: 'm7g.large',
      AvailabilityZone: 'eu-west-1b',
      LifecycleState: 'Pending',
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: false,
    },
  ],
  SuspendedProcesses: [
    { ProcessName: 'AZRebalance', SuspensionReason: 'User suspended at 2026-01-01T00:00:00Z' },
  ],
  Tags: [
    {
      ResourceId: 'web',
      ResourceType: 'auto-scaling-group',
      Key: 'prescale:enabled',
      Value: 'true',
      PropagateAtLaunch: false,
    },
  ],
  WarmPoolConfiguration: { MinSize: 1, PoolState: 'Stopped' },
};

beforeEach(() => {
  asg.reset();
  asg
    .on(DescribePoliciesCommand)
    .resolves({ ScalingPolicies: [{ PolicyName: 'tt', PolicyType: 'TargetTrackingScaling' }] });
  asg
    .on(DescribeInstanceRefreshesCommand)
    .resolves({ InstanceRefreshes: [{ InstanceRefreshId: 'r1', Status: 'Successful' }] });
});

describe('AutoScalingScalingTarget', () => {
  it('finds groups by tag across pages and translates them into snapshots', async () => {
    asg
      .on(DescribeAutoScalingGroupsCommand, { Filters: [{ Name: 'tag:prescale:enabled', Values: ['true'] }] })
      .resolvesOnce({ AutoScalingGroups: [webGroup], NextToken: 'page-2' })
      .resolvesOnce({ AutoScalingGroups: [{ ...webGroup, AutoScalingGroupName: 'api', Instances: [] }] });
    const groups = await target.describeGroups({
      names: [],
      tag: { key: 'prescale:enabled', value: 'true' },
    });
    expect(asg).toHaveReceivedCommandTimes(DescribeAutoScalingGroupsCommand, 2);
    expect(asg).toHaveReceivedNthCommandWith(2, DescribeAutoScalingGroupsCommand, { NextToken: 'page-2' });
    expect(groups.map((g) => g.name)).toEqual(['api', 'web']);
    // Every type is read: a predictive policy can hold the group (auto-scaling-group-policies.test.ts).
    expect(asg).toHaveReceivedCommandWith(DescribePoliciesCommand, {
      AutoScalingGroupName: 'web',
      MaxRecords: 50,
    });
    expect(asg.commandCalls(DescribePoliciesCommand)[0]?.args[0].input.PolicyTypes).toBeUndefined();
    expect(groups[1]).toMatchObject({
      minSize: 2,
      maxSize: 10,
      desiredCapacity: 3,
      inServiceCapacity: 2,
      tags: { 'prescale:enabled': 'true' },
      suspendedProcesses: ['AZRebalance'],
      defaultInstanceWarmupSeconds: 120,
      defaultCooldownSeconds: 300,
      hasScalingPolicies: true,
      instanceRefreshInProgress: false,
      warmPool: { minSize: 1 },
      launchTemplate: { id: 'lt-0abc', version: '7' },
      instanceTypes: ['m7g.large'],
    });
  });

  it("reads groups without their instances where it uses none of them (IncludeInstances false, AWS's advice against throttling)", async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [webGroup] });
    const selector = { names: ['web'], tag: { key: 'prescale:enabled', value: 'true' } };
    await target.findGroupNames(selector);
    await target.findGroupTags(selector);
    await target.findGroupBounds(selector);
    const calls = asg.commandCalls(DescribeAutoScalingGroupsCommand);
    expect(calls).toHaveLength(6);
    for (const call of calls) expect(call.args[0].input.IncludeInstances).toBe(false);
    // describeGroups counts in-service capacity, protected, standby and types on the instances.
    asg.resetHistory();
    await target.describeGroups(selector);
    for (const call of asg.commandCalls(DescribeAutoScalingGroupsCommand))
      expect(call.args[0].input.IncludeInstances).toBeUndefined();
  });

  it('asks for names in chunks of 50 and reports a refresh in progress', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [webGroup] });
    asg
      .on(DescribeInstanceRefreshesCommand)
      .resolves({ InstanceRefreshes: [{ InstanceRefreshId: 'r2', Status: 'InProgress' }] });
    const names = Array.from({ length: 120 }, (_, i) => `g${i}`);
    const groups = await target.describeGroups({ names });
    expect(asg).toHaveReceivedCommandTimes(DescribeAutoScalingGroupsCommand, 3);
    expect(
      asg.commandCalls(DescribeAutoScalingGroupsCommand)[2]?.args[0].input.AutoScalingGroupNames,
    ).toHaveLength(20);
    expect(groups[0]?.instanceRefreshInProgress).toBe(true);
    expect(groups[0]).not.toHaveProperty('protectedInstances');
  });

  it('reads a group Auto Scaling is deleting (its Status "Delete in progress") as deleting', async () => {
    const deleting = { ...webGroup, Status: 'Delete in progress' };
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [deleting] });
    const [group] = await target.describeGroups({ names: ['web'] });
    expect(group?.deleting).toBe(true);
    const bounds = await target.findGroupBounds({ names: ['web'] });
    expect(bounds.get('web')?.deleting).toBe(true);
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [webGroup] });
    expect((await target.describeGroups({ names: ['web'] }))[0]?.deleting).toBe(false);
  });

  it('counts the instances protected from scale in', async () => {
    const instances = (webGroup.Instances ?? []).map((i, n) => ({ ...i, ProtectedFromScaleIn: n < 2 }));
    asg
      .on(DescribeAutoScalingGroupsCommand)
      .resolves({ AutoScalingGroups: [{ ...webGroup, Instances: instances }] });
    const [group] = await target.describeGroups({ names: ['web'] });
    expect(group?.protectedInstances).toBe(2);
  });

  it('counts the instances in Standby from their LifecycleState', async () => {
    const instances = (webGroup.Instances ?? []).map((i, n) => ({
      ...i,
      LifecycleState: n === 0 ? ('Standby' as const) : i.LifecycleState,
    }));
    asg
      .on(DescribeAutoScalingGroupsCommand)
      .resolves({ AutoScalingGroups: [{ ...webGroup, Instances: instances }] });
    const [group] = await target.describeGroups({ names: ['web'] });
    expect(group?.standbyInstances).toBe(1);
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [webGroup] });
    expect((await target.describeGroups({ names: ['web'] }))[0]).not.toHaveProperty('standbyInstances');
  });

  it('finds the selected groups’ names, named and tagged, without reading their policies or refreshes', async () => {
    asg
      .on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: ['web', 'gone'] })
      .resolves({ AutoScalingGroups: [webGroup] });
    asg
      .on(DescribeAutoScalingGroupsCommand, { Filters: [{ Name: 'tag:prescale:enabled', Values: ['true'] }] })
      .resolvesOnce({ AutoScalingGroups: [webGroup], NextToken: 'page-2' })
      .resolvesOnce({ AutoScalingGroups: [{ ...webGroup, AutoScalingGroupName: 'api' }] });
    const names = await target.findGroupNames({
      names: ['web', 'gone'],
      tag: { key: 'prescale:enabled', value: 'true' },
    });
    expect(names).toEqual(['api', 'web']);
    expect(asg).toHaveReceivedCommandTimes(DescribeAutoScalingGroupsCommand, 3);
    expect(asg).not.toHaveReceivedCommand(DescribePoliciesCommand);
    expect(asg).not.toHaveReceivedCommand(DescribeInstanceRefreshesCommand);
  });

  it('finds the bounds of groups by tag: tags, sizes, suspended processes and the warm pool, from the describe alone', async () => {
    asg
      .on(DescribeAutoScalingGroupsCommand, {
        Filters: [{ Name: 'tag:prescale:deployment', Values: ['Prescale'] }],
      })
      .resolves({ AutoScalingGroups: [webGroup] });
    const bounds = await target.findGroupBounds({
      names: [],
      tag: { key: 'prescale:deployment', value: 'Prescale' },
    });
    expect(bounds.get('web')).toEqual({
      arn: webGroup.AutoScalingGroupARN,
      tags: { 'prescale:enabled': 'true' },
      minSize: 2,
      maxSize: 10,
      desiredCapacity: 3,
      suspendedProcesses: ['AZRebalance'],
      deleting: false,
      warmPool: { minSize: 1, poolState: 'Stopped' },
    });
    expect(asg).not.toHaveReceivedCommand(DescribePoliciesCommand);
    expect(asg).not.toHaveReceivedCommand(DescribeInstanceRefreshesCommand);
  });

  it.each<[InstanceRefreshStatus, boolean]>([
    ['InProgress', true],
    ['Baking', true],
    ['Cancelling', true],
    ['RollbackInProgress', true],
    // A status Auto Scaling adds later (as it added Baking) has not ended as far as Prescale knows.
    ['Settling' as InstanceRefreshStatus, true],
    ['Successful', false],
    ['Failed', false],
    ['Cancelled', false],
    ['RollbackFailed', false],
    ['RollbackSuccessful', false],
  ])('reads one group’s newest instance refresh alone: %s is in progress: %s', async (Status, inProgress) => {
    asg
      .on(DescribeInstanceRefreshesCommand)
      .resolves({ InstanceRefreshes: [{ InstanceRefreshId: 'r2', Status }] });
    expect(await target.instanceRefreshInProgress('web')).toBe(inProgress);
    expect(asg).toHaveReceivedCommandWith(DescribeInstanceRefreshesCommand, {
      AutoScalingGroupName: 'web',
      MaxRecords: 1,
    });
    expect(asg).not.toHaveReceivedCommand(DescribeAutoScalingGroupsCommand);
  });

  it('reads a group deleted before its instance refreshes as gone', async () => {
    asg.on(DescribeInstanceRefreshesCommand).rejects(
      Object.assign(new Error('AutoScalingGroup name not found - AutoScalingGroup web not found'), {
        name: 'ValidationError',
      }),
    );
    await expect(target.instanceRefreshInProgress('web')).rejects.toMatchObject({
      name: 'ResourceNotFoundError',
    });
  });

  it('reads a mixed group’s instances distribution, per-override templates and warm pool settings', async () => {
    const distribution = {
      OnDemandAllocationStrategy: 'prioritized',
      OnDemandBaseCapacity: 1,
      OnDemandPercentageAboveBaseCapacity: 20,
      SpotAllocationStrategy: 'price-capacity-optimized',
    };
    asg.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          ...webGroup,
          LaunchTemplate: undefined,
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abc', Version: '7' },
              Overrides: [
                { InstanceType: 'm7i.large' },
                {
                  InstanceType: 'm7g.large',
                  LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0arm', Version: '3' },
                },
              ],
            },
            InstancesDistribution: distribution,
          },
          WarmPoolConfiguration: {
            MinSize: 1,
            MaxGroupPreparedCapacity: 8,
            PoolState: 'Hibernated',
            InstanceReusePolicy: { ReuseOnScaleIn: true },
          },
          WarmPoolSize: 3,
        },
      ],
    });
    const [group] = await target.describeGroups({ names: ['web'] });
    expect(group?.mixedInstances).toEqual({
      launchTemplateId: 'lt-0abc',
      version: '7',
      overrides: [
        { instanceType: 'm7i.large' },
        { instanceType: 'm7g.large', launchTemplate: { id: 'lt-0arm', version: '3' } },
      ],
      usesAttributeBasedSelection: false,
      instancesDistribution: distribution,
    });
    expect(group?.warmPool).toEqual({
      minSize: 1,
      maxGroupPreparedCapacity: 8,
      poolState: 'Hibernated',
      reuseOnScaleIn: true,
    });
    // WarmPoolSize counts the pool's instances in every state: only a reader of the drawable ones
    // (DescribeWarmPool, given by the scaling loop) sets the count.
    expect(group?.warmPoolInstances).toBeUndefined();
    // No override gives a weight: every instance is one unit, and no weights are reported.
    expect(group?.instanceWeights).toBeUndefined();
  });

  it('reads each instance’s capacity units in a weighted mixed group', async () => {
    const instance = (
      InstanceId: string,
      InstanceType: string,
      LifecycleState: 'InService' | 'Pending',
      WeightedCapacity?: string,
    ) => ({
      InstanceId,
      InstanceType,
      AvailabilityZone: 'eu-west-1a',
      LifecycleState,
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: false,
      ...(WeightedCapacity ? { WeightedCapacity } : {}),
    });
    asg.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          ...webGroup,
          LaunchTemplate: undefined,
          DesiredCapacity: 10,
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abc', Version: '7' },
              Overrides: [
                { InstanceType: 'm7g.large', WeightedCapacity: '2' },
                { InstanceType: 'm7g.xlarge', WeightedCapacity: '4' },
              ],
            },
          },
          // WeightedCapacity as Auto Scaling reports it (a string); one left to its type's override.
          Instances: [
            instance('i-0aa1', 'm7g.xlarge', 'InService', '4'),
            instance('i-0aa2', 'm7g.large', 'InService', '2'),
            instance('i-0aa3', 'm7g.xlarge', 'InService'),
            instance('i-0aa4', 'm7g.large', 'Pending', '2'),
          ],
        },
      ],
    });
    const [group] = await target.describeGroups({ names: ['web'] });
    expect(group?.instanceWeights).toEqual({ 'i-0aa1': 4, 'i-0aa2': 2, 'i-0aa3': 4, 'i-0aa4': 2 });
    expect(group?.inServiceCapacity).toBe(10);
  });
});
