import * as z from 'zod';

/**
 * An Auto Scaling group's name as Auto Scaling takes it (CreateAutoScalingGroup,
 * `AutoScalingGroupName`: length 1 to 255, "any ASCII character 33 to 126 including most
 * punctuation characters, digits, and upper and lowercased letters. You cannot use a colon (:) in
 * the name."): `!` to `9` and `;` to `~`. For the names the config looks groups up by (override
 * keys, dependency edges, X-Ray's service-to-group map), which must take every group Auto Scaling
 * can hold, a tag-enrolled `checkout(blue)` included.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html
 */
export const autoScalingGroupNameSchema = z
  .string()
  .regex(
    /^[!-9;-~]{1,255}$/,
    'expected an Auto Scaling group name: 1 to 255 printable ASCII characters (33 to 126), no space, no colon',
  );

/**
 * A group name Prescale grants on by name (`groups.names`): Auto Scaling's names narrowed to
 * letters, digits and `+ = , . @ / - _`. Each becomes the resource ARN
 * `…:autoScalingGroup:*:autoScalingGroupName/<name>` of the IAM policy that grants on groups
 * without their enrolment tag, where `*` and `?` are wildcards (`a*` would grant every group whose
 * name starts with `a`) and `${…}` a policy variable.
 */
export const grantedGroupNameSchema = z
  .string()
  .regex(
    /^[\w+=,.@/-]{1,255}$/,
    'expected an Auto Scaling group name of letters, digits and + = , . @ / - _ only: each name in groups.names becomes a resource ARN in the IAM policy that grants on groups by name, where * and ? are wildcards (a* would grant every group starting with a). Enrol a group whose name has other characters by tag (groups.tag)',
  );
