import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type AwsClientOptions,
  awsTransportOverride,
  baseConfig,
  type Middlewared,
  routed,
} from './aws-transport';

/** DynamoDB document client: plain JavaScript values in and out, `undefined` attributes dropped. */
export function dynamoDbClient(options: AwsClientOptions = {}): DynamoDBDocumentClient {
  const raw = new DynamoDBClient({
    ...baseConfig(options),
    // lib-dynamodb's commands resolve their marshalling per command: no cached middleware chain.
    cacheMiddleware: false,
  });
  if (awsTransportOverride()?.answer) {
    routed(raw, 'dynamodb');
    // The document client places its unmarshalling step relative to the deserializer, which a
    // routed client drops: a pass-through keeps the name (marshalled output in, plain out).
    (raw as unknown as Middlewared).middlewareStack.add(
      (next: (args: object) => Promise<unknown>) => (args: object) => next(args),
      { step: 'deserialize', name: 'deserializerMiddleware' },
    );
  }
  return DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
}
