import type { RollingUpdateRequest } from '../contracts/rolling-update';
import { ResourceNotFoundError } from '../ports/errors';
import type { InstanceCatalog } from '../ports/instance-catalog';
import type { CurrentLaunchTemplate } from './group-launch-template';
import { runningVersion } from './group-launch-template';

/**
 * How an update plan's child finds its group changed since the plan computed or updated it, if it
 * does: another launch template, or a version other than those the plan expects
 * (`expectedLaunchTemplate`). A plan may run 48 hours and then undo; an owner's release meanwhile
 * is theirs, and a revert to the plan's old version (or the plan's version numbers applied to
 * another template) would silently replace it. An alias (`$Default`) is resolved; one that cannot
 * be resolved now is not held against the group: validation judges it as for any request.
 * Undefined for a request that expects nothing (not a plan's, or a plan recorded before
 * 2026-12-07).
 * @throws TransientDependencyError when EC2 may answer later.
 */
export async function groupChangedSincePlan(
  launchTemplates: Pick<InstanceCatalog, 'launchTemplate'>,
  request: Pick<RollingUpdateRequest, 'groupName' | 'launchTemplateVersion' | 'expectedLaunchTemplate'>,
  template: Pick<CurrentLaunchTemplate, 'id' | 'version'>,
): Promise<string | undefined> {
  const expected = request.expectedLaunchTemplate;
  if (expected === undefined) return undefined;
  const wanted = `version ${expected.versions.join(' or ')} of ${expected.id}`;
  const notStarted = `its owner changed it since the plan computed or updated it, so the change to version ${request.launchTemplateVersion} was not started and nothing was changed`;
  if (template.id !== expected.id) {
    return `group ${request.groupName} launches from ${template.id} now, not ${wanted} as the update plan expects: ${notStarted}`;
  }
  const version = await resolvedVersion(launchTemplates, template);
  if (version === undefined || expected.versions.includes(version)) return undefined;
  const named = version === template.version ? '' : ` (${template.version})`;
  return `group ${request.groupName} runs version ${version}${named} of ${template.id} now, not ${wanted} as the update plan expects: ${notStarted}`;
}

async function resolvedVersion(
  launchTemplates: Pick<InstanceCatalog, 'launchTemplate'>,
  template: Pick<CurrentLaunchTemplate, 'id' | 'version'>,
): Promise<string | undefined> {
  try {
    return await runningVersion(launchTemplates, template);
  } catch (error) {
    if (error instanceof ResourceNotFoundError) return undefined;
    throw error;
  }
}
