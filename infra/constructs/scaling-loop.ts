import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ENV } from '../../shared/contracts/env';
import {
  DISPATCHER_TIMEOUT_SECONDS,
  WORKER_MEMORY_MB,
  workerTimeoutSeconds,
} from '../../shared/contracts/function-timeouts';
import { GROUP_WORK_DELIVERY } from '../../shared/contracts/group-work-delivery';
import type { UserConfig } from '../../shared/contracts/user-config';
import { configEnvironment, configParts } from './config-environment';
import { deadLetterQueue } from './dead-letter-queue';
import { deployedSizer } from './deployed-value-size';
import {
  acknowledgeEnrolledGroupWildcards,
  byNameGroupsProblem,
  enrolledGroupsStatements,
  giveBackStatements,
  ownGroupsStatements,
  readScheduledActionsStatement,
} from './enrolled-groups-policy';
import { readKillSwitch } from './kill-switch-policy';
import { loadHistoryStatements } from './load-history-policy';
import { PrescaleFunction } from './prescale-function';
import { prewarmReleaseStatement } from './prewarm-release-policy';
import { ScheduledFunction } from './scheduled-function';

export interface ScalingLoopProps {
  /** The validated user configuration. */
  readonly config: UserConfig;
  readonly stateTable: dynamodb.ITableV2;
  /** Prescale's group for its recurring schedules. */
  readonly scheduleGroup: scheduler.IScheduleGroup;
  /** Worker invocations at once; keeps Auto Scaling and CloudWatch calls under their rate limits. @default 5 */
  readonly maxConcurrency?: number;
}

const {
  batchSize: WORK_BATCH_SIZE,
  batchingWindowSeconds: WORK_BATCHING_WINDOW_SECONDS,
  maxReceiveCount: WORK_MAX_RECEIVE_COUNT,
} = GROUP_WORK_DELIVERY;

/** How long a work item may wait for its first delivery (a backlog) and still reach the dead-letter queue. */
const WORK_BACKLOG_ALLOWANCE_SECONDS = 3600;

/**
 * Lambda environment variables hold at most 4 KB in all; leave room for the others. Counted as
 * deployed: each name CloudFormation fills in (a construct group's) at its longest.
 */
export const MAX_CONFIG_BYTES = 3000;

/**
 * The predictive scaling loop: a schedule starts the dispatcher, which queues one message per
 * enrolled group; workers take batches of up to 10 groups, load their histories in one
 * GetMetricData call, forecast, plan and apply. A message whose run fails is not retried (the
 * next tick supersedes it): it lands in a dead-letter queue with an alarm.
 */
