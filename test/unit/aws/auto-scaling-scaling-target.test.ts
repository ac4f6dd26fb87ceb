import {
  AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  PutWarmPoolCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AutoScalingScalingTarget } from '../../../shared/aws/auto-scaling-scaling-target';
import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';

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
    // Only reactive policies count: a predictive policy alone does not own scale-in.
    expect(asg).toHaveReceivedCommandWith(DescribePoliciesCommand, {
      AutoScalingGroupName: 'web',
      PolicyTypes: ['TargetTrackingScaling', 'StepScaling', 'SimpleScaling'],
    });
    expect(groups[1]).toMatchObject({
      minSize: 2,
      maxSize: 10,
      desiredCapacity: 3,
      inServiceCapacity: 2,
      tags: { 'prescale:enabled': 'true' },
      suspendedProcesses: ['AZRebalance'],
      defaultInstanceWarmupSeconds: 120,
      hasScalingPolicies: true,
      instanceRefreshInProgress: false,
      warmPool: { minSize: 1 },
      launchTemplate: { id: 'lt-0abc', version: '7' },
      instanceTypes: ['m7g.large'],
    });
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

  it('restates the warm pool’s other settings when it sets MinSize', async () => {
    asg.on(PutWarmPoolCommand).resolves({});
    await target.setWarmPoolMinSize('web', 3, {
      minSize: 1,
      maxGroupPreparedCapacity: 8,
      poolState: 'Hibernated',
      reuseOnScaleIn: true,
    });
    expect(asg).toHaveReceivedCommandWith(PutWarmPoolCommand, {
      AutoScalingGroupName: 'web',
      MinSize: 3,
      MaxGroupPreparedCapacity: 8,
      PoolState: 'Hibernated',
      InstanceReusePolicy: { ReuseOnScaleIn: true },
    });
    asg.reset();
    asg.on(PutWarmPoolCommand).resolves({});
    await target.setWarmPoolMinSize('web', 2, { minSize: 0 });
    // No prepared capacity set: leaving it out keeps AWS's default (the group's MaxSize).
    expect(asg.commandCalls(PutWarmPoolCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupName: 'web',
      MinSize: 2,
    });
  });

  it('sends only the changed bounds', async () => {
    asg.on(UpdateAutoScalingGroupCommand).resolves({});
    await target.updateCapacity('web', { minSize: 5, desiredCapacity: 5 });
    expect(asg).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, {
      AutoScalingGroupName: 'web',
      MinSize: 5,
      DesiredCapacity: 5,
    });
    expect(asg.commandCalls(UpdateAutoScalingGroupCommand)[0]?.args[0].input).not.toHaveProperty('MaxSize');
  });

  it('translates throttling into a transient error and validation into a rejected request', async () => {
    asg
      .on(UpdateAutoScalingGroupCommand)
      .rejectsOnce(
        Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }),
      )
      .rejectsOnce(
        Object.assign(
          new Error('Desired capacity:11 must be between the specified min size:2 and max size:10'),
          {
            name: 'ValidationError',
            $metadata: { httpStatusCode: 400 },
          },
        ),
      );
    await expect(target.updateCapacity('web', { desiredCapacity: 11 })).rejects.toBeInstanceOf(
      TransientDependencyError,
    );
    const rejected = target.updateCapacity('web', { desiredCapacity: 11 });
    await expect(rejected).rejects.toBeInstanceOf(RejectedRequestError);
    await expect(rejected).rejects.toThrow('ValidationError: Desired capacity:11');
  });

  it('leaves out launches into the warm pool: they add no capacity and last as long as a cold launch', async () => {
    asg.on(DescribeScalingActivitiesCommand).resolves({
      Activities: [
        {
          ActivityId: 'b2',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Launching a new EC2 instance into warm pool: i-0ea10fdc59a07df6e',
          StartTime: new Date('2026-01-01T10:00:36Z'),
          EndTime: new Date('2026-01-01T10:04:56Z'),
          StatusCode: 'Successful',
          Progress: 100,
        },
        {
          ActivityId: 'b1',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Launching a new EC2 instance from warm pool: i-0789abc',
          StartTime: new Date('2026-01-01T10:00:00Z'),
          EndTime: new Date('2026-01-01T10:00:36Z'),
          StatusCode: 'Successful',
          Progress: 100,
        },
      ],
    });
    expect(await target.recentLaunches('web', 10)).toEqual([
      {
        startMs: Date.parse('2026-01-01T10:00:00Z'),
        endMs: Date.parse('2026-01-01T10:00:36Z'),
        instanceId: 'i-0789abc',
      },
    ]);
  });

  it('reads past the pool launches to the same window of the group activities', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));
    const activity = (id: string, description: string, minute: number) => ({
      ActivityId: id,
      AutoScalingGroupName: 'web',
      Cause: 'x',
      Description: description,
      StartTime: at(minute),
      EndTime: at(minute + 1),
      StatusCode: 'Successful' as const,
    });
    const intoPool = (minute: number) =>
      activity(`p${minute}`, `Launching a new EC2 instance into warm pool: i-0${minute}`, minute);
    asg
      .on(DescribeScalingActivitiesCommand)
      .resolvesOnce({
        Activities: [
          intoPool(59),
          activity('l1', 'Launching a new EC2 instance from warm pool: i-01', 58),
          intoPool(57),
          activity('t1', 'Terminating EC2 instance: i-0a', 56),
          intoPool(55),
          intoPool(54),
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Activities: [
          intoPool(53),
          activity('l2', 'Launching a new EC2 instance: i-02', 52),
          activity('t2', 'Terminating EC2 instance: i-0b', 51),
          activity('t3', 'Terminating EC2 instance: i-0c', 50),
          activity('t4', 'Terminating EC2 instance: i-0d', 49),
          activity('l3', 'Launching a new EC2 instance: i-03', 48),
        ],
        NextToken: 'page-3',
      });
    // Three launches asked for: a window of six of the group's own activities (l1, t1, l2, t2, t3, t4).
    const launches = await target.recentLaunches('web', 3);
    expect(launches.map((l) => l.instanceId)).toEqual(['i-01', 'i-02']);
    expect(asg).toHaveReceivedCommandTimes(DescribeScalingActivitiesCommand, 2);
    expect(asg.commandCalls(DescribeScalingActivitiesCommand)[1]?.args[0].input).toEqual({
      AutoScalingGroupName: 'web',
      MaxRecords: 6,
      NextToken: 'page-2',
    });
  });

  it('reads one page for a group without a warm pool', async () => {
    asg.on(DescribeScalingActivitiesCommand).resolves({
      Activities: [
        {
          ActivityId: 'a1',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Terminating EC2 instance: i-0a',
          StartTime: new Date('2026-01-01T10:00:00Z'),
          EndTime: new Date('2026-01-01T10:01:00Z'),
          StatusCode: 'Successful',
        },
        {
          ActivityId: 'a2',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Launching a new EC2 instance: i-01',
          StartTime: new Date('2026-01-01T09:55:00Z'),
          EndTime: new Date('2026-01-01T09:57:00Z'),
          StatusCode: 'Successful',
        },
      ],
      NextToken: 'page-2',
    });
    expect((await target.recentLaunches('web', 1)).map((l) => l.instanceId)).toEqual(['i-01']);
    expect(asg).toHaveReceivedCommandTimes(DescribeScalingActivitiesCommand, 1);
  });

  it('reads completed launches from the scaling activities', async () => {
    asg.on(DescribeScalingActivitiesCommand).resolves({
      Activities: [
        {
          ActivityId: 'a1',
          AutoScalingGroupName: 'web',
          Cause: 'At 2026-01-01T10:00:00Z a user request update of AutoScalingGroup constraints...',
          Description: 'Launching a new EC2 instance: i-0123',
          StartTime: new Date('2026-01-01T10:00:05Z'),
          EndTime: new Date('2026-01-01T10:02:05Z'),
          StatusCode: 'Successful',
          Progress: 100,
        },
        {
          ActivityId: 'a3',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Launching a new EC2 instance from warm pool: i-0789abc',
          StartTime: new Date('2026-01-01T09:30:00Z'),
          EndTime: new Date('2026-01-01T09:30:40Z'),
          StatusCode: 'Successful',
          Progress: 100,
        },
        {
          ActivityId: 'a2',
          AutoScalingGroupName: 'web',
          Cause: 'x',
          Description: 'Terminating EC2 instance: i-0456',
          StartTime: new Date('2026-01-01T09:00:00Z'),
          EndTime: new Date('2026-01-01T09:01:00Z'),
          StatusCode: 'Successful',
        },
      ],
    });
    expect(await target.recentLaunches('web', 10)).toEqual([
      {
        startMs: Date.parse('2026-01-01T10:00:05Z'),
        endMs: Date.parse('2026-01-01T10:02:05Z'),
        instanceId: 'i-0123',
      },
      {
        startMs: Date.parse('2026-01-01T09:30:00Z'),
        endMs: Date.parse('2026-01-01T09:30:40Z'),
        instanceId: 'i-0789abc',
      },
    ]);
  });
});
