import { lazyClients, sqsClient } from '../../shared/aws/aws-clients';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbUpdatePlanStore } from '../../shared/aws/dynamo-db-update-plan-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { SqsCampaignDeadLetters } from '../../shared/aws/sqs-campaign-dead-letters';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { ENV } from '../../shared/contracts/env';
import { updatePlanCancelRequestedEventSchema } from '../../shared/contracts/update-plan-events';
import { cancelUpdatePlan } from '../../shared/usecases/cancel-update-plan';

const config = loadRuntimeConfig(process.env, [ENV.updatePlanDeadLetterQueueUrl]);
const observability = createObservability('cancel-update-plan');
const clients = lazyClients({ dynamoDb: dynamoDbClient, sqs: sqsClient }, observability.tracer);
const deps = {
  plans: new DynamoDbUpdatePlanStore(clients.dynamoDb, config.stateTableName),
  clock: runtimeClock,
  deadLetters: new SqsCampaignDeadLetters(
    clients.sqs,
    config.env[ENV.updatePlanDeadLetterQueueUrl] as string,
  ),
};

export const handler = withMiddleware(
  updatePlanCancelRequestedEventSchema,
  async (event) => {
    const cancel = await cancelUpdatePlan(deps, event);
    observability.logger.info('update plan cancel requested', { eventId: event.id, ...cancel });
    return cancel;
  },
  observability,
);
