import type { AutoScalingContext } from './auto-scaling-context';
import { launchTemplateIdOf, type SimGroup } from './group-state';

/**
 * The type the group launches: its first override's (the simulation launches one type), else its
 * launch template version's (`templateData`), else the spec's.
 */
export function launchedInstanceType(
  group: Pick<SimGroup, 'spec' | 'mixed' | 'version'>,
  templateData?: AutoScalingContext['templateData'],
): string {
  return (
    group.mixed?.overrides[0]?.InstanceType ??
    templateData?.(launchTemplateIdOf(group), group.version)?.InstanceType ??
    group.spec.instanceType
  );
}
