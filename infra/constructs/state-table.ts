import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { STATE_KEYS } from '../../shared/contracts/state-keys';

export interface StateTableProps {
  /** @default RemovalPolicy.RETAIN — run history outlives a stack deletion unless asked otherwise. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Prescale's single DynamoDB table: run records, locks, campaigns, learned lead times, price cache.
 * Keys are generic (`pk`, `sk`) so each adapter owns its item shapes; `expiresAt` (epoch seconds)
 * lets DynamoDB delete old records for free.
 */
export class StateTable extends Construct {
  /** Attribute names the adapters use. */
  // The adapters' own names (STATE_KEYS), so the TTL DynamoDB applies is on the attribute they write.
  static readonly PARTITION_KEY = STATE_KEYS.partitionKey;
  static readonly SORT_KEY = STATE_KEYS.sortKey;
  static readonly TTL_ATTRIBUTE = STATE_KEYS.ttl;

  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: StateTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: StateTable.PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      sortKey: { name: StateTable.SORT_KEY, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: StateTable.TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      deletionProtection: false,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
