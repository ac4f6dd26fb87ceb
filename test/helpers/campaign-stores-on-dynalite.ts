import { DynamoDbCampaignStore } from '../../shared/aws/dynamo-db-campaign-store';
import type { CampaignStore } from '../../shared/ports/campaign-store';
import { MemoryCampaigns } from '../fakes/memory-campaigns';
import { type LocalDynamoDb, startDynalite } from './start-dynalite';

/** The campaign stores a use-case suite runs on, and the local DynamoDB behind the adapter. */
export interface CampaignStoresOnDynalite {
  /** A `describe.each` table: the in-memory fake and the DynamoDB adapter, each named, with a maker. */
  readonly stores: readonly (readonly [string, () => CampaignStore])[];
  /** The local DynamoDB the adapter writes to (started before the file's tests run). */
  readonly dynamo: () => LocalDynamoDb;
}

/**
 * Starts dynalite with the table `tableName` before the calling file's tests and stops it after
 * (`beforeAll`/`afterAll`, so call it at the top level of a test file), and returns the two
 * campaign stores to run the same cases on.
 */
export function campaignStoresOnDynalite(tableName: string): CampaignStoresOnDynalite {
  let local: LocalDynamoDb | undefined;
  beforeAll(async () => {
    local = await startDynalite(tableName);
  });
  afterAll(async () => {
    await local?.stop();
  });
  const dynamo = () => {
    if (!local) throw new Error(`dynalite (table ${tableName}) is used before beforeAll started it`);
    return local;
  };
  return {
    stores: [
      ['MemoryCampaigns', () => new MemoryCampaigns()],
      [
        'DynamoDbCampaignStore on dynalite',
        () => new DynamoDbCampaignStore(dynamo().client, dynamo().tableName),
      ],
    ],
    dynamo,
  };
}
