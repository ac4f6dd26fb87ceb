import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import {
  FAILED_BEFORE_ANY_CHANGE,
  GROUP_DELETED_DURING_UPDATE,
  GROUP_NO_LONGER_EXISTS,
  LAUNCH_TEMPLATE_VERSION_UNUSABLE,
  REFRESH_LEFT_RUNNING,
  ROLLED_OUT_ERROR,
  ROLLING_UPDATE_KEYS,
} from '../../../shared/contracts/rolling-update';
import { ROLLBACK_ENDINGS } from './rollback-endings';
import { DYNAMODB_TRANSIENT } from './workflow-tasks';

const J = sfn.JsonPath;
const S = tasks.DynamoAttributeValue;

/**
 * The failed end states, by the outcome's status: each says what happened, as the notification's
 * subject and the record do. A status not listed ends in "Rolled back". An ending with an `error`
 * fails with that Error whatever step failed (whose own error the Cause then names).
 */
const FAILED_ENDINGS: readonly (readonly [status: string, state: string, error?: string])[] = [
  // Undid nothing on purpose: the refresh is whoever suspended its processes' (an execution that
  // failed all the same, so the failed-executions alarm still calls someone to look).
  [ROLLBACK_ENDINGS.leftToOperator.status, 'Left to operator'],
  // The new version stays; a later step failed (the restore, say), or an error met a refresh
  // that had just succeeded: nothing was rolled back. A fixed Error, so an update plan whose child
  // ends here knows the group is on the new version and undoes it with the others.
  [ROLLBACK_ENDINGS.rolledOut.status, 'Rolled out, needs attention', ROLLED_OUT_ERROR],
  [ROLLBACK_ENDINGS.rolledOut.notRestored.status, 'Rolled out, capacity not restored', ROLLED_OUT_ERROR],
  // A step failed before the update changed anything: nothing undone. A fixed Error (the step's
  // in the Cause), so the instance-type selection knows the new type was never tried.
  [ROLLBACK_ENDINGS.failedNothingChanged.status, 'Failed, nothing changed', FAILED_BEFORE_ANY_CHANGE],
  // The group was deleted during the update: a fixed Error, whatever step found it gone.
  [ROLLBACK_ENDINGS.groupDeleted.status, 'Group deleted during update', GROUP_DELETED_DURING_UPDATE],
  // A refresh still replaced instances at the give-up: neither rolled back nor rolled out. A
  // fixed Error, so an update plan whose child ends here neither counts the group updated nor
  // undone, but names it as needing attention.
  [ROLLBACK_ENDINGS.leftRunning.status, 'Left running, capacity held', REFRESH_LEFT_RUNNING],
];

/**
 * The refusals' end states, by the Error: nothing was started or changed. A refusal not listed
 * ends in "Refused: group changed since validation" (the group is not the one the update was
 * validated on).
 */
const REFUSED_ENDINGS: readonly (readonly [error: string, state: string])[] = [
  // A version the refresh launches or returns to is gone, or its image was deregistered.
  [LAUNCH_TEMPLATE_VERSION_UNUSABLE, 'Refused: launch template version unusable'],
  // The group was deleted while the update waited: nothing is left to change.
  [GROUP_NO_LONGER_EXISTS, 'Refused: group no longer exists'],
];

/**
 * The workflow's last states, in `scope`: record the outcome (`$.outcome`) in the state table,
 * release the group's lock (only our own), then succeed (Rolled out, Deferred) or fail (Rolled
 * back, or another failed ending: `FAILED_ENDINGS`) by the outcome's status. Recording or
 * releasing failures never change the outcome. A refusal ends in the state naming its reason
 * (`REFUSED_ENDINGS`).
 * @returns "Record outcome", where every path ends.
 */
export function outcomeStates(scope: Construct, stateTable: dynamodb.ITableV2): sfn.IChainable {
  const rolledOut = new sfn.Succeed(scope, 'Rolled out', { outputPath: '$.outcome' });
  const deferred = new sfn.Succeed(scope, 'Deferred', { outputPath: '$.outcome' });
  const failed = (state: string, error?: string) =>
    new sfn.Fail(scope, state, {
      ...(error
        ? { error, causePath: '$.outcome.causeWithError' }
        : { errorPath: '$.outcome.error', causePath: '$.outcome.cause' }),
    });
  const whyRefused = new sfn.Choice(scope, 'Why was it refused?');
  for (const [error, state] of REFUSED_ENDINGS)
    whyRefused.when(sfn.Condition.stringEquals('$.outcome.error', error), failed(state));
  whyRefused.otherwise(failed('Refused: group changed since validation'));
  const howDidItEnd = new sfn.Choice(scope, 'How did it end?')
    .when(sfn.Condition.stringEquals('$.outcome.status', 'Succeeded'), rolledOut)
    .when(sfn.Condition.stringEquals('$.outcome.status', 'Deferred'), deferred)
    .when(sfn.Condition.stringEquals('$.outcome.status', ROLLBACK_ENDINGS.refused.status), whyRefused);
  for (const [status, state, error] of FAILED_ENDINGS)
    howDidItEnd.when(sfn.Condition.stringEquals('$.outcome.status', status), failed(state, error));
  howDidItEnd.otherwise(failed('Rolled back'));
  const releaseLock = new tasks.DynamoDeleteItem(scope, 'Release group lock', {
    table: stateTable,
    key: { pk: S.fromString(J.stringAt('$.plan.lockPk')), sk: S.fromString(ROLLING_UPDATE_KEYS.lockSk) },
    // Only our own lock: a deferred or failed-to-lock run holds none, and deletes nothing.
    conditionExpression: 'holder = :holder',
    expressionAttributeValues: { ':holder': S.fromString(J.stringAt('$$.Execution.Name')) },
    resultPath: J.DISCARD,
  })
    .addRetry({ errors: [...DYNAMODB_TRANSIENT] })
    .addCatch(howDidItEnd, {
      errors: ['DynamoDB.ConditionalCheckFailedException'],
      resultPath: '$.releaseError',
    })
    .addCatch(howDidItEnd, { errors: ['States.ALL'], resultPath: '$.releaseError' })
    .next(howDidItEnd);
  return new tasks.DynamoPutItem(scope, 'Record outcome', {
    table: stateTable,
    item: {
      pk: S.fromString(J.stringAt('$.plan.recordPk')),
      sk: S.fromString(J.stringAt('$.plan.recordSk')),
      status: S.fromString(J.stringAt('$.outcome.status')),
      outcome: S.fromString(J.jsonToString(J.objectAt('$.outcome'))),
      plan: S.fromString(J.jsonToString(J.objectAt('$.plan'))),
      endedAt: S.fromString(J.stringAt('$$.State.EnteredTime')),
      expiresAt: S.numberFromString(J.stringAt('$.plan.recordExpiresAt')),
    },
    resultPath: J.DISCARD,
  })
    .addRetry({ errors: [...DYNAMODB_TRANSIENT] })
    .addCatch(releaseLock, { errors: ['States.ALL'], resultPath: '$.recordError' })
    .next(releaseLock);
}
