import { SimulatedAwsError } from '../simulated-aws-error';
import type { AutoScalingContext } from './auto-scaling-context';
import { describeInstance } from './describe-instance';
import { DELETE_IN_PROGRESS } from './group-deletion';
import { ACCOUNT, collectedGroupMetrics, launchTemplateIdOf, type SimGroup } from './group-state';
import { describeMixedInstancesPolicy } from './mixed-instances';
import { page } from './paging';
import { describeWarmPool } from './warm-pool';

/** DescribeAutoScalingGroups input, as the SDK sends it. */
export interface DescribeAutoScalingGroupsInput {
  AutoScalingGroupNames?: string[];
  Filters?: { Name?: string; Values?: string[] }[];
  /** Whether the groups' `Instances` are returned (true when absent, as in AWS). */
  IncludeInstances?: boolean;
  MaxRecords?: number;
  NextToken?: string;
}

/**
 * DescribeAutoScalingGroups: by name, by `tag:<key>`, `tag-key` and `tag-value` filters, sorted
 * by name, at most 50 a page; without the groups' `Instances` when `IncludeInstances` is false
 * ("When set to true (default), the response includes instance details", API reference).
 * @throws SimulatedAwsError ValidationError on MaxRecords outside 1–100 or another filter name.
 */
export function describeAutoScalingGroups(
  ctx: AutoScalingContext,
  all: Iterable<SimGroup>,
  input: DescribeAutoScalingGroupsInput,
): unknown {
  if (input.MaxRecords !== undefined && (input.MaxRecords < 1 || input.MaxRecords > 100)) {
    throw new SimulatedAwsError(
      'ValidationError',
      `MaxRecords must be between 1 and 100, got ${input.MaxRecords}`,
    );
  }
  let groups = [...all].sort((a, b) => a.spec.name.localeCompare(b.spec.name));
  if (input.AutoScalingGroupNames && input.AutoScalingGroupNames.length > 0) {
    const names = new Set(input.AutoScalingGroupNames);
    groups = groups.filter((g) => names.has(g.spec.name));
  }
  for (const filter of input.Filters ?? []) groups = filtered(groups, filter);
  const { items, next } = page(groups, input.MaxRecords, input.NextToken, 50);
  return {
    AutoScalingGroups: items.map((g) => describeGroup(ctx, g, input.IncludeInstances !== false)),
    ...(next ? { NextToken: next } : {}),
  };
}

function filtered(groups: SimGroup[], filter: { Name?: string; Values?: string[] }): SimGroup[] {
  const values = new Set(filter.Values ?? []);
  const name = filter.Name ?? '';
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return groups.filter((g) => g.tags.has(key) && values.has(g.tags.get(key) as string));
  }
  if (name === 'tag-key') return groups.filter((g) => [...g.tags.keys()].some((k) => values.has(k)));
  if (name === 'tag-value') return groups.filter((g) => [...g.tags.values()].some((v) => values.has(v)));
  throw new SimulatedAwsError(
    'ValidationError',
    `Filter name ${name} is not valid; use tag:<key>, tag-key or tag-value`,
  );
}

/**
 * One group in the shape DescribeAutoScalingGroups returns (its Pending, InService and Terminating
 * instances, unless `withInstances` is false: then the member is absent, so a caller that reads
 * instances it asked to leave out finds none).
 */
function describeGroup(ctx: AutoScalingContext, group: SimGroup, withInstances: boolean): unknown {
  // The group's own settings: a refresh's desired configuration shows only once it succeeded.
  const { version, mixed } = group.savedSettings ?? group;
  const launchTemplate = {
    LaunchTemplateId: launchTemplateIdOf(group),
    LaunchTemplateName: `${group.spec.name}-lt`,
    Version: version,
  };
  return {
    AutoScalingGroupName: group.spec.name,
    AutoScalingGroupARN: group.arn,
    ...(mixed
      ? { MixedInstancesPolicy: describeMixedInstancesPolicy(mixed, launchTemplate) }
      : { LaunchTemplate: launchTemplate }),
    MinSize: group.minSize,
    MaxSize: group.maxSize,
    DesiredCapacity: group.desiredCapacity,
    DefaultCooldown: 300,
    AvailabilityZones: [...ctx.availabilityZones(group)],
    LoadBalancerNames: [],
    TargetGroupARNs: [],
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: 300,
    ...(withInstances ? { Instances: describedInstances(ctx, group) } : {}),
    CreatedTime: new Date(group.createdMs),
    SuspendedProcesses: [...group.suspended].map((p) => ({
      ProcessName: p,
      SuspensionReason: 'User suspended at simulation time',
    })),
    VPCZoneIdentifier: 'subnet-0sim1,subnet-0sim2,subnet-0sim3',
    // The metrics the world publishes for it (`recordMinute`), as AWS lists them: one entry each.
    EnabledMetrics: collectedGroupMetrics(group.spec).map((Metric) => ({ Metric, Granularity: '1Minute' })),
    Tags: [...group.tags].map(([Key, Value]) => ({
      ResourceId: group.spec.name,
      ResourceType: 'auto-scaling-group',
      Key,
      Value,
      PropagateAtLaunch: !group.unpropagatedTagKeys.has(Key),
    })),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
    ServiceLinkedRoleARN: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    CapacityRebalance: false,
    DefaultInstanceWarmup: group.spec.warmupSeconds,
    ...describeWarmPool(group),
    // Reported only while DeleteAutoScalingGroup is under way (API reference, AutoScalingGroup.Status).
    ...(group.deletingSinceMs !== undefined ? { Status: DELETE_IN_PROGRESS } : {}),
  };
}

function describedInstances(ctx: AutoScalingContext, group: SimGroup): unknown[] {
  return (
    group.instances
      // A draining instance is still the group's, Terminating, until its delay ends.
      .filter((i) => i.state === 'Pending' || i.state === 'InService' || i.state === 'Terminating')
      .map((i) => describeInstance(group, i, ctx.nowMs))
  );
}
