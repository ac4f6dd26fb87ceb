import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

const dynamoDb = mockClient(DynamoDBDocumentClient);
/** Resends recorded instead of waited for. */
const delaysMs: number[] = [];
const store = () =>
  new DynamoDbStateStore(dynamoDb as unknown as DynamoDBDocumentClient, TABLE, {
    sleep: async (ms) => {
      delaysMs.push(ms);
    },
    random: () => 0.5,
  });
type Put = { PutRequest: { Item: Record<string, unknown> } };
const putsOf = (call: number): Put[] =>
  (dynamoDb.commandCalls(BatchWriteCommand)[call]?.args[0].input.RequestItems?.[TABLE] ?? []) as Put[];

beforeEach(() => {
  dynamoDb.reset();
  delaysMs.length = 0;
});

describe('DynamoDbStateStore.recordRun', () => {
  it('writes the state and the run record in one BatchWriteItem', async () => {
    dynamoDb.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
    await store().recordRun('web', state, record, T0 + 86_400_000);
    expect(dynamoDb.commandCalls(BatchWriteCommand)).toHaveLength(1);
    expect(putsOf(0).map((p) => p.PutRequest.Item.sk)).toEqual([K.stateSk, K.runSk(T0)]);
    expect(putsOf(0)[0]?.PutRequest.Item).toEqual({ pk: K.groupPk('web'), sk: K.stateSk, state });
    expect(putsOf(0)[1]?.PutRequest.Item[K.ttl]).toBe((T0 + 86_400_000) / 1000);
  });

  it('sends the items DynamoDB left unprocessed again, and only those', async () => {
    dynamoDb
      .on(BatchWriteCommand)
      .resolvesOnce({
        UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: { pk: 'GROUP#web', sk: 'STATE', state } } }] },
      })
      .resolves({ UnprocessedItems: {} });
    await store().recordRun('web', state, record, T0 + 86_400_000);
    expect(dynamoDb.commandCalls(BatchWriteCommand)).toHaveLength(2);
    expect(putsOf(1).map((p) => p.PutRequest.Item.sk)).toEqual([K.stateSk]);
  });

  it('fails as transient when items stay unprocessed after five requests', async () => {
    dynamoDb.on(BatchWriteCommand).resolves({
      UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: { pk: 'GROUP#web', sk: 'STATE', state } } }] },
    });
    await expect(store().recordRun('web', state, record, T0 + 86_400_000)).rejects.toBeInstanceOf(
      TransientDependencyError,
    );
    expect(dynamoDb.commandCalls(BatchWriteCommand)).toHaveLength(5);
    // Jittered exponential backoff before each resend (random 0.5 of 50, 100, 200, 400 ms).
    expect(delaysMs).toEqual([25, 50, 100, 200]);
  });

  it('translates a throttled request into a transient error', async () => {
    dynamoDb
      .on(BatchWriteCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(store().recordRun('web', state, record, T0 + 86_400_000)).rejects.toBeInstanceOf(
      TransientDependencyError,
    );
  });
});
