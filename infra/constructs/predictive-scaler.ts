import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { UserConfig, UserConfigInput } from '../../shared/contracts/user-config';
import { Campaigns } from './campaigns';
import {
  constructGroupFacts,
  parseWithConstructGroups,
  refuseGroupsOfAnotherEnvironment,
} from './construct-groups';
import { InstanceTypeSelector } from './instance-type-selector';
import { LookAheadCleanup } from './look-ahead-cleanup';
import { Notifications } from './notifications';
import { OperationsDashboard } from './operations-dashboard';
import { PrescaleEventBus } from './prescale-event-bus';
import { RollingUpdateWorkflow } from './rolling-update-workflow';
import { ScalingLoop } from './scaling-loop';
import { StateTable } from './state-table';
import { parseWithTokenSenders } from './token-senders';
import { UpdatePlanWorkflow } from './update-plan-workflow';

export interface PredictiveScalerProps {
  /** Prescale's configuration (docs/configuration.md). Validated here: a bad value fails synth with its path. */
  readonly config: UserConfigInput;
  /**
   * Groups defined in the same CDK app, enrolled by name in addition to `config.groups`; their
   * launch templates and instance roles are added to `config.launchPermissions`. A group may be of
   * another stack of the app (in the scaler's account and region: synth fails for a group of
   * another, which Prescale would never find), or imported by a name that is a token
   * (`AutoScalingGroup.fromAutoScalingGroupName(this, 'Web', Fn.importValue('WebAsgName'))`).
   * cdk-nag's IAM5 finding on each group's by-name ARN (its id a wildcard) is acknowledged by the
   * ID cdk-nag reports once synth has resolved the name (an import of the other stack's export,
   * `<AWS::StackName>-web`…), from a validation of each role: synthesized with `skipValidation`,
   * the finding stays; acknowledge it with the ID cdk-nag prints,
   * `Validations.of(scaler).acknowledge({ id: 'AwsSolutions-IAM5[Resource::…]', reason })`.
   * @default []
   */
  readonly groups?: readonly autoscaling.IAutoScalingGroup[];
  /** Where the configuration came from, for error messages. @default 'PredictiveScaler <construct path> config' */
  readonly configSource?: string;
  /** @default RemovalPolicy.RETAIN for the state table */
  readonly stateRemovalPolicy?: RemovalPolicy;
}

/**
 * Prescale in one construct: drop it into a CDK app beside Auto Scaling groups
 * (`new PredictiveScaler(this, 'Scaler', { groups: [asg], config: { ... } })`).
 */
export class PredictiveScaler extends Construct {
  readonly config: UserConfig;
  readonly stateTable: StateTable;
  readonly scalingLoop: ScalingLoop;
  /** Deletes the `prescale-` scheduled actions of enrolled groups at stack deletion. */
  readonly lookAheadCleanup: LookAheadCleanup;
  readonly eventBus: PrescaleEventBus;
  readonly notifications: Notifications;
  readonly operations: OperationsDashboard;
  readonly instanceTypeSelector: InstanceTypeSelector;
  readonly rollingUpdates: RollingUpdateWorkflow;
  readonly updatePlans: UpdatePlanWorkflow;
  readonly campaigns: Campaigns;
  /**
   * The group of Prescale's recurring schedules (the scaling loop, instance-type selection, the
   * maintenance scan), named after the stack: its Scheduler metrics count only this deployment's.
   */
  readonly recurringSchedules: scheduler.ScheduleGroup;

