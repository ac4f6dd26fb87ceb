import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { toAttributeMap } from '../../../shared/aws/dynamo-db-attributes';
import { DynamoDbRolloutRecords } from '../../../shared/aws/dynamo-db-rollout-records';
import { RejectedRequestError } from '../../../shared/ports/errors';

const dynamo = mockClient(DynamoDBClient);
const records = new DynamoDbRolloutRecords(dynamo as unknown as DynamoDBClient, 'state');
const rollout = { executionArn: 'arn:aws:states:eu-west-1:1:execution:ru:x', runTimeMs: 1_000 };
const KEY = { pk: 'GROUP#web', sk: 'INSTANCE-TYPE-ROLLOUT' };

beforeEach(() => dynamo.reset());

describe('DynamoDbRolloutRecords', () => {
  it('writes one item per group, with its expiry as the table TTL in seconds', async () => {
    dynamo.on(PutItemCommand).resolves({});
    await records.recordRollout('web', rollout, 5_500);
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'state',
      Item: toAttributeMap({ ...KEY, ...rollout, expiresAtMs: 5_500, expiresAt: 6 }),
    });
  });

  it('reads the rollout back until it expires, and none when there is no item', async () => {
    dynamo
      .on(GetItemCommand, { Key: toAttributeMap(KEY) })
      .resolves({ Item: toAttributeMap({ ...KEY, ...rollout, expiresAtMs: 5_500, expiresAt: 6 }) });
    await expect(records.lastRollout('web', 5_499)).resolves.toEqual(rollout);
    // The TTL deletes only within days: an expired item is read as none.
    await expect(records.lastRollout('web', 5_500)).resolves.toBeUndefined();
    dynamo.reset();
    dynamo.on(GetItemCommand).resolves({});
    await expect(records.lastRollout('web', 0)).resolves.toBeUndefined();
  });

  it('keeps the instance type rolled out, and reads a record written before it was kept without one', async () => {
    dynamo.on(PutItemCommand).resolves({});
    const typed = { ...rollout, instanceType: 'c7g.large' };
    await records.recordRollout('web', typed, 5_500);
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      Item: toAttributeMap({ ...KEY, ...typed, expiresAtMs: 5_500, expiresAt: 6 }),
    });
    dynamo.on(GetItemCommand).resolves({ Item: toAttributeMap({ ...KEY, ...typed, expiresAtMs: 5_500 }) });
    await expect(records.lastRollout('web', 0)).resolves.toEqual(typed);
  });

  it('throws on a malformed item rather than read it as no rollout', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: toAttributeMap({ ...KEY, executionArn: 7 }) });
    await expect(records.lastRollout('web', 0)).rejects.toBeInstanceOf(RejectedRequestError);
  });
});
