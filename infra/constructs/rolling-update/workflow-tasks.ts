import { Aws, Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { PrescaleFunction } from '../prescale-function';

/**
 * Step Functions names an AWS SDK integration error `<Service>.<Exception>`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html#use-awssdk-integ-errors).
 * Errors the Auto Scaling model declares keep their exception name (`ResourceContentionFault` →
 * `AutoScaling.ResourceContentionException`); common errors it does not declare — `Throttling`
 * ("Rate exceeded", HTTP 400), `ServiceUnavailable`, `InternalFailure`
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonErrors.html) — arrive as the
 * service's generic `AutoScaling.AutoScalingException`; there is no `AutoScaling.ThrottlingException`.
 * Every Auto Scaling call the workflow makes is safe to repeat (absolute capacities; a repeated
 * rollback or cancel may meet the rollback or cancel its first attempt started, with an error AWS
 * does not document, so the rollback branch looks again after any of theirs but
 * `IrreversibleInstanceRefresh` and waits that out; StartInstanceRefresh takes no
 * client token, so a start whose first attempt took effect meets `InstanceRefreshInProgress` on
 * its own refresh, which the rollback branch recognises by its start time and configuration and
 * watches: the forward start's as the refresh, a revert start's as the revert), so reads and
 * writes retry on both.
 */
export const AUTO_SCALING_TRANSIENT = [
  'AutoScaling.ResourceContentionException',
  'AutoScaling.AutoScalingException',
] as const;

/**
 * UpdateAutoScalingGroup's `ScalingActivityInProgress` fault: "the operation can't be performed
 * because there are scaling activities in progress"
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html#API_UpdateAutoScalingGroup_Errors).
 * It clears once the launches or terminations end, minutes rather than seconds later, so capacity
 * writes retry it on a slower schedule than `AUTO_SCALING_TRANSIENT`: a restore that gave up at
 * once would leave the headroom on the group.
 */
export const SCALING_ACTIVITY_IN_PROGRESS = 'AutoScaling.ScalingActivityInProgressException';

/** DynamoDB errors a state-table task retries with the default policy. */
export const DYNAMODB_TRANSIENT = [
  'DynamoDB.ProvisionedThroughputExceededException',
  'DynamoDB.InternalServerErrorException',
];

/** What Step Functions raises when Lambda throttles an invoke; every Lambda task retries it. */
export const LAMBDA_THROTTLED = 'Lambda.TooManyRequestsException';

/** The Auto Scaling parameter naming the plan's group. */
export const GROUP = { 'AutoScalingGroupName.$': '$.plan.groupName' };

/** `$.rollback` before anything was changed: what a refusal reports as undone. */
export const NOTHING_UNDONE = { action: 'none', reason: 'nothing needed undoing', needsAttention: false };

/** Catch options that send a forward-path failure to the rollback branch with `$.error` set. */
export const TO_ROLLBACK = { resultPath: '$.error' };

/** Output options of an Auto Scaling task: the result is discarded unless `resultPath` is given. */
export interface AutoScalingOutput {
  readonly resultPath?: string | null;
  readonly resultSelector?: Record<string, unknown>;
}

/**
 * A task's result as the whole state, `{ [replaceStateWith]: result }` (a ResultSelector and no
 * ResultPath): what the state held before is left behind.
 */
export interface ReplaceState {
  readonly replaceStateWith: string;
}

/** The two task shapes the workflow is built from. */
export interface WorkflowTasks {
  /**
   * A decision Lambda (payload response only), retried on `TransientDependencyError` and
   * throttling, its result at `resultPath` or as the whole state (`ReplaceState`).
   */
  invoke(
    name: string,
    f: PrescaleFunction,
    resultPath: string | ReplaceState,
    payload?: sfn.TaskInput,
  ): sfn.TaskStateBase;
  /**
   * An AWS SDK `autoscaling:<action>` task, retried on `AUTO_SCALING_TRANSIENT` with full jitter;
   * an `updateAutoScalingGroup` also on `SCALING_ACTIVITY_IN_PROGRESS`, for about six minutes.
   */
  autoScaling(
    name: string,
    action: string,
    parameters: Record<string, unknown>,
    output?: AutoScalingOutput,
  ): sfn.CustomState;
}

/** Task factories whose states are created in `scope` (their IDs are the state names). */
export function workflowTasks(scope: Construct): WorkflowTasks {
  return {
    invoke: (name, f, resultPath, payload) =>
      new tasks.LambdaInvoke(scope, name, {
        lambdaFunction: f.function,
        payloadResponseOnly: true,
        ...(typeof resultPath === 'string'
          ? { resultPath }
          : { resultSelector: { [resultPath.replaceStateWith]: sfn.JsonPath.entirePayload } }),
        ...(payload ? { payload } : {}),
      })
        .addRetry({
          errors: ['TransientDependencyError'],
          interval: Duration.seconds(5),
          maxAttempts: 3,
          backoffRate: 2,
        })
        // Beside the service exceptions LambdaInvoke retries by default: throttling, "When Lambda
        // hits the maximum number of invocations, the error is Lambda.TooManyRequestsException"
        // (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
        .addRetry({
          errors: [LAMBDA_THROTTLED],
          interval: Duration.seconds(2),
          maxAttempts: 6,
          backoffRate: 2,
          maxDelay: Duration.seconds(60),
          jitterStrategy: sfn.JitterType.FULL,
        }),
    autoScaling: (name, action, parameters, output = {}) => {
      const task = new sfn.CustomState(scope, name, {
        stateJson: {
          Type: 'Task',
          Resource: `arn:${Aws.PARTITION}:states:::aws-sdk:autoscaling:${action}`,
          Parameters: parameters,
          ...(output.resultSelector ? { ResultSelector: output.resultSelector } : {}),
          ResultPath: output.resultPath === undefined ? null : output.resultPath,
        },
      }).addRetry({
        errors: [...AUTO_SCALING_TRANSIENT],
        interval: Duration.seconds(2),
        maxAttempts: 5,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });
      if (action !== 'updateAutoScalingGroup') return task;
      return task.addRetry({
        errors: [SCALING_ACTIVITY_IN_PROGRESS],
        interval: Duration.seconds(10),
        maxAttempts: 6,
        backoffRate: 2,
        maxDelay: Duration.seconds(120),
        jitterStrategy: sfn.JitterType.FULL,
      });
    },
  };
}
