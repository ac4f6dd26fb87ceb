import { BatchWriteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { toAttributeMap } from '../../../shared/aws/dynamo-db-attributes';
import { queryEveryPage } from '../../../shared/aws/dynamo-db-item';
import { RejectedRequestError } from '../../../shared/ports/errors';
import { type LocalDynamoDb, startDynalite } from '../../helpers/start-dynalite';

let db: LocalDynamoDb;
beforeAll(async () => {
  db = await startDynalite();
  // Five items under one key, and one under another that the Query must not reach.
  const items = [1, 2, 3, 4, 5].map((n) => ({ pk: 'GROUP#web', sk: `RUN#${n}`, n }));
  await db.client.send(
    new BatchWriteItemCommand({
      RequestItems: {
        [db.tableName]: [...items, { pk: 'GROUP#api', sk: 'RUN#1', n: 9 }].map((item) => ({
          PutRequest: { Item: toAttributeMap(item) },
        })),
      },
    }),
  );
});
afterAll(() => db.stop());

const webRuns = (limit: number) => ({
  TableName: db.tableName,
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
  ExpressionAttributeValues: toAttributeMap({ ':pk': 'GROUP#web', ':sk': 'RUN#' }),
  Limit: limit,
});

describe('queryEveryPage', () => {
  it('reads every page in order, resuming each Query where the last one stopped', async () => {
    const send = jest.spyOn(db.client, 'send');
    try {
      expect(await queryEveryPage(db.client, webRuns(2), (item) => item.n)).toEqual([1, 2, 3, 4, 5]);
      const queries = send.mock.calls.map(([command]) => command).filter((c) => c instanceof QueryCommand);
      // Pages of 2, 2 and 1: the first Query starts at the beginning, each next one after the last key.
      expect(queries.map((q) => (q as QueryCommand).input.ExclusiveStartKey?.sk?.S)).toEqual([
        undefined,
        'RUN#2',
        'RUN#4',
      ]);
    } finally {
      send.mockRestore();
    }
  });

  it('translates a failed Query into a port error naming DynamoDB and Query', async () => {
    const error = await queryEveryPage(
      db.client,
      { ...webRuns(2), TableName: 'no-such-table' },
      (item) => item,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RejectedRequestError);
    expect(error).toMatchObject({ dependency: 'DynamoDB', operation: 'Query' });
  });

  it('fails as the Query when an item cannot be read, as the stores read their items', async () => {
    const error = await queryEveryPage(db.client, webRuns(2), () => {
      throw new Error('run record stepsF64: unknown format 9 (expected 1)');
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RejectedRequestError);
    expect((error as Error).message).toContain('run record stepsF64: unknown format 9');
  });
});
