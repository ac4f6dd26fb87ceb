import type { PublishedGroupMetric } from './auto-scaling/group-state';
import type { MetricId } from './metric-store';

/** CloudWatch metric ids the world publishes for a group (see `groupMetrics`). */
const metricsOfGroup = (groupName: string) => {
  const asg = { AutoScalingGroupName: groupName };
  const alb = {
    LoadBalancer: `app/${groupName}-alb/50dc6c495c0c9188`,
    TargetGroup: `targetgroup/${groupName}-tg/73e2d6bc24d8a067`,
  };
  return {
    cpu: { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: asg },
    inService: { namespace: 'AWS/AutoScaling', metricName: 'GroupInServiceInstances', dimensions: asg },
    desired: { namespace: 'AWS/AutoScaling', metricName: 'GroupDesiredCapacity', dimensions: asg },
    pending: { namespace: 'AWS/AutoScaling', metricName: 'GroupPendingInstances', dimensions: asg },
    terminating: { namespace: 'AWS/AutoScaling', metricName: 'GroupTerminatingInstances', dimensions: asg },
    total: { namespace: 'AWS/AutoScaling', metricName: 'GroupTotalInstances', dimensions: asg },
    requestCount: { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: alb },
    requestCountPerTarget: {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCountPerTarget',
      dimensions: alb,
    },
    healthyHosts: { namespace: 'AWS/ApplicationELB', metricName: 'HealthyHostCount', dimensions: alb },
    offeredLoad: { namespace: 'Prescale/Simulation', metricName: 'OfferedLoad', dimensions: asg },
  } satisfies Record<string, MetricId>;
};

/** Each published group metric's id in `groupMetrics`. */
export const GROUP_METRIC_IDS = {
  GroupInServiceInstances: 'inService',
  GroupDesiredCapacity: 'desired',
  GroupPendingInstances: 'pending',
  GroupTerminatingInstances: 'terminating',
  GroupTotalInstances: 'total',
} as const satisfies Record<PublishedGroupMetric, keyof ReturnType<typeof metricsOfGroup>>;

const metricsByGroup = new Map<string, ReturnType<typeof metricsOfGroup>>();

/**
 * CloudWatch metric ids the world publishes for a group: the same objects on every call, so the
 * metric store finds each one's key by identity (`keyOf`) on the ~9 datapoints a group publishes
 * every simulated minute, instead of sorting and joining the dimensions of fresh ones. Frozen:
 * one group's ids serve every world in the process.
 */
export const groupMetrics = (groupName: string): ReturnType<typeof metricsOfGroup> => {
  let metrics = metricsByGroup.get(groupName);
  if (metrics === undefined) {
    const fresh = metricsOfGroup(groupName);
    for (const metric of Object.values(fresh)) Object.freeze(Object.freeze(metric).dimensions);
    metrics = Object.freeze(fresh);
    metricsByGroup.set(groupName, metrics);
  }
  return metrics;
};
