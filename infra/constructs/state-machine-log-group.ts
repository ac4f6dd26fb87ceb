import { Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * The log group of a state machine in `scope` (construct id `Logs`, one month), named
 * `/aws/vendedlogs/states/<stack name>-<unique path>`. Step Functions adds each log group it logs to
 * to the account's CloudWatch Logs resource policy, limited to 5,120 characters, unless its name
 * starts with `/aws/vendedlogs/`: without the prefix every deployment would use up more of it, and
 * a busy account's next state machine fails to create.
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html
 * The stack name tells apart deployments whose construct paths are the same (infra/app.ts keeps the
 * stack's construct id whatever its name). A named log group is deleted with the stack: retained,
 * the next deployment under the same stack name would fail to create it (`ResourceAlreadyExists`).
 */
export function stateMachineLogGroup(scope: Construct): logs.LogGroup {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // Stack names are [A-Za-z][-A-Za-z0-9]*, at most 128 characters; the unique name is alphanumeric
  // with dashes: the whole name is within CloudWatch Logs' 512 characters and [.\-_/#A-Za-z0-9].
  const unique = Names.uniqueResourceName(logGroup, { maxLength: 255, separator: '-' });
  (logGroup.node.defaultChild as logs.CfnLogGroup).logGroupName =
    `/aws/vendedlogs/states/${Stack.of(scope).stackName}-${unique}`;
  return logGroup;
}
