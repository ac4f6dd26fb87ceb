import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as eventschemas from 'aws-cdk-lib/aws-eventschemas';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import {
  CAMPAIGN_DETAIL_TYPES,
  CAMPAIGN_ENV,
  CAMPAIGN_EVENT_SOURCE,
  type CampaignEventType,
} from '../../shared/contracts/campaign-events';
import { campaignEventJsonSchema } from '../../shared/contracts/campaign-events-json-schema';
import { ENV } from '../../shared/contracts/env';
import type { UserConfig } from '../../shared/contracts/user-config';
import { configEnvironment } from './config-environment';
import { deadLetterQueue, newDeadLettersMetric } from './dead-letter-queue';
import {
  acknowledgeEnrolledGroupWildcards,
  enrolledGroupsStatements,
  ownGroupsStatements,
  readScheduledActionsStatement,
} from './enrolled-groups-policy';
import { readKillSwitch } from './kill-switch-policy';
import { loadHistoryStatements } from './load-history-policy';
import { nagArn } from './nag-arn';
import { PrescaleFunction } from './prescale-function';

export interface CampaignsProps {
  /** The validated user configuration. */
  readonly config: UserConfig;
  readonly stateTable: dynamodb.ITableV2;
  /** Prescale's bus; the rule matches source `prescale` and the three campaign detail-types on it. */
  readonly eventBus: events.IEventBus;
  /** Notified when a campaign event is rejected (the dead-letter queue alarm). */
  readonly topic: sns.ITopic;
  /** The loop's kill switch; the pre-warm respects it like the loop does. */
  readonly killSwitch: ssm.IStringParameter;
  /** Delivery attempts of the rule to the receiver before the event goes to the DLQ. @default 4 */
  readonly retryAttempts?: number;
}

/**
 * Scheduled campaigns: a rule on Prescale's bus sends `Campaign Scheduled/Updated/Cancelled` to
 * the receiver, which validates, stores and schedules; one-time EventBridge Scheduler schedules
 * in a group of their own invoke the pre-warm before the start and the release at the end. Every
 * event that cannot be applied — invalid (sent by the receiver with its reason), undeliverable,
 * or failing after retries — lands in one dead-letter queue whose alarm notifies the topic. The
 * events' JSON Schemas are registered in an EventBridge schema registry, unless
 * `campaigns.schemaRegistry` is false.
 */
