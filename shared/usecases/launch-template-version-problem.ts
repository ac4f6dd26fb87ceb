import { ResourceNotFoundError } from '../ports/errors';
import { type InstanceCatalog, LAUNCH_TEMPLATE_VERSION } from '../ports/instance-catalog';

/**
 * Why version `version` of launch template `launchTemplateId` cannot launch an instance, or
 * undefined when it can: the template or version does not exist, or it does but its image does
 * not (deregistered, or not shared with this account). The two are told apart because the
 * operator fixes different things: the request's version, or the launch template's image.
 * Validation and the re-plan under the lock both check the target version with it.
 * @throws TransientDependencyError when EC2 may answer later.
 */
export async function launchTemplateVersionProblem(
  launchTemplates: Pick<InstanceCatalog, 'launchTemplate'>,
  launchTemplateId: string,
  version: string,
): Promise<string | undefined> {
  try {
    await launchTemplates.launchTemplate(launchTemplateId, version);
    return undefined;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundError)) throw error;
    if (error.resourceType === LAUNCH_TEMPLATE_VERSION)
      return `launch template ${launchTemplateId} has no version ${version}`;
    return `version ${version} of launch template ${launchTemplateId} exists, but its ${error.resourceType} ${error.resourceId} was not found (deregistered, or not shared with this account)`;
  }
}
