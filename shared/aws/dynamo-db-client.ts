import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type AwsClientOptions,
  awsTransportOverride,
  baseConfig,
  dropUserAgentHeader,
  type Middlewared,
  routed,
} from './aws-clients';

// A fixed SigV4-shaped header for an in-process DynamoDB, which checks the header's form only.
const TEST_SIGNATURE =
  'AWS4-HMAC-SHA256 Credential=AKIASIMULATION00000/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

/** DynamoDB document client: plain JavaScript values in and out, `undefined` attributes dropped. */
export function dynamoDbClient(options: AwsClientOptions = {}): DynamoDBDocumentClient {
  const override = awsTransportOverride();
  const endpoint = override?.dynamoDbEndpoint;
  const requestHandler = override?.dynamoDbRequestHandler;
  const raw = new DynamoDBClient({
    ...baseConfig(options),
    // lib-dynamodb's commands resolve their marshalling per command: no cached middleware chain.
    cacheMiddleware: false,
    ...(endpoint ? { endpoint } : {}),
    ...(requestHandler ? { requestHandler } : {}),
  });
  if (requestHandler) {
    const stack = (raw as unknown as Middlewared).middlewareStack;
    // Served in-process: no request log, no User-Agent header, and a fixed signature instead of
    // SigV4 per request.
    stack.remove('loggerMiddleware');
    stack.remove('httpSigningMiddleware');
    dropUserAgentHeader(stack);
    stack.addRelativeTo(
      (next: (args: object) => Promise<unknown>) =>
        async (args: { request: { headers: Record<string, string> } }) => {
          args.request.headers.authorization = TEST_SIGNATURE;
          args.request.headers['x-amz-date'] = '20240101T000000Z';
          return next(args);
        },
      { relation: 'after', toMiddleware: 'retryMiddleware', name: 'prescaleTestSignature' },
    );
  }
  return DynamoDBDocumentClient.from(endpoint ? raw : routed(raw, 'dynamodb'), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