export class Campaigns extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly receiver: PrescaleFunction;
  readonly prewarm: PrescaleFunction;
  readonly rule: events.Rule;
  readonly scheduleGroup: scheduler.ScheduleGroup;
  readonly schedulerRole: iam.Role;
  /** Absent with `campaigns.schemaRegistry: false`. */
  readonly schemaRegistry?: eventschemas.CfnRegistry;
  readonly schemas: readonly eventschemas.CfnSchema[];
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: CampaignsProps) {
    super(scope, id);
    const retryAttempts = props.retryAttempts ?? 4;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 185) {
      throw new Error(`Campaigns ${id}: retryAttempts must be 0–185, got ${retryAttempts}`);
    }
    this.deadLetterQueue = deadLetterQueue(
      this,
      'RejectedEvents',
      'This queue is itself the dead-letter queue of campaign events and campaign schedules.',
    );
    // Deleted with the stack, with the campaigns' one-time schedules in it (DeleteScheduleGroup
    // deletes a group's schedules): CDK's default, retain, would leave them firing at a deleted
    // function, and keep the name a new stack of the same name must create.
    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', {
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const common = {
      [ENV.config]: configEnvironment(props.config),
      [ENV.stateTableName]: props.stateTable.tableName,
    };
    this.prewarm = new PrescaleFunction(this, 'Prewarm', {
      entry: 'functions/prewarm-campaign/handler.ts',
      description: 'Prescale: raises capacity before a campaign and releases it after',
      environment: { ...common, [ENV.killSwitchParameterName]: props.killSwitch.parameterName },
      timeout: Duration.minutes(5),
      memorySize: 1024,
    });
    this.schedulerRole = this.createSchedulerRole();
    this.receiver = new PrescaleFunction(this, 'Receiver', {
      entry: 'functions/receive-campaign-event/handler.ts',
      description: 'Prescale: validates, stores and schedules campaign events',
      environment: {
        ...common,
        [ENV.schedulerGroupName]: this.scheduleGroup.scheduleGroupName,
        [ENV.schedulerRoleArn]: this.schedulerRole.roleArn,
        [ENV.prewarmFunctionArn]: this.prewarm.function.functionArn,
        [CAMPAIGN_ENV.deadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
        [CAMPAIGN_ENV.deadLetterQueueArn]: this.deadLetterQueue.queueArn,
      },
      timeout: Duration.seconds(60),
      // Anyone who may put events on the bus may flood it: a reservation bounds the Auto Scaling,
      // Scheduler and DynamoDB calls a flood makes beside the loop's, and what Lambda throttles
      // waits in its async queue (6 hours), then goes to the DLQ, alarmed. Opt-in, since a
      // reservation needs 100 of the account's concurrency left unreserved.
      ...(props.config.campaigns.receiverReservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.config.campaigns.receiverReservedConcurrency }),
    });
    this.grantFunctions(props);

    this.rule = this.createRule(props.eventBus, retryAttempts);
    this.deadLetterAlarm = this.createDeadLetterAlarm(props.topic);
    // A convenience the functions never read, and a resource type some Regions lack (there
    // CloudFormation refuses the whole template): left out with `campaigns.schemaRegistry: false`.
    if (props.config.campaigns.schemaRegistry) {
      this.schemaRegistry = new eventschemas.CfnRegistry(this, 'SchemaRegistry', {
        description: 'Prescale campaign events (source "prescale"); see docs/campaigns.md',
      });
    }
    this.schemas = this.schemaRegistry ? this.registerSchemas(this.schemaRegistry) : [];
  }

  /** The three events' JSON Schemas, as in docs/campaign-events.schema.json, in `registry`. */
  private registerSchemas(registry: eventschemas.CfnRegistry): eventschemas.CfnSchema[] {
    return (Object.keys(CAMPAIGN_DETAIL_TYPES) as CampaignEventType[]).map(
      (type) =>
        new eventschemas.CfnSchema(this, `Schema ${CAMPAIGN_DETAIL_TYPES[type]}`, {
          registryName: registry.attrRegistryName,
          schemaName: `prescale@${CAMPAIGN_DETAIL_TYPES[type].replace(/ /g, '')}`,
          type: 'JSONSchemaDraft4',
          description: `Prescale "${CAMPAIGN_DETAIL_TYPES[type]}" event`,
          content: JSON.stringify(campaignEventJsonSchema(type)),
        }),
    );
  }

  /** Campaign events on Prescale's bus to the receiver; undeliverable ones go to the DLQ. */
  private createRule(eventBus: events.IEventBus, retryAttempts: number): events.Rule {
    return new events.Rule(this, 'Campaign events', {
      description: 'Prescale campaign events to the campaign receiver',
      eventBus,
      eventPattern: {
        source: [CAMPAIGN_EVENT_SOURCE],
        detailType: Object.values(CAMPAIGN_DETAIL_TYPES),
      },
      targets: [
        new eventsTargets.LambdaFunction(this.receiver.function, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts,
          // A campaign event is still worth applying hours late (the campaign may be days away).
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }

  /** The schedules' role, which only invokes the pre-warm and sends failures to the DLQ. */
  private createSchedulerRole(): iam.Role {
    const role = new iam.Role(this, 'SchedulerRole', {
      // Only this account's schedules in Prescale's campaign group may assume it (confused deputy).
      // Scheduler assumes it for the group, never for a schedule (see ScheduledFunction).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': [this.scheduleGroup.scheduleGroupArn, this.campaignScheduleArns()] },
        },
      }),
      description: 'Prescale campaign schedules: invoke the pre-warm function',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokePrewarm',
        actions: ['lambda:InvokeFunction'],
        resources: [this.prewarm.function.functionArn],
      }),
    );
    this.deadLetterQueue.grantSendMessages(role);
    return role;
  }

  /** Every schedule of Prescale's campaign schedule group (their names are not known at deploy time). */
  private campaignScheduleArns(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroup.scheduleGroupName}/*`,
    });
  }

  private grantFunctions(props: CampaignsProps): void {
    // Only the item calls each makes: the receiver stores and indexes campaigns, the pre-warm
    // reads them with the group's history and records its runs (no scans, no stream reads).
    props.stateTable.grant(
      this.receiver.function,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem',
    );
    props.stateTable.grant(
      this.prewarm.function,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    );
    for (const fn of [this.receiver, this.prewarm]) {
      // Invocations that still fail after Lambda's own retries keep their payload in the DLQ.
      fn.function.configureAsyncInvoke({
        retryAttempts: 2,
        onFailure: new lambdaDestinations.SqsDestination(this.deadLetterQueue),
      });
      fn.function.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'DescribeGroups',
          // Auto Scaling Describe* actions support no resource-level permissions.
          actions: [
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribePolicies',
            'autoscaling:DescribeInstanceRefreshes',
          ],
          resources: ['*'],
        }),
      );
    }
    this.grantReceiverScheduling();
    this.grantPrewarmScaling(props);
  }

  /** The receiver rejects to the DLQ and manages the campaign schedules, passing them their role. */
  private grantReceiverScheduling(): void {
    this.deadLetterQueue.grantSendMessages(this.receiver.function);
    this.receiver.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ManageCampaignSchedules',
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        resources: [this.campaignScheduleArns()],
      }),
    );
    this.receiver.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PassSchedulerRole',
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    // cdk-nag prints unresolved pseudo parameters as <AWS::Name>; the group's name is fixed at synth.
    Validations.of(this.receiver.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(this, 'scheduler', `schedule/${this.scheduleGroup.scheduleGroupName}/*`)}]`,
      reason:
        "Create/Update/DeleteSchedule on the schedules of Prescale's own campaign schedule group only; their names (<campaignId>.<action>) are not known at deploy time.",
    });
  }

  /** The pre-warm raises enrolled groups only, honours the kill switch and reads load history. */
  private grantPrewarmScaling(props: CampaignsProps): void {
    for (const statement of enrolledGroupsStatements(this, props.config.groups, [
      'autoscaling:UpdateAutoScalingGroup',
    ])) {
      this.prewarm.function.addToRolePolicy(statement);
    }
    // A pre-warm takes an unowned group before raising it, as the loop does.
    for (const statement of ownGroupsStatements(this, props.config.groups)) {
      this.prewarm.function.addToRolePolicy(statement);
    }
    // A release lowers no further than the MinSize the group's own recurring actions set.
    this.prewarm.function.addToRolePolicy(readScheduledActionsStatement());
    acknowledgeEnrolledGroupWildcards(this.prewarm.role, props.config.groups);
    this.prewarm.function.addToRolePolicy(readKillSwitch(props.killSwitch));
    for (const statement of loadHistoryStatements(this, props.config)) {
      this.prewarm.function.addToRolePolicy(statement);
    }
  }

  private createDeadLetterAlarm(topic: sns.ITopic): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, 'Rejected campaign events', {
      alarmDescription:
        'A campaign event was rejected or could not be applied: read the message (its body has the reason) in the campaign dead-letter queue.',
      metric: newDeadLettersMetric(this.deadLetterQueue),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    return alarm;
  }
}
