import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
  DescribeWarmPoolCommand,
  type Instance,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AutoScalingScalingTarget } from '../../../shared/aws/auto-scaling-scaling-target';
import { drawableWarmPoolInstances, MAX_WARM_POOL_PAGES } from '../../../shared/aws/auto-scaling-warm-pool';
import { TransientDependencyError } from '../../../shared/ports/errors';

const asg = mockClient(AutoScalingClient);
const client = asg as unknown as AutoScalingClient;

// Instances as DescribeWarmPool returns them (API reference, DescribeWarmPool: Instances of the
// Instance data type, LifecycleState among the Warmed:* states).
const pooled = (InstanceId: string, LifecycleState: Instance['LifecycleState']): Instance => ({
  InstanceId,
  InstanceType: 'm7i.large',
  AvailabilityZone: 'eu-west-1a',
  LifecycleState,
  HealthStatus: 'Healthy',
  LaunchTemplate: { LaunchTemplateId: 'lt-0abc', LaunchTemplateName: 'web', Version: '7' },
  ProtectedFromScaleIn: false,
});
const configuration = { MinSize: 0, PoolState: 'Stopped' as const };

// Right after a scale-out drew three: the pool launches three more to refill it.
const pooledGroup = (AutoScalingGroupName: string) => ({
  AutoScalingGroupName,
  MinSize: 2,
  MaxSize: 10,
  DesiredCapacity: 6,
  DefaultCooldown: 300,
  AvailabilityZones: ['eu-west-1a'],
  HealthCheckType: 'EC2',
  CreatedTime: new Date('2026-01-01T00:00:00Z'),
  LaunchTemplate: { LaunchTemplateId: 'lt-0abc', LaunchTemplateName: AutoScalingGroupName, Version: '7' },
  Instances: [],
  WarmPoolConfiguration: configuration,
  WarmPoolSize: 4,
});

beforeEach(() => asg.reset());

