import { describeInstance } from './describe-instance';
import type { SimGroup } from './group-state';

/**
 * DescribeAutoScalingInstances: the named instances that belong to a group (Pending, InService,
 * Terminating or in a warm pool), in the API reference's shape; ids of no group are left out, as
 * AWS does.
 */
export function describeAutoScalingInstances(
  groups: Iterable<SimGroup>,
  instanceIds: readonly string[],
  nowMs: number,
): unknown {
  const wanted = new Set(instanceIds);
  const AutoScalingInstances = [...groups].flatMap((group) =>
    group.instances
      .filter((i) => wanted.has(i.id))
      .map((i) => {
        const instance = describeInstance(group, i, nowMs);
        // AutoScalingInstanceDetails spells the health status in capitals, unlike Instance.
        const HealthStatus = String(instance.HealthStatus).toUpperCase();
        return { ...instance, AutoScalingGroupName: group.spec.name, HealthStatus };
      }),
  );
  return { AutoScalingInstances };
}
