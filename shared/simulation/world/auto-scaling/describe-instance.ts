import { launchTemplateIdOf, lifecycleStateOf, type SimGroup, type SimInstance } from './group-state';

/**
 * One instance of a group in the shape of the API's `Instance` data type, as
 * DescribeAutoScalingGroups and DescribeWarmPool both return it: its launch template at the
 * version it was launched from, and its `WeightedCapacity` (a string) when the group weighs its
 * types. https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Instance.html
 */
export function describeInstance(group: SimGroup, i: SimInstance, nowMs: number): Record<string, unknown> {
  return {
    InstanceId: i.id,
    InstanceType: i.instanceType,
    AvailabilityZone: i.az,
    LifecycleState: lifecycleStateOf(i, nowMs),
    HealthStatus: group.unhealthy.has(i.version) && i.state === 'InService' ? 'Unhealthy' : 'Healthy',
    LaunchTemplate: {
      LaunchTemplateId: launchTemplateIdOf(group),
      LaunchTemplateName: `${group.spec.name}-lt`,
      Version: i.version,
    },
    ProtectedFromScaleIn: i.protectedFromScaleIn === true,
    ...(i.weightedCapacity !== undefined ? { WeightedCapacity: String(i.weightedCapacity) } : {}),
  };
}
