import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { leadingKeysStatement } from '../../infra/constructs/leading-keys-policy';
import { testOutdir } from '../helpers/test-temp-root';

function table(): dynamodb.TableV2 {
  const stack = new Stack(new App({ outdir: testOutdir() }), 'Test');
  return new dynamodb.TableV2(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
}

describe('leadingKeysStatement', () => {
  it('grants the actions on the table to partition keys that start with the prefix alone', () => {
    const t = table();
    const json = Stack.of(t).resolve(
      leadingKeysStatement(t, {
        sid: 'ReadPlanRecords',
        actions: ['dynamodb:GetItem'],
        partitionKeyPrefix: 'PLAN#',
      }).toStatementJson(),
    );
    expect(json).toEqual({
      Sid: 'ReadPlanRecords',
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: Stack.of(t).resolve(t.tableArn),
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PLAN#*'] } },
    });
  });

  it.each(['', 'PLAN#*', 'PLAN?'])('refuses the prefix %j, naming the statement and the field', (prefix) => {
    expect(() =>
      leadingKeysStatement(table(), {
        sid: 'ReadPlanRecords',
        actions: ['dynamodb:GetItem'],
        partitionKeyPrefix: prefix,
      }),
    ).toThrow(/ReadPlanRecords: partitionKeyPrefix must be a non-empty literal start of a partition key/);
  });

  it('refuses actions of another service, or none', () => {
    for (const actions of [[], ['s3:GetObject']])
      expect(() => leadingKeysStatement(table(), { sid: 'S', actions, partitionKeyPrefix: 'PLAN#' })).toThrow(
        /S: actions must be DynamoDB actions/,
      );
  });
});
