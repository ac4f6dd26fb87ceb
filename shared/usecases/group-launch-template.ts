import { isExplicitVersion } from '../core/rolling-update/explicit-version';
import { ResourceNotFoundError } from '../ports/errors';
import { type InstanceCatalog, LAUNCH_TEMPLATE_VERSION } from '../ports/instance-catalog';
import type { GroupSnapshot } from '../ports/scaling-target';

/** The launch template a group launches from now, and whether it selects types by attributes. */
export interface CurrentLaunchTemplate {
  readonly id: string;
  readonly version: string;
  readonly attributeBased: boolean;
}

/** The launch template a group launches from (a mixed group's policy's own), and whether it selects types by attributes. */
export function launchTemplateOf(group: GroupSnapshot): CurrentLaunchTemplate | undefined {
  if (group.mixedInstances) {
    return {
      id: group.mixedInstances.launchTemplateId,
      version: group.mixedInstances.version,
      attributeBased: group.mixedInstances.usesAttributeBasedSelection,
    };
  }
  if (group.launchTemplate) {
    return { id: group.launchTemplate.id, version: group.launchTemplate.version, attributeBased: false };
  }
  return undefined;
}

/**
 * The explicit version `template` names: its number, or its alias (`$Latest`, `$Default`)
 * resolved now. Undefined when the template or version no longer exists.
 * @throws ResourceNotFoundError when the version exists but its image does not (a deregistered
 *   AMI): the version is not unknown, and the caller says so rather than "cannot be resolved".
 * @throws TransientDependencyError when EC2 may answer later.
 */
export async function runningVersion(
  launchTemplates: Pick<InstanceCatalog, 'launchTemplate'>,
  template: Pick<CurrentLaunchTemplate, 'id' | 'version'>,
): Promise<string | undefined> {
  if (isExplicitVersion(template.version)) return template.version;
  try {
    return String((await launchTemplates.launchTemplate(template.id, template.version)).versionNumber);
  } catch (error) {
    if (error instanceof ResourceNotFoundError && error.resourceType === LAUNCH_TEMPLATE_VERSION)
      return undefined;
    throw error;
  }
}
