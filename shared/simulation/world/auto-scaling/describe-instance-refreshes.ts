import { type InstanceRefresh, launchTemplateIdOf, type SimGroup } from './group-state';
import { describeMixedInstancesPolicy } from './mixed-instances';
import { page } from './paging';

/** DescribeInstanceRefreshes input, as the SDK sends it. */
export interface DescribeInstanceRefreshesInput {
  AutoScalingGroupName?: string;
  InstanceRefreshIds?: string[];
  MaxRecords?: number;
  NextToken?: string;
}

/** DescribeInstanceRefreshes of one group: newest first, at most 100 a page. */
export function describeInstanceRefreshes(group: SimGroup, input: DescribeInstanceRefreshesInput): unknown {
  let refreshes = group.refreshes;
  if (input.InstanceRefreshIds?.length)
    refreshes = refreshes.filter((r) => input.InstanceRefreshIds?.includes(r.id));
  const { items, next } = page(refreshes, input.MaxRecords, input.NextToken, 100);
  return {
    InstanceRefreshes: items.map((r) => describeRefresh(group, r)),
    ...(next ? { NextToken: next } : {}),
  };
}

function describeRefresh(group: SimGroup, r: InstanceRefresh): unknown {
  return {
    InstanceRefreshId: r.id,
    AutoScalingGroupName: group.spec.name,
    Status: r.status,
    ...(r.statusReason ? { StatusReason: r.statusReason } : {}),
    StartTime: new Date(r.startMs),
    ...(r.endMs !== undefined ? { EndTime: new Date(r.endMs) } : {}),
    PercentageComplete:
      r.instancesToUpdate === 0 ? 100 : Math.floor((100 * r.replaced) / r.instancesToUpdate),
    InstancesToUpdate: Math.max(0, r.instancesToUpdate - r.replaced),
    Preferences: {
      MinHealthyPercentage: r.minHealthyPercentage,
      MaxHealthyPercentage: r.maxHealthyPercentage,
      InstanceWarmup: r.instanceWarmupSeconds,
      CheckpointPercentages: [...r.checkpointPercentages],
      CheckpointDelay: r.checkpointDelaySeconds,
      AutoRollback: r.autoRollback,
      SkipMatching: r.skipMatching,
      ...(r.alarms.length > 0 ? { AlarmSpecification: { Alarms: [...r.alarms] } } : {}),
      BakeTime: r.bakeTimeSeconds,
    },
    DesiredConfiguration: desiredConfigurationOf(group, r),
    ...(r.rollback
      ? {
          RollbackDetails: {
            RollbackReason: r.rollback.reason,
            RollbackStartTime: new Date(r.rollback.startMs),
            PercentageCompleteOnRollback: r.rollback.percentageComplete,
            InstancesToUpdateOnRollback: r.rollback.instancesToUpdate,
          },
        }
      : {}),
  };
}

/** A refresh's desired configuration as DescribeInstanceRefreshes reports it (its mixed policy if it set one). */
function desiredConfigurationOf(group: SimGroup, r: InstanceRefresh): object {
  const launchTemplate = { LaunchTemplateId: launchTemplateIdOf(group), Version: r.targetVersion };
  // On rollback the target is the policy the refresh replaced, if the group had one.
  const mixed = r.rollback ? r.mixedPolicies?.previous : r.mixedPolicies?.target;
  return mixed
    ? { MixedInstancesPolicy: describeMixedInstancesPolicy(mixed, launchTemplate) }
    : { LaunchTemplate: launchTemplate };
}
