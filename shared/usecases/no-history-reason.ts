import type { UserConfig } from '../contracts/user-config';
import type { GroupSnapshot } from '../ports/scaling-target';
import { type ResolvedGroupSettings, resolveGroupSettings } from './resolve-group-settings';

/**
 * Why a group has no load history to plan from, naming the fix where the group shows it
 * (`metricsCollectionOff`), or else the group and what to check for its kind of load.
 * @param receivedPoints - datapoints read, none of them a usable load (`hasUsableLoad`); 0 by default.
 */
export function noHistoryReason(config: UserConfig, group: GroupSnapshot, receivedPoints = 0): string {
  const { settings } = resolveGroupSettings(config, group.name, group.tags);
  const check = missingSourceCheck(config, settings.metric, group.name);
  if (receivedPoints > 0) {
    return `none of the ${receivedPoints} datapoints of the load of ${group.name} in the last ${settings.historyDays} days is a load (a finite value ≥ 0): ${check}`;
  }
  return (
    metricsCollectionOff(config, group) ??
    `no datapoint of the load of ${group.name} in the last ${settings.historyDays} days: a new group's first comes within minutes; otherwise ${check}`
  );
}

/**
 * What to check when a source has no datapoint at all, by where the group's load comes from: the
 * usual onboarding mistakes (collection off, a misspelt metric, another target group).
 */
function missingSourceCheck(
  config: UserConfig,
  metric: ResolvedGroupSettings['settings']['metric'],
  groupName: string,
): string {
  if (config.historySource === 'timestream')
    return 'check that the writer puts its load in the Timestream table';
  switch (metric.kind) {
    case 'cpu':
      return `check that group metrics collection is on (GroupInServiceInstances: aws autoscaling enable-metrics-collection --auto-scaling-group-name ${groupName} --granularity 1Minute) and that instances are in service`;
    case 'alb-requests':
      return `check metric.targetGroupFullName (${metric.targetGroupFullName}) and loadBalancerFullName name the group's own target group on its load balancer`;
    case 'custom':
      return `check metric.namespace, metricName and dimensions (${metric.namespace} ${metric.metricName}) against what is published`;
    case 'expression':
      return 'check that metric.expression returns a series for the group';
  }
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
