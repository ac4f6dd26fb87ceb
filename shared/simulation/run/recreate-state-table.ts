import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

const POLLS = 100;
const POLL_MS = 5;

/**
 * Deletes `table` in dynalite and creates it again, empty, with the state table's key schema,
 * resolving once it is ACTIVE. dynalite deletes and creates on timers, so each step is polled.
 * @throws Error when the table is not gone or not ACTIVE after 100 polls.
 */
export async function recreateStateTable(dynamoDb: DynamoDBClient, table: string): Promise<void> {
  await dynamoDb.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  for (let i = 0; ; i += 1) {
    const gone = await dynamoDb
      .send(new DescribeTableCommand({ TableName: table }))
      .then(() => false)
      .catch((error: { name?: string }) => error.name === 'ResourceNotFoundException');
    if (gone) break;
    if (i >= POLLS) throw new Error(`state table ${table} was not deleted in dynalite`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await createStateTable(dynamoDb, table);
}

/**
 * Creates Prescale's generic `pk`/`sk` table in the dynalite `dynamoDb` serves and resolves once it
 * is ACTIVE (dynalite activates tables on a timer, even at 0 ms).
 * @throws Error when it is not ACTIVE after 100 polls.
 */
export async function createStateTable(dynamoDb: DynamoDBClient, table: string): Promise<void> {
  await dynamoDb.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < POLLS; i += 1) {
    const out = await dynamoDb.send(new DescribeTableCommand({ TableName: table }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`state table ${table} did not become ACTIVE in dynalite`);
}
