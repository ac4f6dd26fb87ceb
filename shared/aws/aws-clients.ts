import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
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
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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
 * world (DynamoDB's from a real implementation, dynalite). Production never sets one.
 */
export interface AwsTransportOverride {
  /**
   * Called with every command's service, name and input (for DynamoDB, the marshalled input of
   * the document client); returns the command's output.
   */
  readonly answer: (service: string, commandName: string, input: unknown) => Promise<unknown>;
}

let transportOverride: AwsTransportOverride | undefined;

/** Routes clients created after this call through `override` (simulation and tests only). */
export function overrideAwsTransport(override: AwsTransportOverride | undefined): void {
  transportOverride = override;
}

/** The override set by `overrideAwsTransport`, if any (for client factories in other modules). */
export function awsTransportOverride(): AwsTransportOverride | undefined {
  return transportOverride;
}

/** Where and how a client is created: the region defaults to `AWS_REGION`. */
export interface AwsClientOptions {
  readonly region?: string;
}

// Adaptive retry mode adds client-side rate limiting on throttling errors on top of jittered
// exponential backoff: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
const RETRY = { retryMode: 'adaptive', maxAttempts: 5 } as const;

/**
 * The configuration every client starts from: region, adaptive retries and a cached middleware
 * chain. `cacheMiddleware` resolves each command class's middleware once per client instead of on
 * every `send` (less CPU per call on a warm Lambda); Prescale adds all its middleware when it
 * creates a client, before the first call, so the cached chain is the complete one. The DynamoDB
 * document client cannot use it (lib-dynamodb rejects it) and turns it off.
 */
export function baseConfig(options: AwsClientOptions): {
  region?: string;
  retryMode: 'adaptive';
  maxAttempts: number;
  cacheMiddleware: boolean;
} {
  const region = options.region ?? process.env.AWS_REGION;
  return { ...RETRY, cacheMiddleware: true, ...(region ? { region } : {}) };
}

/** The part of an SDK client's middleware stack used here (its add() is overloaded per step). */
export type Middlewared = {
  middlewareStack: {
    add: (middleware: unknown, options: object) => void;
    addRelativeTo: (middleware: unknown, options: object) => void;
    remove: (name: string) => boolean;
  };
};

/**
 * The SDK steps that only turn a command into HTTP bytes and back (or log it). With the network
 * replaced by an answer they do no work that reaches the handler, so a routed client drops them
 * (the serializer is replaced by a pass-through: commands add their endpoint step relative to it;
 * the user-agent step too, see `dropUserAgentHeader`: Powertools adds its own relative to it).
 */
const WIRE_ONLY_MIDDLEWARE = [
  'loggerMiddleware',
  'contentLengthMiddleware',
  'hostHeaderMiddleware',
  'recursionDetectionMiddleware',
  'httpSigningMiddleware',
  'deserializerMiddleware',
];

/**
 * Replaces the SDK's user-agent step, which only composes the `User-Agent` header (escaping and
 * joining a dozen fields on every call), by a pass-through under the same name, for clients whose
 * requests never leave the process; steps placed relative to it (Powertools' own user-agent
 * step) keep their place.
 */
export function dropUserAgentHeader(stack: Middlewared['middlewareStack']): void {
  stack.add((next: (args: object) => Promise<unknown>) => (args: object) => next(args), {
    step: 'build',
    priority: 'low',
    name: 'getUserAgentMiddleware',
    override: true,
  });
}

/**
 * Sends `client`'s commands to the transport override's `answer`, when one is set; production
 * clients are returned unchanged.
 */
export function routed<C>(client: C, service: string): C {
  const answer = transportOverride?.answer;
  if (answer) {
    // Answers in place of the deserializer, inside the SDK's retry middleware: the real adaptive
    // retry policy still handles simulated throttling and command-level steps (the document
    // client's marshalling) still run, while serializing, signing, the network and parsing do not;
    // the adapter's command input and the command's output shape are exactly the SDK's.
    const stack = (client as unknown as Middlewared).middlewareStack;
    for (const name of WIRE_ONLY_MIDDLEWARE) stack.remove(name);
    dropUserAgentHeader(stack);
    // An empty request for the steps that decorate one (Powertools' user-agent step writes headers).
    stack.add(
      (next: (args: object) => Promise<unknown>) => (args: object) =>
        next({ ...args, request: { headers: {} } }),
      { step: 'serialize', name: 'serializerMiddleware', override: true },
    );
    stack.add(
      (_next: unknown, context: { commandName?: string }) => async (args: { input: unknown }) => ({
        output: {
          $metadata: { httpStatusCode: 200 },
          ...((await answer(service, context.commandName ?? 'UnknownCommand', args.input)) as object),
        },
      }),
      { step: 'deserialize', name: 'prescaleSimulatedTransport', priority: 'low' },
    );
    // Commands read `client.config` when they resolve, and the SDK's endpoint step copies it on
    // every call. The resolved configuration is a dictionary-mode object that V8 copies about 8×
    // slower than a fresh one with the same properties (getters kept): with the network gone,
    // that copy is a large share of a routed call.
    const routedClient = client as unknown as { config: object };
    routedClient.config = Object.defineProperties({}, Object.getOwnPropertyDescriptors(routedClient.config));
  }
  return client;
}

/** Auto Scaling client (EC2 Auto Scaling API). */
export function autoScalingClient(options: AwsClientOptions = {}): AutoScalingClient {
  return routed(new AutoScalingClient(baseConfig(options)), 'autoscaling');
}

/** CloudWatch client (metrics and alarms). */
export function cloudWatchClient(options: AwsClientOptions = {}): CloudWatchClient {
  return routed(new CloudWatchClient(baseConfig(options)), 'cloudwatch');
}

/** EC2 client (instance types, spot prices, scheduled events, launch templates). */
export function ec2Client(options: AwsClientOptions = {}): EC2Client {
  return routed(new EC2Client(baseConfig(options)), 'ec2');
}

/** EventBridge client. */
export function eventBridgeClient(options: AwsClientOptions = {}): EventBridgeClient {
  return routed(new EventBridgeClient(baseConfig(options)), 'eventbridge');
}

/**
 * Pricing API client. `options.region` is where the Pricing API is called (it exists only in
 * us-east-1, eu-central-1 and ap-south-1); default us-east-1.
 */
export function pricingClient(options: AwsClientOptions = {}): PricingClient {
  return routed(
    new PricingClient({ ...baseConfig(options), region: options.region ?? 'us-east-1' }),
    'pricing',
  );
}

/** EventBridge Scheduler client. */
export function schedulerClient(options: AwsClientOptions = {}): SchedulerClient {
  return routed(new SchedulerClient(baseConfig(options)), 'scheduler');
}

/** Step Functions client. */
export function sfnClient(options: AwsClientOptions = {}): SFNClient {
  return routed(new SFNClient(baseConfig(options)), 'sfn');
}

/** SNS client. */
export function snsClient(options: AwsClientOptions = {}): SNSClient {
  return routed(new SNSClient(baseConfig(options)), 'sns');
}

/** SQS client. */
export function sqsClient(options: AwsClientOptions = {}): SQSClient {
  return routed(new SQSClient(baseConfig(options)), 'sqs');
}

/** SSM client (the kill-switch parameter). */
export function ssmClient(options: AwsClientOptions = {}): SSMClient {
  return routed(new SSMClient(baseConfig(options)), 'ssm');
}

/** Timestream query client (optional load history source). */
export function timestreamQueryClient(options: AwsClientOptions = {}): TimestreamQueryClient {
  return routed(new TimestreamQueryClient(baseConfig(options)), 'timestream-query');
}

/** X-Ray client (service-graph dependency discovery). */
export function xrayClient(options: AwsClientOptions = {}): XRayClient {
  return routed(new XRayClient(baseConfig(options)), 'xray');
}

/**
 * Clients made by the given factories, each created on first use and then reused while the
 * Lambda is warm. A Lambda passes only the factories it calls, so its bundle holds only those SDK
 * clients: `lazyClients({ autoScaling: autoScalingClient, sqs: sqsClient })`.
 */
export function lazyClients<F extends Record<string, () => unknown>>(
  factories: F,
): { readonly [K in keyof F]: ReturnType<F[K]> } {
  const made = new Map<keyof F, unknown>();
  const clients = {} as { [K in keyof F]: ReturnType<F[K]> };
  for (const key of Object.keys(factories) as (keyof F)[]) {
    Object.defineProperty(clients, key, {
      enumerable: true,
      get: () => {
        if (!made.has(key)) made.set(key, (factories[key] as () => unknown)());
        return made.get(key);
      },
    });
  }
  return clients;
}
