import { SimulatedAwsError, UnsupportedCommandError } from '../simulated-aws-error';
import type { AutoScalingContext } from './auto-scaling-context';
import { isWeighted } from './capacity-units';
import { launchTemplateIdOf, type SimGroup } from './group-state';
import { applyCapacity, checkedCapacity } from './instance-lifecycle';
import { checkLaunchArchitectures } from './launch-architecture';
import { updatedMixedInstances } from './mixed-instances';
import { checkTemplateVersionExists } from './template-version-check';

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

/** A launch template version as a LaunchTemplateSpecification names it: a number, `$Latest` or `$Default`. */
const TEMPLATE_VERSION = /^(?:[1-9][0-9]*|\$Latest|\$Default)$/;

/**
 * The launch template version an update names, if it names a launch template: its `Version`, or
 * `$Default` without one ("The default value is `$Default`", LaunchTemplateSpecification in the
 * API reference); undefined for an update that leaves the launch template alone.
 * @throws SimulatedAwsError ValidationError on a version that is none of those (the text a guess),
 * or one the template (the update's, else the group's) does not have (`checkTemplateVersionExists`).
 */
function versionNamed(
  ctx: AutoScalingContext,
  group: SimGroup,
  input: UpdateAutoScalingGroupInput,
): string | undefined {
  const spec: { LaunchTemplateId?: string; Version?: string } | undefined =
    input.LaunchTemplate ?? input.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  if (!spec) return undefined;
  const version = spec.Version ?? '$Default';
  if (!TEMPLATE_VERSION.test(version))
    throw new SimulatedAwsError(
      'ValidationError',
      `Launch template version ${version} is invalid: specify a version number, $Latest or $Default.`,
    );
  checkTemplateVersionExists(ctx, spec.LaunchTemplateId ?? launchTemplateIdOf(group), version);
  return version;
}

/**
 * UpdateAutoScalingGroup on `group`: its launch template or mixed instances policy (never both;
 * not while a refresh with a desired configuration is active), then its bounds and
 * DesiredCapacity with AWS's validation (`applyCapacity`), `cause` in the scaling activity. All is
 * checked before anything changes.
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
  const version = versionNamed(ctx, group, input);
  if (mixed && group.warmPool && isWeighted(mixed))
    throw new UnsupportedCommandError(
      'autoscaling',
      'UpdateAutoScalingGroupCommand with weights on a group with a warm pool',
    );
  if (mixed || input.LaunchTemplate)
    checkLaunchArchitectures(ctx, { spec: group.spec, version: version ?? group.version }, mixed);
  const sizes = { min: input.MinSize, max: input.MaxSize, desired: input.DesiredCapacity };
  // AWS refuses the whole update, changing nothing, when its sizes are refused.
  checkedCapacity(group, sizes);
  // New instances launch from the version named here (an instance refresh replaces the rest), and
  // DescribeAutoScalingGroups reports it as named: `$Latest`/`$Default` stay aliases.
  if (version !== undefined) group.version = version;
  // A launch template replaces a mixed instances policy; a policy replaces the plain template.
  if (mixed) group.mixed = mixed;
  else if (input.LaunchTemplate) delete group.mixed;
  applyCapacity(ctx, group, sizes, cause);
}
