import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStateTable } from '../../shared/simulation/run/recreate-state-table';

export { createStateTable };

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
