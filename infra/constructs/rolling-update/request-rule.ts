import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ENV } from '../../../shared/contracts/env';
import { ROLLING_UPDATE_REQUESTED } from '../../../shared/contracts/rolling-update';
import { deadLetterQueue } from '../dead-letter-queue';
import { PrescaleFunction } from '../prescale-function';
import { grantWorkflowStart } from '../workflow-start-grant';

export interface RequestRuleProps {
  readonly eventBus: events.IEventBus;
  readonly stateMachine: sfn.StateMachine;
  /** Environment the requester shares with the decision functions. */
  readonly environment: Record<string, string>;
}

/** The EventBridge entry of the workflow. */
export interface RequestRule {
  /** Starts the workflow for `Rolling Update Requested` events with a named execution. */
  readonly requester: PrescaleFunction;
  readonly requestRule: events.Rule;
  /** Where request events that could not start the workflow are kept. */
  readonly requestDeadLetterQueue: sqs.Queue;
}

/**
 * `Rolling Update Requested` (source `prescale`) on the bus → a Lambda, in `scope`, that starts a
 * named execution; events it could not take after 4 retries or 2 hours, and those the function
 * failed on after Lambda's 2 retries (with the error), go to a dead-letter queue.
 */
export function requestRule(scope: Construct, props: RequestRuleProps): RequestRule {
  const requester = new PrescaleFunction(scope, 'request-rolling-update', {
    entry: 'functions/request-rolling-update/handler.ts',
    description: 'Prescale rolling update: starts the workflow for a Rolling Update Requested event',
    environment: {
      ...props.environment,
      [ENV.rollingUpdateStateMachineArn]: props.stateMachine.stateMachineArn,
    },
    timeout: Duration.seconds(30),
  });
  grantWorkflowStart(props.stateMachine, requester.function);
  const requestDeadLetterQueue = deadLetterQueue(
    scope,
    'RequestDeadLetters',
    'This queue is itself the dead-letter queue of the request rule target and of the requester failed invocations.',
  );
  // A request the requester fails on (a malformed detail, StartExecution refused after the SDK's
  // retries) keeps its event and the error in the DLQ instead of being dropped after Lambda's retries.
  requester.function.configureAsyncInvoke({
    retryAttempts: 2,
    onFailure: new lambdaDestinations.SqsDestination(requestDeadLetterQueue),
  });
  const rule = new events.Rule(scope, 'RequestRule', {
    eventBus: props.eventBus,
    description: 'Starts a Prescale rolling update',
    eventPattern: {
      source: [ROLLING_UPDATE_REQUESTED.source],
      detailType: [ROLLING_UPDATE_REQUESTED.detailType],
    },
    targets: [
      new eventTargets.LambdaFunction(requester.function, {
        deadLetterQueue: requestDeadLetterQueue,
        retryAttempts: 4,
        maxEventAge: Duration.hours(2),
      }),
    ],
  });
  return { requester, requestRule: rule, requestDeadLetterQueue };
}
