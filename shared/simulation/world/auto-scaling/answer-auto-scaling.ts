import type { SimulatedAutoScaling } from '../simulated-auto-scaling';
import { UnsupportedCommandError } from '../simulated-aws-error';

/** The Auto Scaling commands the world answers, each by the simulated Auto Scaling's method. */
const METHODS = {
  DescribeAutoScalingGroupsCommand: 'describeAutoScalingGroups',
  UpdateAutoScalingGroupCommand: 'updateAutoScalingGroup',
  SetDesiredCapacityCommand: 'setDesiredCapacity',
  DescribeAutoScalingInstancesCommand: 'describeAutoScalingInstances',
  DescribePoliciesCommand: 'describePolicies',
  DescribeInstanceRefreshesCommand: 'describeInstanceRefreshes',
  StartInstanceRefreshCommand: 'startInstanceRefresh',
  SetInstanceProtectionCommand: 'setInstanceProtection',
  CancelInstanceRefreshCommand: 'cancelInstanceRefresh',
  RollbackInstanceRefreshCommand: 'rollbackInstanceRefresh',
  DescribeScalingActivitiesCommand: 'describeScalingActivities',
  PutScheduledUpdateGroupActionCommand: 'putScheduledUpdateGroupAction',
  DeleteScheduledActionCommand: 'deleteScheduledAction',
  BatchPutScheduledUpdateGroupActionCommand: 'batchPutScheduledUpdateGroupAction',
  BatchDeleteScheduledActionCommand: 'batchDeleteScheduledAction',
  DescribeScheduledActionsCommand: 'describeScheduledActions',
  PutWarmPoolCommand: 'putWarmPool',
  DescribeWarmPoolCommand: 'describeWarmPool',
  SuspendProcessesCommand: 'suspendProcesses',
  ResumeProcessesCommand: 'resumeProcesses',
  CreateOrUpdateTagsCommand: 'createOrUpdateTags',
  DeleteTagsCommand: 'deleteTags',
} as const satisfies Record<string, keyof SimulatedAutoScaling>;

/**
 * Answers one Auto Scaling SDK command from `asg`.
 * @throws UnsupportedCommandError for a command the simulation does not answer.
 */
export function answerAutoScaling(asg: SimulatedAutoScaling, commandName: string, input: unknown): unknown {
  const method = METHODS[commandName as keyof typeof METHODS];
  if (!method) throw new UnsupportedCommandError('autoscaling', commandName);
  // biome-ignore lint/suspicious/noExplicitAny: inputs are the SDK's command inputs, checked by each handler.
  return (asg[method] as (i: any) => unknown).call(asg, input ?? {});
}
