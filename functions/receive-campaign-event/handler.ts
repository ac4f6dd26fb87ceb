import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import { autoScalingClient, lazyClients, schedulerClient, sqsClient } from '../../shared/aws/aws-clients';
import { DynamoDbCampaignStore } from '../../shared/aws/dynamo-db-campaign-store';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { EventBridgeSchedulerCampaignScheduler } from '../../shared/aws/event-bridge-scheduler-campaign-scheduler';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { SqsCampaignDeadLetters } from '../../shared/aws/sqs-campaign-dead-letters';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { CAMPAIGN_ENV, campaignDeliverySchema } from '../../shared/contracts/campaign-events';
import { ENV } from '../../shared/contracts/env';
import { receiveCampaignEvent } from '../../shared/usecases/receive-campaign-event';

const config = loadRuntimeConfig(process.env, [
  ENV.schedulerGroupName,
  ENV.schedulerRoleArn,
  ENV.prewarmFunctionArn,
  CAMPAIGN_ENV.deadLetterQueueUrl,
  CAMPAIGN_ENV.deadLetterQueueArn,
]);
const observability = createObservability('receive-campaign-event');
const clients = lazyClients(
  {
    autoScaling: autoScalingClient,
    dynamoDb: dynamoDbClient,
    scheduler: schedulerClient,
    sqs: sqsClient,
  },
  observability.tracer,
);
const env = config.env as Record<string, string>;
const deps = {
  store: new DynamoDbCampaignStore(clients.dynamoDb, config.stateTableName),
  scheduler: new EventBridgeSchedulerCampaignScheduler(clients.scheduler, {
    groupName: env[ENV.schedulerGroupName] as string,
    functionArn: env[ENV.prewarmFunctionArn] as string,
    roleArn: env[ENV.schedulerRoleArn] as string,
    deadLetterQueueArn: env[CAMPAIGN_ENV.deadLetterQueueArn] as string,
  }),
  scalingTarget: new AutoScalingScalingTarget(clients.autoScaling),
  stateStore: new DynamoDbStateStore(clients.dynamoDb, config.stateTableName),
  deadLetters: new SqsCampaignDeadLetters(clients.sqs, env[CAMPAIGN_ENV.deadLetterQueueUrl] as string),
  clock: runtimeClock,
};

const METRIC_BY_KIND = {
  rejected: 'CampaignRejected',
  applied: 'CampaignApplied',
  duplicate: 'CampaignDuplicate',
  stale: 'CampaignStale',
} as const;

export const handler = withMiddleware(
  campaignDeliverySchema,
  async (event) => {
    const result = await receiveCampaignEvent(deps, config.user, event);
    observability.metrics.addMetric(METRIC_BY_KIND[result.kind], 'Count', 1);
    if (result.kind === 'rejected') {
      observability.logger.warn('campaign event rejected', { reason: result.reason });
    } else {
      observability.logger.info('campaign event handled', { ...result });
    }
    return result;
  },
  observability,
);