export class ScalingLoop extends Construct {
  readonly dispatcher: PrescaleFunction;
  readonly worker: PrescaleFunction;
  readonly workQueue: sqs.Queue;
  readonly workDeadLetterQueue: sqs.Queue;
  readonly schedule: ScheduledFunction;
  readonly killSwitch: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: ScalingLoopProps) {
    super(scope, id);
    const { maxConcurrency, configJson } = checkedLoopProps(this, id, props);
    // CloudFormation owns the value: a deploy that updates or replaces this parameter writes
    // "running" over a switch an operator set to "paused" (docs/OPERATIONS.md, "The kill switch
    // across a deploy"; test/infra/prescale-stack.test.ts pins its properties).
    this.killSwitch = new ssm.StringParameter(this, 'KillSwitch', {
      description:
        'Any value but "running" (e.g. "paused") stops Prescale changing any group; "running" resumes.',
      stringValue: 'running',
    });
    const workerTimeout = Duration.seconds(workerTimeoutSeconds(props.config.scheduleRateMinutes));
    this.workDeadLetterQueue = deadLetterQueue(
      this,
      'WorkDeadLetters',
      'This queue is the dead-letter queue of the work queue.',
    );
    this.workQueue = this.createWorkQueue(id, workerTimeout, props.config.scheduleRateMinutes * 60);

    const common = {
      [ENV.config]: configJson,
      [ENV.stateTableName]: props.stateTable.tableName,
    };
    this.dispatcher = new PrescaleFunction(this, 'Dispatcher', {
      entry: 'functions/dispatch-scaling-run/handler.ts',
      description: 'Prescale: queues one scaling run per enrolled group; gives back groups taken out',
      environment: {
        ...common,
        [ENV.groupQueueUrl]: this.workQueue.queueUrl,
        [ENV.killSwitchParameterName]: this.killSwitch.parameterName,
      },
      timeout: Duration.seconds(DISPATCHER_TIMEOUT_SECONDS),
    });
    this.workQueue.grantSendMessages(this.dispatcher.function);
    this.worker = new PrescaleFunction(this, 'Worker', {
      entry: 'functions/scale-groups/handler.ts',
      description: 'Prescale: forecasts, plans and applies capacity for a batch of groups',
      environment: { ...common, [ENV.killSwitchParameterName]: this.killSwitch.parameterName },
      timeout: workerTimeout,
      memorySize: WORKER_MEMORY_MB,
    });
    this.worker.function.addEventSource(
      new SqsEventSource(this.workQueue, {
        batchSize: WORK_BATCH_SIZE,
        maxBatchingWindow: Duration.seconds(WORK_BATCHING_WINDOW_SECONDS),
        maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    this.grantFunctions(props);

    Validations.of(this.workQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'False positive: the work queue has a dead-letter queue (maxReceiveCount 1).',
    });
    this.schedule = new ScheduledFunction(this, 'Schedule', {
      function: this.dispatcher.function,
      scheduleGroup: props.scheduleGroup,
      rate: Duration.minutes(props.config.scheduleRateMinutes),
      input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
      description: 'Prescale scaling loop tick',
    });
  }

  private createWorkQueue(id: string, workerTimeout: Duration, intervalSeconds: number): sqs.Queue {
    // A tick's work is worthless once the next tick has started (it plans from fresher history),
    // so a failed message is never retried: after one delivery it goes to the dead-letter queue,
    // whose alarm makes the failure visible, and the next tick runs the group again. For that the
    // message must outlive its visibility timeout, or it would expire unseen. The timeout is the
    // worker's plus the batching window and a margin (Lambda requires at least the function's
    // timeout). AWS suggests 6× so that Lambda can keep retrying a throttled invocation while the
    // message stays hidden; here a batch throttled past this timeout is received again and goes to
    // the dead-letter queue (a run that was late, not failed: its log line says which), the price
    // of a failed run's message leaving the queue within minutes. Expiry counts from when the
    // message was first sent (SQS's dead-letter queue guide), so retention also covers a backlog:
    // an item first received up to an hour (or an interval) late still reaches the dead-letter
    // queue if its run fails; a stale one is refused by the run claim, not by expiry.
    const visibilitySeconds = workerTimeout.toSeconds() + WORK_BATCHING_WINDOW_SECONDS + 30;
    const retentionSeconds = visibilitySeconds + Math.max(intervalSeconds, WORK_BACKLOG_ALLOWANCE_SECONDS);
    if (retentionSeconds <= visibilitySeconds * WORK_MAX_RECEIVE_COUNT) {
      throw new Error(
        `ScalingLoop ${id}: the work queue keeps messages ${retentionSeconds} s, not longer than ${WORK_MAX_RECEIVE_COUNT} × its ${visibilitySeconds} s visibility timeout; failed work would expire before reaching the dead-letter queue`,
      );
    }
    return new sqs.Queue(this, 'WorkQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(visibilitySeconds),
      retentionPeriod: Duration.seconds(retentionSeconds),
      deadLetterQueue: { queue: this.workDeadLetterQueue, maxReceiveCount: WORK_MAX_RECEIVE_COUNT },
    });
  }

  private grantFunctions(props: ScalingLoopProps): void {
    // The item calls the worker makes (claims, run records with the state in one batch write,
    // learned state, locks it reads); grantReadWriteData would add scans and stream reads.
    props.stateTable.grant(
      this.worker.function,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );
    this.worker.function.addToRolePolicy(readKillSwitch(this.killSwitch));
    // The dispatcher lists the enrolled groups (AutoScalingScalingTarget.findGroupNames); the
    // worker describes them (describeGroups) and reads launch times (recentLaunches). A group
    // taken out is given back only once no instance refresh of its owner's runs on it.
    // Auto Scaling Describe* actions support no resource-level permissions: they need "*".
    this.dispatcher.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeGroups',
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeScheduledActions',
          'autoscaling:DescribeInstanceRefreshes',
        ],
        resources: ['*'],
      }),
    );
    // It gives back the groups this deployment owns once they are no longer enrolled
    // (docs/OPERATIONS.md, "Take one group out of Prescale"); under the kill switch or in a
    // dry run it only deletes their look-ahead.
    for (const statement of giveBackStatements(this, this.dispatcher.role))
      this.dispatcher.function.addToRolePolicy(statement);
    this.dispatcher.function.addToRolePolicy(readKillSwitch(this.killSwitch));
    this.grantWorkerGroups(props);
    // The dispatcher reads each group's last run time to report silent groups (StaleGroups); and a
    // group taken out's state, lock and (Query) campaign releases left to its loop.
    props.stateTable.grant(this.dispatcher.function, 'dynamodb:GetItem', 'dynamodb:Query');
    // A group taken out gives back its unreleased campaign pre-warms, and marks them released.
    this.dispatcher.function.addToRolePolicy(prewarmReleaseStatement(props.stateTable));
    for (const statement of loadHistoryStatements(this, props.config)) {
      this.worker.function.addToRolePolicy(statement);
    }
    if (props.config.dependencies.xray?.enabled) {
      this.worker.function.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'DiscoverDependencies',
          // GetServiceGraph supports no resource-level permissions.
          actions: ['xray:GetServiceGraph'],
          resources: ['*'],
        }),
      );
    }
  }

  /** What the worker reads of every group and changes on enrolled groups only. */
  private grantWorkerGroups(props: ScalingLoopProps): void {
    this.worker.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeGroups',
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribePolicies',
          'autoscaling:DescribeInstanceRefreshes',
          'autoscaling:DescribeScalingActivities',
          // The warm pool's drawable instances, which the runs plan warm starts on.
          'autoscaling:DescribeWarmPool',
        ],
        resources: ['*'],
      }),
    );
    for (const statement of enrolledGroupsStatements(this, props.config.groups, [
      'autoscaling:UpdateAutoScalingGroup',
      'autoscaling:PutWarmPool',
      // The fail-static look-ahead (docs/OPERATIONS.md); both support resource-level permissions.
      'autoscaling:BatchPutScheduledUpdateGroupAction',
      'autoscaling:BatchDeleteScheduledAction',
    ])) {
      this.worker.function.addToRolePolicy(statement);
    }
    // Ownership (docs/OPERATIONS.md, "Two deployments, one group").
    for (const statement of ownGroupsStatements(this, props.config.groups)) {
      this.worker.function.addToRolePolicy(statement);
    }
    this.worker.function.addToRolePolicy(readScheduledActionsStatement());
    acknowledgeEnrolledGroupWildcards(this.worker.role, props.config.groups);
  }
}

