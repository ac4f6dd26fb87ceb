import type { UserConfig } from '../contracts/user-config';
import type { GroupSnapshot } from '../ports/scaling-target';

/** Is `group` one Prescale manages: named in `groups.names`, or carrying the enrolment tag? */
export function isEnrolled(config: UserConfig, group: GroupSnapshot): boolean {
  const tag = config.groups.tag;
  return config.groups.names.includes(group.name) || (tag !== undefined && group.tags[tag.key] === tag.value);
}
