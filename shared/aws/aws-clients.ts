import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
import { type AwsClientOptions, baseConfig, routed } from './aws-transport';

/** Every AWS client Prescale uses, created on first use and reused while the Lambda is warm. */
export interface AwsClients {
  readonly autoScaling: AutoScalingClient;
  readonly cloudWatch: CloudWatchClient;
  readonly dynamoDb: DynamoDBClient;
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

export {
  type AwsClientOptions,
  type AwsTransportOverride,
  awsTransportOverride,
  baseConfig,
  dropUserAgentHeader,
  type Middlewared,
  overrideAwsTransport,
  routed,
} from './aws-transport';

/** Auto Scaling client (EC2 Auto Scaling API). */
export function autoScalingClient(options: AwsClientOptions = {}): AutoScalingClient {
  return routed(new AutoScalingClient(baseConfig(options)), 'autoscaling');
}

/** CloudFormation client (the remover reads its own stack). */
export function cloudFormationClient(options: AwsClientOptions = {}): CloudFormationClient {
  return routed(new CloudFormationClient(baseConfig(options)), 'cloudformation');
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

/** What instruments each client once it is made: a function's Powertools tracer. */
export interface ClientInstrumentation {
  captureAWSv3Client<T>(client: T): T;
}

/**
 * Clients made by the given factories, each created on first use and then reused while the
 * Lambda is warm. A Lambda passes only the factories it calls, so its bundle holds only those SDK
 * clients: `lazyClients({ autoScaling: autoScalingClient, sqs: sqsClient }, observability.tracer)`.
 * With the function's tracer each client's calls are X-Ray subsegments of the invocation (service,
 * operation, region, status, retries), which the active tracing the functions deploy with shows
 * beside the handler's own segment; without tracing enabled the tracer leaves a client as it is.
 */
export function lazyClients<F extends Record<string, () => unknown>>(
  factories: F,
  instrumentation?: ClientInstrumentation,
): { readonly [K in keyof F]: ReturnType<F[K]> } {
  const made = new Map<keyof F, unknown>();
  const clients = {} as { [K in keyof F]: ReturnType<F[K]> };
  for (const key of Object.keys(factories) as (keyof F)[]) {
    Object.defineProperty(clients, key, {
      enumerable: true,
      get: () => {
        if (!made.has(key)) {
          const client = (factories[key] as () => unknown)();
          made.set(key, instrumentation ? instrumentation.captureAWSv3Client(client) : client);
        }
        return made.get(key);
      },
    });
  }
  return clients;
}