/** The loop's settings checked at synth, with the configuration as the functions receive it. */
function checkedLoopProps(
  scope: Construct,
  id: string,
  props: ScalingLoopProps,
): { maxConcurrency: number; configJson: string } {
  const maxConcurrency = props.maxConcurrency ?? 5;
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
    throw new Error(
      `ScalingLoop ${id}: maxConcurrency must be 2–1000 (an SQS event source limit), got ${maxConcurrency}`,
    );
  }
  const byName = byNameGroupsProblem(props.config.groups.names);
  if (byName) throw new Error(`ScalingLoop ${id}: ${byName}`);
  const configJson = configEnvironment(props.config);
  const bytesOf = deployedSizer(scope);
  const bytes = bytesOf(configJson);
  if (bytes > MAX_CONFIG_BYTES)
    throw new Error(`ScalingLoop ${id}: ${configTooLarge(configJson, bytes, bytesOf)}`);
  return { maxConcurrency, configJson };
}

/** What to do about a configuration part that takes much of `PRESCALE_CONFIG`. */
const SHRINK_HINTS: Readonly<Record<string, string>> = {
  'groups.names':
    'enrol groups by tag (groups.tag enrols any number), or give construct groups an explicit autoScalingGroupName, counted at its length',
  groupOverrides:
    'move the values the groups share into defaults, or set those a tag can hold as prescale: tags on the groups (prescale:target-load-per-instance, prescale:floor, prescale:mode, …: docs/configuration.md)',
  'rollingUpdate.alarmNames': 'name fewer or shorter alarms (a rolling-update request may name its own)',
  'launchPermissions.launchTemplateIds':
    'tag the launch templates with the enrolment tag instead of listing them',
  'launchPermissions.instanceRoleNames':
    'create the instance roles under one IAM path and set launchPermissions.instanceRolePathPrefix instead of listing them',
};

/** The error for a configuration over `MAX_CONFIG_BYTES`: its three largest parts, and what to do about them. */
function configTooLarge(configJson: string, bytes: number, bytesOf: (json: string) => number): string {
  const largest = configParts(configJson, bytesOf).slice(0, 3);
  const hints = largest.flatMap((p) => (SHRINK_HINTS[p.path] ? [`${p.path}: ${SHRINK_HINTS[p.path]}`] : []));
  return `the configuration is up to ${bytes} bytes as JSON once deployed (without the values equal to their defaults; each name CloudFormation generates counted at its longest: a construct group's at 255 bytes, its instance role's at 64 after its path; a launch template id at 20); at most ${MAX_CONFIG_BYTES} fit in Lambda environment variables. The largest parts: ${largest.map((p) => `${p.path} ${p.bytes} bytes`).join(', ')}.${hints.length > 0 ? ` To shrink them: ${hints.join('; ')}.` : ''}`;
}
