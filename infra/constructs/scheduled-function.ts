import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';

export interface ScheduledFunctionProps {
  readonly function: lambda.IFunction;
  /**
   * The schedule group the schedule is created in: Prescale's own, so its Scheduler metrics (whose
   * only dimension is the group) and the role's trust count no other application's schedules.
   */
  readonly scheduleGroup: scheduler.IScheduleGroup;
  /** How often to invoke, e.g. `Duration.minutes(5)`. */
  readonly rate: Duration;
  /** Payload sent to the function. @default {} */
  readonly input?: Readonly<Record<string, unknown>>;
  /** Shown in the Scheduler console. */
  readonly description: string;
  /** @default 2 retries — a scheduled run that misses its tick is superseded by the next one. */
  readonly retryAttempts?: number;
}

/** Scheduler's `MaximumEventAgeInSeconds`: "Minimum value of 60. Maximum value of 86400." */
const SCHEDULER_MAX_EVENT_AGE_SECONDS = 86_400;
/** Lambda's asynchronous `MaximumEventAgeInSeconds`: "Minimum value of 60. Maximum value of 21600." */
const LAMBDA_MAX_EVENT_AGE_SECONDS = 21_600;

/**
 * An EventBridge Scheduler schedule that invokes a Lambda at a fixed rate, with a retry policy
 * and a dead-letter queue, so an invocation that keeps failing is kept with its reason instead of
 * being dropped. Scheduler invokes Lambda asynchronously ("EventBridge Scheduler invokes your
 * Lambda function asynchronously", Lambda developer guide): its own DLQ only receives invocations
 * Lambda refused, so runs that fail in the function go to the same queue as the function's
 * on-failure destination.
 */
export class ScheduledFunction extends Construct {
  /** The function the schedule invokes. */
  readonly function: lambda.IFunction;
  /** How often the schedule invokes it. */
  readonly rate: Duration;
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ScheduledFunctionProps) {
    super(scope, id);
    this.function = props.function;
    this.rate = props.rate;
    const retryAttempts = checkedRetryAttempts(id, props);
    this.deadLetterQueue = deadLetterQueue(
      this,
      'DeadLetters',
      'This queue is itself the dead-letter queue of the schedule target.',
    );
    this.role = scheduleRole(this, props);
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleGroup: props.scheduleGroup,
      description: props.description,
      schedule: scheduler.ScheduleExpression.rate(props.rate),
      target: new targets.LambdaInvoke(props.function, {
        input: scheduler.ScheduleTargetInput.fromObject(props.input ?? {}),
        role: this.role,
        retryAttempts,
        // An event older than one interval is stale: the next tick has newer history.
        maxEventAge: Duration.seconds(eventAgeSeconds(props.rate, SCHEDULER_MAX_EVENT_AGE_SECONDS)),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
    // CDK names the group by its literal name, which CloudFormation does not read as a dependency:
    // without one it may create the schedule first, and CreateSchedule refuses a group that does
    // not exist yet (ResourceNotFoundException).
    this.schedule.node.addDependency(props.scheduleGroup);
    props.function.configureAsyncInvoke({
      // Lambda's own retries, 1 and 2 minutes apart; a retry older than one interval is stale too.
      retryAttempts: 2,
      maxEventAge: Duration.seconds(eventAgeSeconds(props.rate, LAMBDA_MAX_EVENT_AGE_SECONDS)),
      onFailure: new lambdaDestinations.SqsDestination(this.deadLetterQueue),
    });
  }
}

/** One interval, within 60 s and the service's largest event age. */
function eventAgeSeconds(rate: Duration, maxSeconds: number): number {
  return Math.min(maxSeconds, Math.max(60, rate.toSeconds()));
}

/** The schedule's retries, refused outside what Scheduler accepts; the rate, below a minute. */
function checkedRetryAttempts(id: string, props: ScheduledFunctionProps): number {
  const retryAttempts = props.retryAttempts ?? 2;
  if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 185) {
    throw new Error(`ScheduledFunction ${id}: retryAttempts must be 0–185, got ${retryAttempts}`);
  }
  if (props.rate.toSeconds() < 60) {
    throw new Error(
      `ScheduledFunction ${id}: rate must be at least one minute, got ${props.rate.toHumanString()}`,
    );
  }
  return retryAttempts;
}

/** The role Scheduler assumes to invoke the function. */
function scheduleRole(scope: Construct, props: ScheduledFunctionProps): iam.Role {
  // Only this account's schedules in the group may assume the role (confused deputy). Scheduler
  // assumes it for the schedule's group, never for the schedule: "The value of
  // aws:SourceArn must be your EventBridge Scheduler schedule group ARN … Do not scope the
  // aws:SourceArn statement to a specific schedule or a schedule name prefix."
  // https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        // Accounts AWS kept on the old behaviour assume it for the schedule ARN: "Scoping the role
        // so that it may be assumed using the Schedule ARN or the ScheduleGroup ARN" (Scheduler
        // troubleshooting, quotas); both name the same schedules.
        ArnLike: {
          'aws:SourceArn': [
            props.scheduleGroup.scheduleGroupArn,
            stack.formatArn({
              service: 'scheduler',
              resource: 'schedule',
              resourceName: `${props.scheduleGroup.scheduleGroupName}/*`,
            }),
          ],
        },
      },
    }),
    description: `Invokes ${props.description}`.slice(0, 1000),
  });
  const functionLogicalId = stack.resolve((props.function.node.defaultChild as CfnElement).logicalId);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
    reason:
      'lambda:InvokeFunction on the function and its versions (<arn>:*), granted by the CDK target; no other resource.',
  });
  return role;
}
