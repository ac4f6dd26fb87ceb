import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../shared/contracts/env';
import type { UserConfig } from '../../shared/contracts/user-config';
import { configEnvironment } from './config-environment';
import type { PrescaleFunction } from './prescale-function';
import { decisionFunctions } from './rolling-update/decision-functions';
import { maintenanceScan } from './rolling-update/maintenance-scan';
import { requestRule } from './rolling-update/request-rule';
import { workflowDefinition } from './rolling-update/workflow-definition';
import { workflowStateMachine } from './rolling-update/workflow-state-machine';
import type { ScheduledFunction } from './scheduled-function';

export { AUTO_SCALING_TRANSIENT } from './rolling-update/workflow-tasks';

export interface RollingUpdateWorkflowProps {
  /** The validated user configuration (`groups` scopes permissions; `rollingUpdate` sets defaults). */
  readonly config: UserConfig;
  /** Prescale's state table: the group LOCK item, rollout records, the loop's run records. */
  readonly stateTable: dynamodb.ITableV2;
  /** Prescale's bus; a rule starts the workflow on `Rolling Update Requested` (source `prescale`). */
  readonly eventBus: events.IEventBus;
  /** Where rollbacks are announced. */
  readonly topic: sns.ITopic;
  /** The topic's customer-managed key, when it has one (publishing needs it). @default none */
  readonly topicKey?: kms.IKey;
  /** The deployment-wide kill switch: validation, the window choice and the scan refuse while it is on. */
  readonly killSwitch: ssm.IStringParameter;
  /** Prescale's group for its recurring schedules (the daily maintenance scan's). */
  readonly scheduleGroup: scheduler.IScheduleGroup;
}

/**
 * The rolling-update workflow: a Standard state machine that validates a request, waits for a
 * low-load window, adds headroom, starts an instance refresh with a DesiredConfiguration (never by
 * changing the group's launch template first, which would make rollback impossible), watches it
 * with the user's alarms and the observed load, restores capacity, and on any failure rolls back
 * (RollbackInstanceRefresh, or cancel and revert), restores, notifies and fails with the reason.
 * One rolling update per group at a time: the group's LOCK item, released on every path.
 * See docs/rolling-updates.md. The parts live in `rolling-update/`; every construct and state is
 * created in this construct's scope, so IDs and state names do not depend on that layout.
 */
export class RollingUpdateWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** Decision Lambdas, by handler folder name. */
  readonly functions: Readonly<Record<string, PrescaleFunction>>;
  /** Starts the workflow for `Rolling Update Requested` events with a named execution. */
  readonly requester: PrescaleFunction;
  readonly requestRule: events.Rule;
  /** Where request events that could not start the workflow are kept. */
  readonly requestDeadLetterQueue: sqs.Queue;
  /** The daily scheduled-event scan, when `rollingUpdate.autoStartOnScheduledEvents` is on. */
  readonly maintenanceScan?: ScheduledFunction;

  constructor(scope: Construct, id: string, props: RollingUpdateWorkflowProps) {
    super(scope, id);
    const { config, stateTable } = props;
    const environment = {
      [ENV.config]: configEnvironment(config),
      [ENV.stateTableName]: stateTable.tableName,
      [ENV.killSwitchParameterName]: props.killSwitch.parameterName,
    };
    const functions = decisionFunctions(this, {
      config,
      stateTable,
      environment,
      killSwitch: props.killSwitch,
    });
    this.functions = functions;
    const definition = workflowDefinition(this, { stateTable, topic: props.topic, functions });
    const machine = workflowStateMachine(this, {
      config,
      definition,
      functions: Object.values(functions),
      ...(props.topicKey ? { topicKey: props.topicKey } : {}),
    });
    this.stateMachine = machine.stateMachine;
    this.logGroup = machine.logGroup;

    const request = requestRule(this, {
      eventBus: props.eventBus,
      stateMachine: this.stateMachine,
      environment,
    });
    this.requester = request.requester;
    this.requestRule = request.requestRule;
    this.requestDeadLetterQueue = request.requestDeadLetterQueue;

    if (config.rollingUpdate.autoStartOnScheduledEvents) {
      this.maintenanceScan = maintenanceScan(this, {
        stateMachine: this.stateMachine,
        environment,
        killSwitch: props.killSwitch,
        scheduleGroup: props.scheduleGroup,
      });
    }
  }
}
