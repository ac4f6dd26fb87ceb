import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { STATE_KEYS } from '../../shared/contracts/state-keys';

/**
 * "Read discovered dependencies": the update plan's DynamoDB `GetItem` of the X-Ray discovery the
 * scaling loop stored (`DEPENDENCIES` / `DISCOVERED`), into `$.discovery`, for "Compute plan". A
 * direct read, so the planner, the largest function after the selector, bundles no DynamoDB client
 * (it would take it from 290 to 300 KB gzipped, the bundles' ceiling); an absent item reads as
 * `{}`, which the planner takes as no discovery. Throttling is retried with Step Functions'
 * defaults, as "Record plan"; any other failure goes to `failed` with the error in `$.error`.
 */
export function readDiscoveredDependencies(
  scope: Construct,
  stateTable: dynamodb.ITableV2,
  failed: sfn.IChainable,
): sfn.TaskStateBase {
  const S = tasks.DynamoAttributeValue;
  return new tasks.DynamoGetItem(scope, 'Read discovered dependencies', {
    table: stateTable,
    key: {
      [STATE_KEYS.partitionKey]: S.fromString(STATE_KEYS.discoveredDependenciesPk),
      [STATE_KEYS.sortKey]: S.fromString(STATE_KEYS.discoveredDependenciesSk),
    },
    resultPath: '$.discovery',
  })
    .addRetry({
      errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.InternalServerErrorException'],
    })
    .addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });
}
