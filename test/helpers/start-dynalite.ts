import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

// dynalite has no type declarations; this is the part of its API the tests use.
type DynaliteServer = {
  listen(port: number, host: string, cb: () => void): void;
  close(cb: () => void): void;
  address(): AddressInfo;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs: number }) => DynaliteServer;

/** A real DynamoDB implementation on a loopback port, with Prescale's state table created. */
export interface LocalDynamoDb {
  /** The plain client, as Prescale's DynamoDB adapters receive it. */
  readonly client: DynamoDBClient;
  readonly tableName: string;
  stop(): Promise<void>;
}

/**
 * Creates Prescale's generic `pk`/`sk` table in a dynalite served by `client` and waits until it
 * is active (dynalite activates tables on a timer, even at 0 ms).
 */
export async function createStateTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
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
  while (
    (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus !== 'ACTIVE'
  )
    await new Promise((resolve) => setImmediate(resolve));
}

/** Starts dynalite in-process on 127.0.0.1 (a free port) and creates a `pk`/`sk` table. */
export async function startDynalite(tableName = 'prescale-state'): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${server.address().port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
  });
  await createStateTable(client, tableName);
  return {
    client,
    tableName,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
