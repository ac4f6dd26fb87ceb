import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { ROLLING_UPDATE_KEYS } from '../../../shared/contracts/rolling-update';
import { DEPENDENT_GROUP_UPDATING, GROUP_LOCKED } from '../../../shared/contracts/rolling-update-errors';
import { LEASE_FREE_CONDITION, STATE_KEYS } from '../../../shared/contracts/state-keys';
import type { PrescaleFunction } from '../prescale-function';
import { DYNAMODB_TRANSIENT, type WorkflowTasks } from './workflow-tasks';

const J = sfn.JsonPath;
const S = tasks.DynamoAttributeValue;

export interface LockStatesProps {
  readonly stateTable: dynamodb.ITableV2;
  readonly checkConflicts: PrescaleFunction;
  /** Where the run goes once it holds the lock and no dependent group is updating. */
  readonly next: sfn.IChainable;
}

/**
 * One rolling update per group, in `scope`: acquire the group's LOCK item (free, expired, or
 * already ours), then check dependent groups and update plans; a conflict releases the lock and
 * fails. Nothing is changed on any of these failures. @returns "Acquire group lock".
 */
export function lockStates(scope: Construct, t: WorkflowTasks, props: LockStatesProps): sfn.IChainable {
  const groupLocked = new sfn.Fail(scope, 'Group is locked', {
    error: GROUP_LOCKED,
    cause: 'Another rolling update holds the lock on this group; nothing was changed.',
  });
  const lockFailed = new sfn.Fail(scope, 'Could not lock group', {
    errorPath: '$.error.Error',
    causePath: '$.error.Cause',
  });
  const checkDependents = conflictStates(scope, t, props);
  return new tasks.DynamoPutItem(scope, 'Acquire group lock', {
    table: props.stateTable,
    item: {
      pk: S.fromString(J.stringAt('$.plan.lockPk')),
      sk: S.fromString(ROLLING_UPDATE_KEYS.lockSk),
      holder: S.fromString(J.stringAt('$$.Execution.Name')),
      acquiredAtMs: S.numberFromString(J.stringAt('$.window.lock.acquiredAtMs')),
      expiresAtMs: S.numberFromString(J.stringAt('$.window.lock.expiresAtMs')),
      [STATE_KEYS.ttl]: S.numberFromString(J.stringAt('$.window.lock.expiresAt')),
    },
    // Exactly DynamoDbStateStore.acquireLock: free, expired, or already ours (a retried acquire).
    conditionExpression: LEASE_FREE_CONDITION,
    expressionAttributeValues: {
      ':now': S.numberFromString(J.stringAt('$.window.lock.acquiredAtMs')),
      ':holder': S.fromString(J.stringAt('$$.Execution.Name')),
    },
    resultPath: J.DISCARD,
  })
    .addRetry({ errors: [...DYNAMODB_TRANSIENT] })
    .addCatch(groupLocked, { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: '$.error' })
    .addCatch(lockFailed, { errors: ['States.ALL'], resultPath: '$.error' })
    .next(checkDependents);
}

/**
 * Written lock first, then the dependent groups and update plans read: of two dependent updates
 * that passed validation together, at least one sees the other (docs/rolling-updates.md).
 * @returns "Check dependent groups".
 */
function conflictStates(scope: Construct, t: WorkflowTasks, props: LockStatesProps): sfn.IChainable {
  const dependentUpdating = new sfn.Fail(scope, 'Dependent group is updating', {
    error: DEPENDENT_GROUP_UPDATING,
    causePath: '$.conflicts.reason',
  });
  const releaseAfterConflict = new tasks.DynamoDeleteItem(scope, 'Release group lock after conflict', {
    table: props.stateTable,
    key: { pk: S.fromString(J.stringAt('$.plan.lockPk')), sk: S.fromString(ROLLING_UPDATE_KEYS.lockSk) },
    conditionExpression: 'holder = :holder',
    expressionAttributeValues: { ':holder': S.fromString(J.stringAt('$$.Execution.Name')) },
    resultPath: J.DISCARD,
  })
    .addRetry({ errors: [...DYNAMODB_TRANSIENT] })
    .addCatch(dependentUpdating, { errors: ['States.ALL'], resultPath: '$.releaseError' })
    .next(dependentUpdating);
  const conflictCheckFailed = new sfn.Pass(scope, 'Conflict check failed', {
    parameters: {
      kind: 'conflict',
      reason: J.format(
        'the dependent-group check failed ({}); nothing was changed',
        J.stringAt('$.conflicts.Error'),
      ),
    },
    resultPath: '$.conflicts',
  }).next(releaseAfterConflict);
  return t
    .invoke('Check dependent groups', props.checkConflicts, '$.conflicts')
    .addCatch(conflictCheckFailed, { errors: ['States.ALL'], resultPath: '$.conflicts' })
    .next(
      new sfn.Choice(scope, 'Is a dependent group updating?')
        .when(sfn.Condition.stringEquals('$.conflicts.kind', 'conflict'), releaseAfterConflict)
        .otherwise(props.next),
    );
}
