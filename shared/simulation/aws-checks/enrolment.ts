import type { UserConfigInput } from '../../contracts/user-config';

/** Whether a group is enrolled by the configuration: named, or tagged with the enrolment tag's value. */
export function isEnrolled(
  groups: UserConfigInput['groups'],
  name: string,
  tags: Readonly<Record<string, string>>,
): boolean {
  if ((groups.names ?? []).includes(name)) return true;
  return groups.tag !== undefined && tags[groups.tag.key] === groups.tag.value;
}

/** One group that is not enrolled, with the reason, for the checks that every mutation of it is denied. */
export interface StrayGroup {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly why: string;
}

/** Groups that the configuration does not enroll: untagged and unnamed, tagged `false`, tagged under another key. */
export function strayGroups(groups: UserConfigInput['groups']): StrayGroup[] {
  const key = groups.tag?.key ?? 'prescale:enabled';
  return [
    { name: 'stray-untagged', tags: {}, why: 'no tag, not named' },
    { name: 'stray-false', tags: { [key]: 'false' }, why: `${key}=false` },
    {
      name: 'stray-other-key',
      tags: { 'other:enabled': groups.tag?.value ?? 'true' },
      why: 'another tag key',
    },
  ];
}
