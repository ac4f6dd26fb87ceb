import { ResourceNotFoundError } from '../ports/errors';
import { translateAwsError } from './translate-aws-error';

/**
 * How Auto Scaling says a group does not exist (or no longer does). It has no not-found error
 * code: a call naming a missing group fails with the generic `ValidationError`, and only the
 * message tells it from a refused value. The texts vary by API and have changed over the years:
 * - "AutoScalingGroup name not found - null" (UpdateAutoScalingGroup, PutScheduledUpdateGroupAction;
 *   aws/aws-sdk-go#1151, hashicorp/terraform#17238),
 * - "AutoScalingGroup name not found - No such Auto Scaling group: web" (warm pool calls;
 *   kubernetes/kops#11282),
 * - "AutoScalingGroup name not found - AutoScalingGroup 'web' not found" (DeleteAutoScalingGroup),
 * - "AutoScalingGroup not found - AutoScaling Group web not found" (CreateOrUpdateTags;
 *   cloud-custodian/cloud-custodian#380),
 * - "AutoScalingGroup web not found" (hashicorp/terraform#15585).
 * Terraform's provider reads any `ValidationError` containing "not found" as a missing resource;
 * this is narrower, naming the group, so "Scheduled action name not found" or a refused launch
 * template is not taken for a deleted group. DescribeAutoScalingGroups never fails this way: it
 * leaves a missing group out of its answer.
 */
const GROUP_NOT_FOUND = [/\bAutoScalingGroup\b[^.]*\bnot found\b/i, /\bNo such Auto Scaling group\b/i];

/**
 * Whether `error` is Auto Scaling's answer to a call naming a group that does not exist:
 * a `ValidationError` whose message names the group as not found (`GROUP_NOT_FOUND`).
 */
export function isGroupNotFound(error: unknown): boolean {
  const e = error as { name?: string; message?: string } | undefined;
  return e?.name === 'ValidationError' && GROUP_NOT_FOUND.some((p) => p.test(e.message ?? ''));
}

/**
 * `translateAwsError` for an Auto Scaling call on the group `groupName`, plus the group's own
 * not-found answer (`isGroupNotFound`), which becomes `ResourceNotFoundError` (type `group`)
 * instead of a refused request: the group was deleted, which callers end on rather than fail.
 */
export function translateAutoScalingError(error: unknown, operation: string, groupName: string): Error {
  const group = { type: 'group', id: groupName };
  if (isGroupNotFound(error)) return new ResourceNotFoundError(group.type, group.id, { cause: error });
  return translateAwsError(error, 'Auto Scaling', operation, group);
}
