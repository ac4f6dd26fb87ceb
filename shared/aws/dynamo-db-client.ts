import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type AwsClientOptions, baseConfig, routed } from './aws-transport';

/**
 * The DynamoDB client every DynamoDB adapter receives: the plain client, with the cached
 * middleware chain of `baseConfig`. (The document client of `@aws-sdk/lib-dynamodb` resolved its
 * whole middleware stack on every call and refuses a cached one; the adapters convert items with
 * `dynamo-db-attributes.ts`, the same `util-dynamodb` marshalling it runs.)
 */
export function dynamoDbClient(options: AwsClientOptions = {}): DynamoDBClient {
  return routed(new DynamoDBClient(baseConfig(options)), 'dynamodb');
}
