import type { UserConfigInput } from '../../contracts/user-config';

/**
 * The launch template id the checks give a group they make up. Groups enrolled by name use a
 * template the configuration lists (users list their templates, docs/configuration.md
 * `launchPermissions`); any other group has `lt-<group>`, which carries the group's tags (the
 * convention docs/SECURITY.md states for tag-enrolled groups).
 */
export function groupLaunchTemplateId(groupName: string, config: UserConfigInput | undefined): string {
  const listed = config?.launchPermissions?.launchTemplateIds ?? [];
  const byName = (config?.groups.names ?? []).indexOf(groupName);
  const id = byName >= 0 ? listed[Math.min(byName, listed.length - 1)] : undefined;
  return id ?? `lt-${groupName}`;
}
