import { launchTemplateIdOf, lifecycleStateOf, type SimGroup } from './group-state';

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
      .map((i) => ({
        InstanceId: i.id,
        InstanceType: i.instanceType,
        AutoScalingGroupName: group.spec.name,
        AvailabilityZone: i.az,
        LifecycleState: lifecycleStateOf(i, nowMs),
        HealthStatus: group.unhealthy.has(i.version) && i.state === 'InService' ? 'UNHEALTHY' : 'HEALTHY',
        LaunchTemplate: {
          LaunchTemplateId: launchTemplateIdOf(group),
          LaunchTemplateName: `${group.spec.name}-lt`,
          Version: i.version,
        },
        ProtectedFromScaleIn: i.protectedFromScaleIn === true,
        ...(i.weightedCapacity !== undefined ? { WeightedCapacity: String(i.weightedCapacity) } : {}),
      })),
  );
  return { AutoScalingInstances };
}
