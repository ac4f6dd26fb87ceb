import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { STATE_KEYS } from '../../shared/contracts/state-keys';
import { REPO_ROOT } from '../helpers/source-imports';
import { type LocalDynamoDb, startDynalite } from '../helpers/start-dynalite';

/** The `state.<field>` paths docs/OPERATIONS.md tells an operator to read on a group's state item. */
const documentedPaths = (): string[] => {
  const text = readFileSync(path.join(REPO_ROOT, 'docs/OPERATIONS.md'), 'utf8');
  return [...new Set([...text.matchAll(/`(state\.[A-Za-z]+)`/g)].map((m) => m[1] as string))];
};

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.stop();
});

describe('the state item fields docs/OPERATIONS.md quotes', () => {
  it('are where the DynamoDB adapter writes them (GROUP#<name> / STATE)', async () => {
    const paths = documentedPaths();
    // The uninstall steps read both bounds back from here.
    expect(paths).toEqual(
      expect.arrayContaining(['state.userMinSize', 'state.originalMaxSize', 'state.learnedLeadTimeSeconds']),
    );
    const store = new DynamoDbStateStore(dynamo.client, dynamo.tableName);
    await store.putGroupState('web', {
      planningQuantile: 0.9,
      userMinSize: 2,
      originalMaxSize: 10,
      raisedMaxSize: 13,
      learnedLeadTimeSeconds: 420,
      userWarmPoolMinSize: 5,
      prescaleWarmPoolMinSize: 3,
      pendingWarmPoolMinSize: 4,
      prescaleMinSize: 12,
      lookAheadMinSizes: [[Date.UTC(2026, 5, 1, 13), 10]],
      ownerOneTimeMinSizes: [{ name: 'launch-day', atMs: Date.UTC(2026, 5, 1), minSize: 12, inEffect: true }],
      ownerRecurringStarts: [{ name: 'holiday', recurrence: '0 8 * * *', startMs: Date.UTC(2026, 5, 1, 6) }],
      updatedAtMs: Date.UTC(2026, 5, 1),
    });
    const { Item } = await dynamo.client.send(
      new GetItemCommand({
        TableName: dynamo.tableName,
        Key: { pk: { S: STATE_KEYS.groupPk('web') }, sk: { S: STATE_KEYS.stateSk } },
      }),
    );
    const missing = paths.filter((documented) => {
      const [attribute = '', field = ''] = documented.split('.');
      return Item?.[attribute]?.M?.[field] === undefined;
    });
    expect(missing).toEqual([]);
  });
});
