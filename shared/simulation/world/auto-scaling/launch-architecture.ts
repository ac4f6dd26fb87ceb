import { INSTANCE_TYPES } from '../instance-types';
import { SimulatedAwsError } from '../simulated-aws-error';
import type { AutoScalingContext } from './auto-scaling-context';
import { launchTemplateIdOf, type SimGroup } from './group-state';
import type { MixedInstances } from './mixed-instances';

type ArchitectureView = Pick<SimGroup, 'spec' | 'version'>;

/**
 * EC2's refusal of an instance type whose architecture is not its AMI's, as RunInstances words it
 * ("The architecture 'arm64' of the specified instance type does not match the architecture
 * 'x86_64' of the specified AMI…"), or undefined when they match or either is unknown (an SSM
 * alias, a template the world does not hold).
 */
export function architectureMismatch(
  ctx: AutoScalingContext,
  template: { readonly id: string; readonly version: string },
  instanceType: string,
): string | undefined {
  const image = ctx.templateData(template.id, template.version)?.imageArchitecture;
  const type = INSTANCE_TYPES[instanceType]?.architecture;
  if (!image || !type || image === type) return undefined;
  return `The architecture '${type}' of the specified instance type does not match the architecture '${image}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`;
}

/** The template an instance of `instanceType` launches from: its override's own, else the group's. */
export function templateOfType(
  group: ArchitectureView,
  mixed: MixedInstances | undefined,
  instanceType: string,
): { id: string; version: string } {
  const own = mixed?.overrides.find((o) => o.InstanceType === instanceType)?.LaunchTemplateSpecification;
  return own?.LaunchTemplateId
    ? { id: own.LaunchTemplateId, version: own.Version ?? '$Default' }
    : { id: launchTemplateIdOf(group), version: group.version };
}

/**
 * Auto Scaling's check of a new launch configuration (CreateAutoScalingGroup, UpdateAutoScalingGroup):
 * every type it may launch must run its template's AMI. AWS answers a mismatch with "ValidationError:
 * You must use a valid fully-formed launch template. The architecture 'arm64' of the specified
 * instance type does not match the architecture 'x86_64' of the specified AMI…".
 * @throws SimulatedAwsError ValidationError naming the first mismatch.
 */
export function checkLaunchArchitectures(
  ctx: AutoScalingContext,
  group: ArchitectureView,
  mixed: MixedInstances | undefined,
): void {
  const types = mixed
    ? mixed.overrides.map((o) => o.InstanceType)
    : [ctx.templateData(launchTemplateIdOf(group), group.version)?.InstanceType ?? group.spec.instanceType];
  for (const type of types) {
    const why = architectureMismatch(ctx, templateOfType(group, mixed, type), type);
    if (why)
      throw new SimulatedAwsError(
        'ValidationError',
        `You must use a valid fully-formed launch template. ${why}`,
      );
  }
}
