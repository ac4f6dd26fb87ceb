import { INSTANCE_TYPES } from '../instance-types';
import type { AutoScalingContext } from './auto-scaling-context';
import { launchTemplateIdOf, type SimGroup } from './group-state';
import type { MixedInstances } from './mixed-instances';

type LaunchView = Pick<SimGroup, 'spec' | 'mixed' | 'version'>;

/**
 * The types a new instance of the group may be, in the order Auto Scaling tries them: a mixed
 * group's overrides by its On-Demand allocation strategy (`prioritized`: the overrides' order;
 * `lowest-price`: the lowest price per capacity unit first), else its launch template version's
 * type (`templateData`), else the spec's. Auto Scaling launches the first it has capacity for
 * (On-Demand only: the simulation launches no Spot).
 */
export function launchOrder(group: LaunchView, templateData?: AutoScalingContext['templateData']): string[] {
  if (group.mixed && group.mixed.overrides.length > 0) return overridesInLaunchOrder(group.mixed);
  return [templateData?.(launchTemplateIdOf(group), group.version)?.InstanceType ?? group.spec.instanceType];
}

/** The type the group launches when every type has capacity: the first of `launchOrder`. */
export function launchedInstanceType(
  group: LaunchView,
  templateData?: AutoScalingContext['templateData'],
): string {
  return launchOrder(group, templateData)[0] as string;
}

function overridesInLaunchOrder(mixed: MixedInstances): string[] {
  const types = mixed.overrides.map((o) => o.InstanceType);
  if (mixed.distribution.OnDemandAllocationStrategy !== 'lowest-price') return types;
  // Price per unit (the API reference: with weights, "the lowest price per unit"); ties keep the
  // overrides' order, a stable sort.
  const perUnit = new Map(
    mixed.overrides.map((o) => [
      o.InstanceType,
      (INSTANCE_TYPES[o.InstanceType]?.hourlyPriceUsd ?? Number.POSITIVE_INFINITY) /
        Number(o.WeightedCapacity ?? 1),
    ]),
  );
  return [...types].sort((a, b) => (perUnit.get(a) as number) - (perUnit.get(b) as number));
}
