import { SimulatedAwsError } from '../simulated-aws-error';

/** The Auto Scaling calls that name one group and fail when it does not exist. */
export type GroupCall =
  | 'UpdateAutoScalingGroup'
  | 'SetDesiredCapacity'
  | 'SuspendProcesses'
  | 'ResumeProcesses'
  | 'SetInstanceProtection'
  | 'PutScheduledUpdateGroupAction'
  | 'BatchPutScheduledUpdateGroupAction'
  | 'BatchDeleteScheduledAction'
  | 'DeleteScheduledAction'
  | 'DescribeScheduledActions'
  | 'DescribePolicies'
  | 'CreateOrUpdateTags'
  | 'DeleteTags'
  | 'PutWarmPool'
  | 'DescribeWarmPool'
  | 'DeleteAutoScalingGroup'
  | 'StartInstanceRefresh'
  | 'CancelInstanceRefresh'
  | 'RollbackInstanceRefresh'
  | 'DescribeInstanceRefreshes';

/**
 * What Auto Scaling answers a call naming a group it does not have (never created, or deleted
 * and gone). It has no not-found code: every answer is a `ValidationError`, and the message
 * differs by API. Where a message was seen quoted from AWS it is used as quoted; the others are
 * marked as guesses and keep the form of the group-level calls. (DescribeAutoScalingGroups leaves
 * the group out of its answer and DescribeScalingActivities answers no activities, neither fails.)
 * docs/evaluation.md, *Auto Scaling on a missing group*, lists the sources.
 */
const MESSAGES: Record<GroupCall, (name: string) => string> = {
  // aws/aws-sdk-go#1151 (the call that sets capacity), getmoto/moto#7983.
  UpdateAutoScalingGroup: () => 'AutoScalingGroup name not found - null',
  // Guess: the same capacity path as UpdateAutoScalingGroup.
  SetDesiredCapacity: () => 'AutoScalingGroup name not found - null',
  // Guesses: group-level writes, as UpdateAutoScalingGroup.
  SuspendProcesses: () => 'AutoScalingGroup name not found - null',
  ResumeProcesses: () => 'AutoScalingGroup name not found - null',
  SetInstanceProtection: () => 'AutoScalingGroup name not found - null',
  // hashicorp/terraform#17238 (PutScheduledUpdateGroupAction); the batch call assumed the same.
  PutScheduledUpdateGroupAction: () => 'AutoScalingGroup name not found - null',
  BatchPutScheduledUpdateGroupAction: () => 'AutoScalingGroup name not found - null',
  // Guesses: Terraform's provider reads a ValidationError with "not found" as the group gone on
  // these (schedule.go, policy.go, group.go), the exact text not quoted; moto answers the
  // describes with an empty list instead.
  BatchDeleteScheduledAction: (name) =>
    `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`,
  DeleteScheduledAction: (name) => `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`,
  DescribeScheduledActions: (name) => `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`,
  DescribePolicies: (name) => `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`,
  // cloud-custodian/cloud-custodian#380 (CreateOrUpdateTags); DeleteTags assumed the same.
  CreateOrUpdateTags: (name) => `AutoScalingGroup not found - AutoScaling Group ${name} not found`,
  DeleteTags: (name) => `AutoScalingGroup not found - AutoScaling Group ${name} not found`,
  // kubernetes/kops#11282 (the warm pool calls; kops#11285 checks DescribeWarmPool's for it).
  PutWarmPool: (name) => `AutoScalingGroup name not found - No such Auto Scaling group: ${name}`,
  DescribeWarmPool: (name) => `AutoScalingGroup name not found - No such Auto Scaling group: ${name}`,
  // getmoto/moto#9917; cloud-custodian/cloud-custodian#249 quotes its start.
  DeleteAutoScalingGroup: (name) => `AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`,
  // A ValidationError on DescribeInstanceRefreshes (kubernetes-sigs/cluster-api-provider-aws#4662),
  // its text a guess; the other refresh calls assumed the same.
  StartInstanceRefresh: (name) => `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`,
  CancelInstanceRefresh: (name) => `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`,
  RollbackInstanceRefresh: (name) => `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`,
  DescribeInstanceRefreshes: (name) => `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`,
};

/** Auto Scaling's answer to `call` naming the group `name` that it does not have (`MESSAGES`). */
export function groupNotFound(call: GroupCall, name: string | undefined): SimulatedAwsError {
  return new SimulatedAwsError('ValidationError', MESSAGES[call](name ?? 'null'));
}
