import type { UserConfig } from '../contracts/user-config';
import type { GroupSnapshot } from '../ports/scaling-target';
import { resolveGroupSettings } from './resolve-group-settings';

/**
 * Why a group has no load history to plan from, naming the fix where the group shows it
 * (`metricsCollectionOff`), or else what leaves a metric without datapoints.
 */
export function noHistoryReason(config: UserConfig, group: GroupSnapshot): string {
  const { settings } = resolveGroupSettings(config, group.name, group.tags);
  return (
    metricsCollectionOff(config, group) ??
    `no datapoint of its load metric in the last ${settings.historyDays} days (a new group, or a metric nothing publishes)`
  );
}

/**
 * The switch to turn on when a `cpu` group's load cannot be read from CloudWatch: its load is
 * average CPUUtilization × (GroupInServiceInstances + GroupTerminatingInstances), and Auto Scaling
 * publishes those group metrics only once metrics collection is enabled on the group (off unless
 * asked for); the in-service count is the one it cannot do without. Turned off, every
 * run finds nothing, or nothing newer than when it was turned off, and the operator must be told
 * which switch. Undefined when the group does not show collection off.
 */
export function metricsCollectionOff(config: UserConfig, group: GroupSnapshot): string | undefined {
  const { settings } = resolveGroupSettings(config, group.name, group.tags);
  const collected = group.collectedGroupMetrics;
  if (
    config.historySource === 'cloudwatch' &&
    settings.metric.kind === 'cpu' &&
    collected !== undefined &&
    !collected.includes('GroupInServiceInstances')
  ) {
    return `group metrics collection is off on ${group.name}, and its cpu load is average CPUUtilization × (GroupInServiceInstances + GroupTerminatingInstances), which Auto Scaling publishes only with it on: aws autoscaling enable-metrics-collection --auto-scaling-group-name ${group.name} --granularity 1Minute`;
  }
  return undefined;
}
