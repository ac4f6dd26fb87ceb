import {
  type AwsClients,
  autoScalingClient,
  cloudWatchClient,
  ec2Client,
  eventBridgeClient,
  lazyClients,
  pricingClient,
  schedulerClient,
  sfnClient,
  snsClient,
  sqsClient,
  ssmClient,
  timestreamQueryClient,
  xrayClient,
} from './aws-clients';
import { dynamoDbClient } from './dynamo-db-client';

/**
 * Every client, created lazily: for tests and local composition roots (the simulation, CLIs).
 * Lambdas use `lazyClients` with the factories they call, which keeps every other SDK client out
 * of their bundle. `pricingRegion`: see `pricingClient`.
 */
export function createAwsClients(options: { region?: string; pricingRegion?: string } = {}): AwsClients {
  const region = options.region ? { region: options.region } : {};
  return lazyClients({
    autoScaling: () => autoScalingClient(region),
    cloudWatch: () => cloudWatchClient(region),
    dynamoDb: () => dynamoDbClient(region),
    ec2: () => ec2Client(region),
    eventBridge: () => eventBridgeClient(region),
    pricing: () => pricingClient({ region: options.pricingRegion ?? 'us-east-1' }),
    scheduler: () => schedulerClient(region),
    sfn: () => sfnClient(region),
    sns: () => snsClient(region),
    sqs: () => sqsClient(region),
    ssm: () => ssmClient(region),
    timestreamQuery: () => timestreamQueryClient(region),
    xray: () => xrayClient(region),
  });
}
