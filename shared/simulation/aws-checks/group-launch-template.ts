import type { UserConfigInput } from '../../contracts/user-config';
import { TAGGED_AT_LAUNCH } from '../world/ec2-side-services';
import type { TemplateLaunch } from './request-permissions';

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

/**
 * The role the checks' group's launch template gives its instances (through an instance profile).
 * A group enrolled by name runs a role the configuration lists (`launchPermissions.instanceRoleNames`,
 * paired with its names as templates are) or, when it lists none, no instance profile; a group
 * enrolled by tag has `<prefix>/<group>-instance-role` carrying its tags when the configuration
 * gives `launchPermissions.instanceRolePathPrefix` (the convention docs/SECURITY.md states for
 * tag-enrolled groups: their instance roles sit under that path), else no instance profile; a
 * group not enrolled has `<group>-instance-role` carrying its tags, outside any prefix.
 */
export function groupInstanceRole(
  groupName: string,
  tags: Readonly<Record<string, string>>,
  config: UserConfigInput | undefined,
): { readonly name: string; readonly tags: Readonly<Record<string, string>> } | undefined {
  const byName = (config?.groups.names ?? []).indexOf(groupName);
  if (byName < 0) {
    const enrolment = config?.groups.tag;
    if (!enrolment || tags[enrolment.key] !== enrolment.value)
      return { name: `${groupName}-instance-role`, tags };
    const prefix = config?.launchPermissions?.instanceRolePathPrefix;
    return prefix === undefined ? undefined : { name: `${prefix}/${groupName}-instance-role`, tags };
  }
  const listed = config?.launchPermissions?.instanceRoleNames ?? [];
  const name = listed[Math.min(byName, listed.length - 1)];
  return name === undefined ? undefined : { name, tags };
}

/** What launching from the checks' group's template asks (`TemplateLaunch`), in `partition`/`account`. */
export function groupTemplateLaunch(
  groupName: string,
  tags: Readonly<Record<string, string>>,
  config: UserConfigInput | undefined,
  target: { readonly partition: string; readonly account: string },
): TemplateLaunch {
  const role = groupInstanceRole(groupName, tags, config);
  return {
    taggedResourceTypes: TAGGED_AT_LAUNCH,
    ...(role
      ? {
          instanceRole: {
            arn: `arn:${target.partition}:iam::${target.account}:role/${role.name}`,
            tags: role.tags,
          },
        }
      : {}),
  };
}