describe('drawableWarmPoolInstances', () => {
  it('counts the instances done launching into the pool, over every page, not those still launching or leaving', async () => {
    asg
      .on(DescribeWarmPoolCommand, { AutoScalingGroupName: 'web', MaxRecords: 50 })
      .resolves({
        WarmPoolConfiguration: configuration,
        Instances: [
          pooled('i-0000000000000001', 'Warmed:Stopped'),
          pooled('i-0000000000000002', 'Warmed:Pending'),
          pooled('i-0000000000000003', 'Warmed:Pending:Wait'),
        ],
        NextToken: 'page-2',
      })
      .on(DescribeWarmPoolCommand, { AutoScalingGroupName: 'web', MaxRecords: 50, NextToken: 'page-2' })
      .resolves({
        WarmPoolConfiguration: configuration,
        Instances: [
          pooled('i-0000000000000004', 'Warmed:Hibernated'),
          pooled('i-0000000000000005', 'Warmed:Running'),
          pooled('i-0000000000000006', 'Warmed:Terminating'),
          pooled('i-0000000000000007', 'Warmed:Pending:Proceed'),
        ],
      });
    expect(await drawableWarmPoolInstances(client, 'web')).toBe(3);
    expect(asg).toHaveReceivedCommandTimes(DescribeWarmPoolCommand, 2);
  });

  it('reads a pool of more than 1,000 instances to its last page', async () => {
    // 24 pages of 50 (DescribeWarmPool's most a call), every instance drawable.
    const pages = 24;
    for (let p = 0; p < pages; p += 1)
      asg
        .on(DescribeWarmPoolCommand, {
          AutoScalingGroupName: 'web',
          ...(p > 0 ? { NextToken: `page-${p}` } : {}),
        })
        .resolves({
          WarmPoolConfiguration: configuration,
          Instances: Array.from({ length: 50 }, (_, i) =>
            pooled(`i-${String(p * 50 + i).padStart(17, '0')}`, 'Warmed:Stopped'),
          ),
          ...(p + 1 < pages ? { NextToken: `page-${p + 1}` } : {}),
        });
    expect(await drawableWarmPoolInstances(client, 'web')).toBe(1_200);
    expect(asg).toHaveReceivedCommandTimes(DescribeWarmPoolCommand, pages);
  });

  it('stops at its page bound on a NextToken that never ends, counting what it read', async () => {
    asg.on(DescribeWarmPoolCommand).resolves({
      WarmPoolConfiguration: configuration,
      Instances: [pooled('i-0000000000000001', 'Warmed:Stopped')],
      NextToken: 'again',
    });
    expect(await drawableWarmPoolInstances(client, 'web')).toBe(MAX_WARM_POOL_PAGES);
    expect(asg).toHaveReceivedCommandTimes(DescribeWarmPoolCommand, MAX_WARM_POOL_PAGES);
  });

  it('turns throttling into a retryable TransientDependencyError', async () => {
    asg
      .on(DescribeWarmPoolCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(drawableWarmPoolInstances(client, 'web')).rejects.toThrow(TransientDependencyError);
  });
});

describe('AutoScalingScalingTarget with the scaling loop’s warm pool reader', () => {
  it('reads the pool’s drawable instances, not WarmPoolSize, which counts the refills still launching', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [pooledGroup('web')] });
    asg.on(DescribePoliciesCommand).resolves({ ScalingPolicies: [] });
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
    asg.on(DescribeWarmPoolCommand).resolves({
      WarmPoolConfiguration: configuration,
      Instances: [
        pooled('i-0000000000000001', 'Warmed:Stopped'),
        pooled('i-0000000000000002', 'Warmed:Pending'),
        pooled('i-0000000000000003', 'Warmed:Pending'),
        pooled('i-0000000000000004', 'Warmed:Pending'),
      ],
    });
    const target = new AutoScalingScalingTarget(client, { warmPoolInstances: drawableWarmPoolInstances });
    const [group] = await target.describeGroups({ names: ['web'] });
    expect(group?.warmPoolInstances).toBe(1);
  });

  it('reads a pool being deleted (Status PendingDelete) as no pool: neither sized nor given back', async () => {
    const deleting = {
      ...pooledGroup('web'),
      WarmPoolConfiguration: { ...configuration, Status: 'PendingDelete' as const },
    };
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [deleting, pooledGroup('api')] });
    asg.on(DescribePoliciesCommand).resolves({ ScalingPolicies: [] });
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
    asg.on(DescribeWarmPoolCommand).resolves({ WarmPoolConfiguration: configuration, Instances: [] });
    const target = new AutoScalingScalingTarget(client, { warmPoolInstances: drawableWarmPoolInstances });
    const groups = await target.describeGroups({ names: ['api', 'web'] });
    expect(groups.map((g) => [g.name, g.warmPool])).toEqual([
      ['api', { minSize: 0, poolState: 'Stopped' }],
      ['web', undefined],
    ]);
    const bounds = await target.findGroupBounds({ names: ['api', 'web'] });
    expect([bounds.get('api')?.warmPool, bounds.get('web')?.warmPool]).toEqual([
      { minSize: 0, poolState: 'Stopped' },
      undefined,
    ]);
  });

  it('leaves out a group deleted between its read and its pool’s, and still describes the others', async () => {
    asg
      .on(DescribeAutoScalingGroupsCommand)
      .resolves({ AutoScalingGroups: [pooledGroup('api'), pooledGroup('web')] });
    asg.on(DescribePoliciesCommand).resolves({ ScalingPolicies: [] });
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
    asg.on(DescribeWarmPoolCommand).resolves({ WarmPoolConfiguration: configuration, Instances: [] });
    // The warm pool calls' answer for a missing group (kubernetes/kops#11282).
    asg.on(DescribeWarmPoolCommand, { AutoScalingGroupName: 'api' }).rejects(
      Object.assign(new Error('AutoScalingGroup name not found - No such Auto Scaling group: api'), {
        name: 'ValidationError',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const target = new AutoScalingScalingTarget(client, { warmPoolInstances: drawableWarmPoolInstances });
    const groups = await target.describeGroups({ names: ['api', 'web'] });
    expect(groups.map((g) => g.name)).toEqual(['web']);
  });
});
