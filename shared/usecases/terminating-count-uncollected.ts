import type { UserConfig } from '../contracts/user-config';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { ResolvedGroupSettings } from './resolve-group-settings';

/**
 * The warning for a `cpu` group read from CloudWatch whose metrics collection holds
 * GroupInServiceInstances but not GroupTerminatingInstances (EnableMetricsCollection takes a list
 * of metrics): its load is average CPUUtilization × (in service + terminating), and a step without
 * the terminating count counts none (`cpuLoadQueries`), so after a scale-in through a target
 * group's deregistration delay the instances draining are in the average and not in the count,
 * and the load reads low (8 instances at 60 % and 2 draining at 2 % read 387 for 484). Collection
 * off altogether is `metricsCollectionOff`'s; undefined otherwise, and for a group that shows
 * no EnabledMetrics.
 */
export function terminatingCountUncollected(
  config: Pick<UserConfig, 'historySource'>,
  settings: Pick<ResolvedGroupSettings['settings'], 'metric'>,
  group: Pick<GroupSnapshot, 'name' | 'collectedGroupMetrics'>,
): string | undefined {
  const collected = group.collectedGroupMetrics;
  if (
    config.historySource !== 'cloudwatch' ||
    settings.metric.kind !== 'cpu' ||
    !collected?.includes('GroupInServiceInstances') ||
    collected.includes('GroupTerminatingInstances')
  )
    return undefined;
  return `GroupTerminatingInstances is not collected on ${group.name}: its cpu load counts no draining instance, so it reads low after a scale-in while instances drain; collect it: aws autoscaling enable-metrics-collection --auto-scaling-group-name ${group.name} --metrics GroupTerminatingInstances --granularity 1Minute`;
}
