import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../shared/contracts/env';
import {
  ROLLING_UPDATE_PLAN_CANCEL_REQUESTED,
  ROLLING_UPDATE_PLAN_REQUESTED,
} from '../../shared/contracts/update-plan';
import { deadLetterQueue } from './dead-letter-queue';
import { PrescaleFunction } from './prescale-function';
import { grantWorkflowStart } from './workflow-start-grant';

export interface UpdatePlanRequestsProps {
  /** The update-plan state machine the requester starts. */
  readonly stateMachine: sfn.IStateMachine;
  /** The state table, where the canceller marks a plan's record. */
  readonly stateTable: dynamodb.ITableV2;
  /** Prescale's bus. */
  readonly eventBus: events.IEventBus;
  /** The config and table environment shared by Prescale's functions. */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * The EventBridge side of update plans: `Rolling Update Plan Requested` starts a named plan
 * execution, `Rolling Update Plan Cancel Requested` marks a running plan cancelled. Events that
 * cannot be acted on go to one dead-letter queue with the reason. See docs/rolling-updates.md.
 */
export class UpdatePlanRequests extends Construct {
  /** Starts the workflow for `Rolling Update Plan Requested` events with a named execution. */
  readonly requester: PrescaleFunction;
  /** Records `Rolling Update Plan Cancel Requested` on the plan's record. */
  readonly canceller: PrescaleFunction;
  /** Where plan and cancel events that could not be handled are kept, with the reason. */
  readonly deadLetterQueue: sqs.Queue;
  /** The plan rule and the cancel rule, each delivering to its function with `deadLetterQueue`. */
  readonly rules: { readonly request: events.Rule; readonly cancel: events.Rule };

  constructor(scope: Construct, id: string, props: UpdatePlanRequestsProps) {
    super(scope, id);
    const environment = props.environment;
    // Events that cannot be acted on (a malformed detail, a cancel of an unknown plan) are sent here
    // by the Lambdas with the reason; invocations that still fail after Lambda's retries land here too.
    this.deadLetterQueue = deadLetterQueue(
      this,
      'RequestDeadLetters',
      'This queue is itself the dead-letter queue of the plan rules, their targets and the Lambdas.',
    );
    const eventEnvironment = {
      ...environment,
      [ENV.updatePlanDeadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
    };
    this.requester = new PrescaleFunction(this, 'request-update-plan', {
      entry: 'functions/request-update-plan/handler.ts',
      description: 'Prescale update plan: starts the workflow for a Rolling Update Plan Requested event',
      environment: {
        ...eventEnvironment,
        [ENV.updatePlanStateMachineArn]: props.stateMachine.stateMachineArn,
      },
      timeout: Duration.seconds(30),
    });
    grantWorkflowStart(props.stateMachine, this.requester.function);
    this.canceller = new PrescaleFunction(this, 'cancel-update-plan', {
      entry: 'functions/cancel-update-plan/handler.ts',
      description: 'Prescale update plan: records a Rolling Update Plan Cancel Requested event',
      environment: eventEnvironment,
      timeout: Duration.seconds(30),
    });
    props.stateTable.grant(this.canceller.function, 'dynamodb:UpdateItem');
    for (const f of [this.requester, this.canceller]) {
      this.deadLetterQueue.grantSendMessages(f.function);
      f.function.configureAsyncInvoke({
        retryAttempts: 2,
        onFailure: new lambdaDestinations.SqsDestination(this.deadLetterQueue),
      });
    }
    this.rules = this.routeEvents(props.eventBus);
  }

  /** Plan and cancel events on the bus to their function; undeliverable ones to the DLQ. */
  private routeEvents(eventBus: events.IEventBus): UpdatePlanRequests['rules'] {
    const target = (f: PrescaleFunction) =>
      new eventTargets.LambdaFunction(f.function, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 4,
        maxEventAge: Duration.hours(2),
      });
    const request = new events.Rule(this, 'RequestRule', {
      eventBus: eventBus,
      description: 'Starts a Prescale update plan',
      eventPattern: {
        source: [ROLLING_UPDATE_PLAN_REQUESTED.source],
        detailType: [ROLLING_UPDATE_PLAN_REQUESTED.detailType],
      },
      targets: [target(this.requester)],
    });
    const cancel = new events.Rule(this, 'CancelRule', {
      eventBus: eventBus,
      description: 'Cancels a running Prescale update plan',
      eventPattern: {
        source: [ROLLING_UPDATE_PLAN_CANCEL_REQUESTED.source],
        detailType: [ROLLING_UPDATE_PLAN_CANCEL_REQUESTED.detailType],
      },
      targets: [target(this.canceller)],
    });
    return { request, cancel };
  }
}
