import { SimulatedAwsError, UnsupportedCommandError } from '../simulated-aws-error';
import type { AutoScalingContext } from './auto-scaling-context';
import { isWeighted } from './capacity-units';
import type { SimGroup } from './group-state';
import { applyCapacity } from './instance-lifecycle';
import { checkLaunchArchitectures } from './launch-architecture';
import { updatedMixedInstances } from './mixed-instances';

/** UpdateAutoScalingGroup input, as the SDK sends it (the members the simulation models). */
export interface UpdateAutoScalingGroupInput {
  AutoScalingGroupName?: string;
  MinSize?: number;
  MaxSize?: number;
  DesiredCapacity?: number;
  DefaultInstanceWarmup?: number;
  LaunchTemplate?: { LaunchTemplateId?: string; Version?: string };
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's MixedInstancesPolicy, validated against the model.
  MixedInstancesPolicy?: Record<string, any>;
}

/**
 * UpdateAutoScalingGroup on `group`: its launch template or mixed instances policy (never both;
 * not while a refresh with a desired configuration is active), then its bounds and
 * DesiredCapacity with AWS's validation (`applyCapacity`), `cause` in the scaling activity.
 * @throws SimulatedAwsError ValidationError; UnsupportedCommandError for weights beside a warm pool.
 */
export function updateGroup(
  ctx: AutoScalingContext,
  group: SimGroup,
  input: UpdateAutoScalingGroupInput,
  cause: string,
): void {
  // User guide, instance refresh considerations ("Update restriction"): while a refresh with a
  // desired configuration is active, the settings it derives from cannot change.
  if (group.savedSettings && (input.LaunchTemplate || input.MixedInstancesPolicy))
    throw new SimulatedAwsError(
      'ValidationError',
      'An active instance refresh with a desired configuration exists. All configuration options derived from the desired configuration are not available for update while the instance refresh is active.',
    );
  if (input.LaunchTemplate && input.MixedInstancesPolicy)
    throw new SimulatedAwsError(
      'ValidationError',
      'Valid requests must contain either LaunchTemplate or MixedInstancesPolicy, not both.',
    );
  const mixed = input.MixedInstancesPolicy
    ? updatedMixedInstances(group, input.MixedInstancesPolicy)
    : undefined;
  // New instances launch from an explicit version named here (an instance refresh replaces the rest).
  const version =
    input.LaunchTemplate?.Version ??
    input.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.Version;
  if (mixed && group.warmPool && isWeighted(mixed))
    throw new UnsupportedCommandError(
      'autoscaling',
      'UpdateAutoScalingGroupCommand with weights on a group with a warm pool',
    );
  if (mixed || input.LaunchTemplate)
    checkLaunchArchitectures(ctx, { spec: group.spec, version: version ?? group.version }, mixed);
  if (version && /^[0-9]+$/.test(version)) group.version = version;
  // A launch template replaces a mixed instances policy; a policy replaces the plain template.
  if (mixed) group.mixed = mixed;
  else if (input.LaunchTemplate) delete group.mixed;
  applyCapacity(
    ctx,
    group,
    { min: input.MinSize, max: input.MaxSize, desired: input.DesiredCapacity },
    cause,
  );
}
