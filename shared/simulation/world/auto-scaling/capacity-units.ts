import type { SimGroup, SimInstance } from './group-state';
import { launchedInstanceType } from './launched-instance-type';
import type { MixedInstances } from './mixed-instances';

/**
 * Capacity units an instance counts toward DesiredCapacity: the `WeightedCapacity` its type had
 * when it launched in a group with weights, 1 otherwise. With weights, MinSize, MaxSize and
 * DesiredCapacity are in these units too
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-mixed-instances-groups-instance-weighting.html).
 */
export function unitsOf(instance: Pick<SimInstance, 'weightedCapacity'>): number {
  return instance.weightedCapacity ?? 1;
}

/** The capacity units of `instances`, summed. */
export function capacityOf(instances: readonly Pick<SimInstance, 'weightedCapacity'>[]): number {
  let units = 0;
  for (const i of instances) units += unitsOf(i);
  return units;
}

/** The weight the policy's override gives `instanceType`; undefined when the policy has no weights. */
function weightOfType(mixed: MixedInstances | undefined, instanceType: string): number | undefined {
  const weight = mixed?.overrides.find((o) => o.InstanceType === instanceType)?.WeightedCapacity;
  return weight === undefined ? undefined : Number(weight);
}

/** Whether the policy weighs its types (then every override has a weight). */
export function isWeighted(mixed: MixedInstances | undefined): boolean {
  return mixed?.overrides.some((o) => o.WeightedCapacity !== undefined) ?? false;
}

/** The `weightedCapacity` member a new instance of the group gets (none without weights). */
export function launchWeight(
  mixed: MixedInstances | undefined,
  instanceType: string,
): { weightedCapacity?: number } {
  const weight = weightOfType(mixed, instanceType);
  return weight === undefined ? {} : { weightedCapacity: weight };
}

/** Capacity units the group's next new instance brings (a launch that fails counts as one of them). */
export function nextLaunchUnits(
  group: Pick<SimGroup, 'spec' | 'mixed' | 'version'>,
  templateData?: Parameters<typeof launchedInstanceType>[1],
): number {
  return weightOfType(group.mixed, launchedInstanceType(group, templateData)) ?? 1;
}
