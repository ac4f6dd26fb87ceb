import { BatchWriteItemCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbStateStore } from '../../../shared/aws/dynamo-db-state-store';
import { STATE_KEYS as K } from '../../../shared/contracts/state-keys';
import { TransientDependencyError } from '../../../shared/ports/errors';
import type { RunRecord } from '../../../shared/ports/state-store';

const TABLE = 'prescale-state';
const T0 = Date.UTC(2026, 5, 1);
const record: RunRecord = {
  groupName: 'web',
  tickMs: T0,
  mode: 'forecast-and-scale',
  forecastStartMs: T0,
  stepSeconds: 300,
  plannedLoad: [120],
  medianLoad: [100],
  planningQuantile: 0.9,
  plannedCapacity: [3],
  models: ['holt-winters'],
  outcome: { kind: 'unchanged', reason: 'test' },
};
const state = { planningQuantile: 0.9, updatedAtMs: T0 };

const dynamoDb = mockClient(DynamoDBClient);
/** Resends recorded instead of waited for. */
const delaysMs: number[] = [];
const store = () =>
  new DynamoDbStateStore(dynamoDb as unknown as DynamoDBClient, TABLE, {
    sleep: async (ms) => {
      delaysMs.push(ms);
    },
    random: () => 0.5,
  });
/** The items of a call's put requests, as the state store wrote them (unmarshalled). */
const putsOf = (call: number): Record<string, unknown>[] =>
  (dynamoDb.commandCalls(BatchWriteItemCommand)[call]?.args[0].input.RequestItems?.[TABLE] ?? []).map((r) =>
    unmarshall(r.PutRequest?.Item ?? {}),
  );
// An unprocessed put, as BatchWriteItem returns it (AttributeValue form).
const unprocessedState = {
  PutRequest: {
    Item: {
      pk: { S: 'GROUP#web' },
      sk: { S: 'STATE' },
      state: { M: { planningQuantile: { N: '0.9' }, updatedAtMs: { N: String(T0) } } },
    },
  },
};

beforeEach(() => {
  dynamoDb.reset();
  delaysMs.length = 0;
});

describe('DynamoDbStateStore.recordRun', () => {
  it('reads the recent run records strongly consistent: a restore plans from the record just written', async () => {
    // "the responses may not reflect the results of a recently completed write operation" (read
    // consistency, DynamoDB Developer Guide); dynalite is always consistent, so this is checked here.
    dynamoDb.on(QueryCommand).resolves({ Items: [] });
    await store().recentRunRecords('web', T0);
    expect(dynamoDb.commandCalls(QueryCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
  });

  it('reads the newest run record alone: newest first, one item, one request', async () => {
    dynamoDb.on(QueryCommand).resolves({ Items: [] });
    expect(await store().latestRunRecord('web', T0)).toBeUndefined();
    const calls = dynamoDb.commandCalls(QueryCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    });
  });

  it('writes the state and the run record in one BatchWriteItem', async () => {
    dynamoDb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: {} });
    await store().recordRun('web', state, record, T0 + 86_400_000);
    expect(dynamoDb.commandCalls(BatchWriteItemCommand)).toHaveLength(1);
    expect(putsOf(0).map((item) => item.sk)).toEqual([K.stateSk, K.runSk(T0)]);
    expect(putsOf(0)[0]).toEqual({ pk: K.groupPk('web'), sk: K.stateSk, state });
    expect(putsOf(0)[1]?.[K.ttl]).toBe((T0 + 86_400_000) / 1000);
  });

  it('sends the items DynamoDB left unprocessed again, and only those', async () => {
    dynamoDb
      .on(BatchWriteItemCommand)
      .resolvesOnce({
        UnprocessedItems: { [TABLE]: [unprocessedState] },
      })
      .resolves({ UnprocessedItems: {} });
    await store().recordRun('web', state, record, T0 + 86_400_000);
    expect(dynamoDb.commandCalls(BatchWriteItemCommand)).toHaveLength(2);
    expect(putsOf(1)).toEqual([{ pk: K.groupPk('web'), sk: K.stateSk, state }]);
  });

  it('fails as transient when items stay unprocessed after five requests', async () => {
    dynamoDb.on(BatchWriteItemCommand).resolves({
      UnprocessedItems: { [TABLE]: [unprocessedState] },
    });
    await expect(store().recordRun('web', state, record, T0 + 86_400_000)).rejects.toBeInstanceOf(
      TransientDependencyError,
    );
    expect(dynamoDb.commandCalls(BatchWriteItemCommand)).toHaveLength(5);
    // Jittered exponential backoff before each resend (random 0.5 of 50, 100, 200, 400 ms).
    expect(delaysMs).toEqual([25, 50, 100, 200]);
  });

  it('translates a throttled request into a transient error', async () => {
    dynamoDb
      .on(BatchWriteItemCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(store().recordRun('web', state, record, T0 + 86_400_000)).rejects.toBeInstanceOf(
      TransientDependencyError,
    );
  });
});
