import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PricingClient } from '@aws-sdk/client-pricing';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { XRayClient } from '@aws-sdk/client-xray';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Every AWS client Prescale uses, created on first use and reused while the Lambda is warm. */
export interface AwsClients {
  readonly autoScaling: AutoScalingClient;
  readonly cloudWatch: CloudWatchClient;
  readonly dynamoDb: DynamoDBDocumentClient;
  readonly ec2: EC2Client;
  readonly eventBridge: EventBridgeClient;
  readonly pricing: PricingClient;
  readonly scheduler: SchedulerClient;
  readonly sfn: SFNClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly ssm: SSMClient;
  readonly timestreamQuery: TimestreamQueryClient;
  readonly xray: XRayClient;
}

/**
 * A replacement for the network under every client: the simulation answers each command from its
 * world, and the DynamoDB client can be pointed at a local endpoint. Production never sets one.
 */
export interface AwsTransportOverride {
  /** Called with every command's name, service and input; returns the command's output. */
  readonly answer?: (service: string, commandName: string, input: unknown) => Promise<unknown>;
  /** Endpoint for the DynamoDB client (a local DynamoDB implementation). */
  readonly dynamoDbEndpoint?: string;
}

let transportOverride: AwsTransportOverride | undefined;

/** Routes clients created after this call through `override` (simulation and tests only). */
export function overrideAwsTransport(override: AwsTransportOverride | undefined): void {
  transportOverride = override;
}

// Adaptive retry mode adds client-side rate limiting on throttling errors on top of jittered
// exponential backoff: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
const RETRY = { retryMode: 'adaptive', maxAttempts: 5 } as const;

// biome-ignore lint/suspicious/noExplicitAny: the stack's add() is overloaded per step; one cast here.
type Middlewared = { middlewareStack: { add: (...args: any[]) => void } };

function routed<C>(client: C, service: string): C {
  const answer = transportOverride?.answer;
  if (answer) {
    // Short-circuits in the 'deserialize' step, inside the retry and signing steps: the real retry
    // policy still handles simulated throttling, while the network and the HTTP parser never run;
    // the adapter's request shape and the command's output shape are exactly the SDK's.
    (client as unknown as Middlewared).middlewareStack.add(
      (_next: unknown, context: { commandName?: string }) => async (args: { input: unknown }) => ({
        output: {
          $metadata: { httpStatusCode: 200 },
          ...((await answer(service, context.commandName ?? 'UnknownCommand', args.input)) as object),
        },
      }),
      { step: 'deserialize', name: 'prescaleSimulatedTransport', priority: 'high' },
    );
  }
  return client;
}

/**
 * Creates the clients lazily: a handler pays only for the clients it touches. `pricingRegion`
 * is where the Pricing API is called (it exists only in us-east-1, eu-central-1 and ap-south-1).
 */
export function createAwsClients(options: { region?: string; pricingRegion?: string } = {}): AwsClients {
  const region = options.region ?? process.env.AWS_REGION;
  const base = { ...RETRY, ...(region ? { region } : {}) };
  const cache = new Map<string, unknown>();
  const lazy = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  return {
    get autoScaling() {
      return lazy('autoScaling', () => routed(new AutoScalingClient(base), 'autoscaling'));
    },
    get cloudWatch() {
      return lazy('cloudWatch', () => routed(new CloudWatchClient(base), 'cloudwatch'));
    },
    get dynamoDb() {
      return lazy('dynamoDb', () => {
        const endpoint = transportOverride?.dynamoDbEndpoint;
        const raw = new DynamoDBClient({ ...base, ...(endpoint ? { endpoint } : {}) });
        return DynamoDBDocumentClient.from(endpoint ? raw : routed(raw, 'dynamodb'), {
          marshallOptions: { removeUndefinedValues: true },
        });
      });
    },
    get ec2() {
      return lazy('ec2', () => routed(new EC2Client(base), 'ec2'));
    },
    get eventBridge() {
      return lazy('eventBridge', () => routed(new EventBridgeClient(base), 'eventbridge'));
    },
    get pricing() {
      return lazy('pricing', () =>
        routed(new PricingClient({ ...base, region: options.pricingRegion ?? 'us-east-1' }), 'pricing'),
      );
    },
    get scheduler() {
      return lazy('scheduler', () => routed(new SchedulerClient(base), 'scheduler'));
    },
    get sfn() {
      return lazy('sfn', () => routed(new SFNClient(base), 'sfn'));
    },
    get sns() {
      return lazy('sns', () => routed(new SNSClient(base), 'sns'));
    },
    get sqs() {
      return lazy('sqs', () => routed(new SQSClient(base), 'sqs'));
    },
    get ssm() {
      return lazy('ssm', () => routed(new SSMClient(base), 'ssm'));
    },
    get timestreamQuery() {
      return lazy('timestreamQuery', () => routed(new TimestreamQueryClient(base), 'timestream-query'));
    },
    get xray() {
      return lazy('xray', () => routed(new XRayClient(base), 'xray'));
    },
  };
}