  constructor(scope: Construct, id: string, props: PredictiveScalerProps) {
    super(scope, id);
    refuseSecondScalerInStack(this);
    refuseGroupsOfAnotherEnvironment(this, props.groups ?? []);
    this.config = resolvedConfig(this, props);

    this.stateTable = new StateTable(this, 'State', {
      ...(props.stateRemovalPolicy ? { removalPolicy: props.stateRemovalPolicy } : {}),
    });
    this.eventBus = new PrescaleEventBus(this, 'Events', {
      ...(this.config.eventSenders ? { senders: this.config.eventSenders } : {}),
    });
    this.notifications = new Notifications(this, 'Notifications', {
      ...(this.config.notifications.email ? { email: this.config.notifications.email } : {}),
    });
    // CDK names the group from the stack name and construct path (at most 64 characters), so two
    // deployments in one account and region get two groups. CDK retains a schedule group by
    // default: a destroyed stack would leave it, and a new one of the same name could not create it.
    this.recurringSchedules = new scheduler.ScheduleGroup(this, 'RecurringSchedules', {
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.scalingLoop = new ScalingLoop(this, 'ScalingLoop', {
      config: this.config,
      stateTable: this.stateTable.table,
      scheduleGroup: this.recurringSchedules,
    });
    this.lookAheadCleanup = this.createLookAheadCleanup();
    // Rolling updates (docs/rolling-updates.md): a Step Functions workflow started from the console,
    // the CLI or a `Rolling Update Requested` event on the bus; one per group, under the group lock.
    this.rollingUpdates = new RollingUpdateWorkflow(this, 'RollingUpdates', {
      config: this.config,
      stateTable: this.stateTable.table,
      eventBus: this.eventBus.bus,
      topic: this.notifications.topic,
      topicKey: this.notifications.key,
      killSwitch: this.scalingLoop.killSwitch,
      scheduleGroup: this.recurringSchedules,
    });
    // Update plans (docs/rolling-updates.md): several dependent groups, slot by slot, as child
    // rolling updates; undone together when one fails or the plan is cancelled.
    this.updatePlans = new UpdatePlanWorkflow(this, 'UpdatePlans', {
      config: this.config,
      stateTable: this.stateTable.table,
      rollingUpdateStateMachine: this.rollingUpdates.stateMachine,
      eventBus: this.eventBus.bus,
      topic: this.notifications.topic,
      topicKey: this.notifications.key,
    });
    // Cheapest instance types (docs/pricing.md); single-type changes roll out through the workflow.
    this.instanceTypeSelector = new InstanceTypeSelector(this, 'InstanceTypes', {
      stateTable: this.stateTable.table,
      config: this.config,
      rollingUpdateStateMachineArn: this.rollingUpdates.stateMachine.stateMachineArn,
      killSwitch: this.scalingLoop.killSwitch,
      scheduleGroup: this.recurringSchedules,
    });
    // Campaigns (docs/campaigns.md): events on the bus → receiver → pre-warm/release schedules.
    this.campaigns = new Campaigns(this, 'Campaigns', {
      config: this.config,
      stateTable: this.stateTable.table,
      eventBus: this.eventBus.bus,
      topic: this.notifications.topic,
      killSwitch: this.scalingLoop.killSwitch,
    });

    this.stopActorsBeforeCleanup();
    this.operations = this.createOperations();
  }

  /** Fail-static look-ahead (docs/OPERATIONS.md): removed at stack deletion, after the loop stops. */
  private createLookAheadCleanup(): LookAheadCleanup {
    return new LookAheadCleanup(this, 'LookAheadCleanup', {
      config: this.config,
      stateTable: this.stateTable.table,
    });
  }

  /**
   * Every actor that changes groups (the loop, the campaigns' pre-warms with their pending one-time
   * schedules, receiver and rule, rolling updates and update plans with their requests, the
   * instance-type selection, the maintenance scan, and the recurring schedule group) depends on the
   * cleanup resource: CloudFormation deletes a resource before the ones it depends on, so all are
   * gone before the remover gives the groups back, and none re-tags or raises one after it. Whole
   * constructs, so an actor added to one later is covered too. A schedule group being deleted may
   * still invoke its targets (DeleteScheduleGroup), so the targets go first as well. Deleting a
   * function stops no invocation under way, though: the remover waits out a worker run still
   * holding a group's claim before giving it back (`waitForScalingRuns`).
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html
   */
  private stopActorsBeforeCleanup(): void {
    const actors: Construct[] = [
      this.scalingLoop.dispatcher,
      this.scalingLoop.worker,
      this.scalingLoop.schedule,
      this.recurringSchedules,
      this.campaigns,
      this.rollingUpdates,
      this.updatePlans,
      this.instanceTypeSelector,
    ];
    for (const actor of actors) actor.node.addDependency(this.lookAheadCleanup.resource);
  }

  /** The dashboard and alarms over every function, state machine and dead-letter queue above. */
  private createOperations(): OperationsDashboard {
    const operations = new OperationsDashboard(this, 'Operations', {
      workerLogGroup: this.scalingLoop.worker.logGroup,
      functions: [
        this.scalingLoop.dispatcher,
        this.scalingLoop.worker,
        this.instanceTypeSelector.function,
        this.campaigns.receiver,
        this.campaigns.prewarm,
        this.rollingUpdates.requester,
        ...Object.values(this.rollingUpdates.functions),
        this.updatePlans.requester,
        this.updatePlans.canceller,
        ...Object.values(this.updatePlans.functions),
        // The daily scan starts refreshes for retiring instances: its failures must not be silent.
        ...(this.rollingUpdates.maintenanceScan ? [this.rollingUpdates.maintenanceScan] : []),
      ].map((f) => f.function),
      topic: this.notifications.topic,
      scheduleRateMinutes: this.config.scheduleRateMinutes,
      groupMetrics: this.config.groupMetrics,
    });
    operations.addStateMachine('RollingUpdate', this.rollingUpdates.stateMachine);
    operations.addStateMachine('UpdatePlan', this.updatePlans.stateMachine);
    operations.addDeadLetterQueue('ScalingWork', this.scalingLoop.workDeadLetterQueue, 'redrive');
    operations.addDeadLetterQueue('ScalingSchedule', this.scalingLoop.schedule.deadLetterQueue);
    operations.addDeadLetterQueue(
      'InstanceTypesSchedule',
      this.instanceTypeSelector.schedule.deadLetterQueue,
    );
    // A group's failed selection is counted, not thrown: no dead letter reports it.
    operations.addInstanceTypeFailures(this.instanceTypeSelector.schedule.rate);
    // A refused Pricing API fails no group: every run falls back on prices that apply nothing.
    // Only when prices are applied: fallback prices still recommend, so a deployment that only
    // recommends (its Pricing API perhaps blocked on purpose) would be paged over nothing it uses.
    if (this.config.pricing.apply)
      operations.addInstanceTypePricesFallback(this.instanceTypeSelector.schedule.rate);
    // A daily schedule disabled or unable to invoke leaves no error, dead letter or count behind.
    operations.addScheduleHeartbeat('InstanceTypes', this.instanceTypeSelector.schedule);
    operations.addDeadLetterQueue('RollingUpdateRequests', this.rollingUpdates.requestDeadLetterQueue);
    operations.addDeadLetterQueue('UpdatePlanRequests', this.updatePlans.requestDeadLetterQueue);
    // Events on the bus no rule takes (a misspelt source or detail-type), kept with the reason.
    operations.addDeadLetterQueue('UnmatchedEvents', this.eventBus.unmatchedEvents);
    operations.addDeadLetterQueue('UndeliveredUnmatchedEvents', this.eventBus.undeliveredUnmatchedEvents);
    // Its alarm (Rejected campaign events) is the campaign construct's.
    operations.chartDeadLetterQueue('CampaignEvents', this.campaigns.deadLetterQueue);
    if (this.rollingUpdates.maintenanceScan) {
      operations.addDeadLetterQueue(
        'MaintenanceSchedule',
        this.rollingUpdates.maintenanceScan.deadLetterQueue,
      );
      // Groups the scan skipped with events pending: the scan succeeds, so only this count tells.
      operations.addMaintenanceUnserved(this.rollingUpdates.maintenanceScan.rate);
      operations.addScheduleHeartbeat('Maintenance', this.rollingUpdates.maintenanceScan);
    }
    this.watchDeadLetterDelivery(operations);
    return operations;
  }

  /**
   * What no dead-letter alarm hears of: an event or a scheduled invocation EventBridge could not
   * even put into its dead-letter queue. Every rule on the bus, the rule on the default bus for
   * Prescale events sent there, and every schedule group Prescale uses (its own two: recurring
   * and campaign schedules) sends its failures to one.
   */
  private watchDeadLetterDelivery(operations: OperationsDashboard): void {
    const bus = this.eventBus.bus;
    operations.addRuleDeadLetterDelivery('UnmatchedEvents', this.eventBus.unmatchedRule, bus);
    operations.addRuleDeadLetterDelivery('DefaultBusEvents', this.eventBus.defaultBusRule, 'default');
    operations.addRuleDeadLetterDelivery('CampaignEvents', this.campaigns.rule, bus);
    operations.addRuleDeadLetterDelivery('RollingUpdateRequests', this.rollingUpdates.requestRule, bus);
    operations.addRuleDeadLetterDelivery('UpdatePlanRequests', this.updatePlans.requestRules.request, bus);
    operations.addRuleDeadLetterDelivery('UpdatePlanCancels', this.updatePlans.requestRules.cancel, bus);
    operations.addScheduleGroupDeadLetterDelivery(
      'CampaignSchedules',
      this.campaigns.scheduleGroup,
      "Prescale's campaign pre-warm and release schedules",
    );
    operations.addScheduleGroupDeadLetterDelivery(
      'RecurringSchedules',
      this.recurringSchedules,
      "Prescale's scaling loop, instance-type and maintenance schedules",
    );
  }
}

/**
 * A deployment is known by its stack's name: the `prescale:deployment` tag its runs write on the
 * groups they manage, the IAM conditions on that tag, the `deployment` dimension of its fleet
 * metrics and alarms. A second scaler in the stack would share all of them: each would take the
 * other's groups for its own, and one whose config does not enrol them would give them back.
 * @throws Error naming both construct paths, when the stack already holds a PredictiveScaler.
 */
function refuseSecondScalerInStack(scaler: PredictiveScaler): void {
  const stack = Stack.of(scaler);
  const other = stack.node
    .findAll()
    .find((c) => c !== scaler && c instanceof PredictiveScaler && Stack.of(c) === stack);
  if (other === undefined) return;
  throw new Error(
    `PredictiveScaler ${scaler.node.path}: stack ${stack.stackName} already holds a PredictiveScaler (${other.node.path}). A Prescale deployment is known by its stack's name (the prescale:deployment tag on the groups it manages, its IAM conditions, the deployment dimension of its metrics), so two in one stack would take each other's groups for their own and give back the groups the other enrols. Put each PredictiveScaler in a stack of its own, or enrol all the groups in one.`,
  );
}

/**
 * The configuration, validated (a bad value fails synth with its path), with the app's own groups
 * enrolled: their names are tokens until deploy; their launch templates and instance roles are
 * known, so rolling updates may launch from them. Event senders may be tokens too (`role.roleArn`).
 */
function resolvedConfig(scaler: PredictiveScaler, props: PredictiveScalerProps): UserConfig {
  const facts = constructGroupFacts(props.groups ?? []);
  const source = props.configSource ?? `PredictiveScaler ${scaler.node.path} config`;
  return parseWithTokenSenders(props.config, (config) => parseWithConstructGroups(config, facts, source));
}
