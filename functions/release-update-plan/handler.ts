import { lazyClients } from '../../shared/aws/aws-clients';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbUpdatePlanStore } from '../../shared/aws/dynamo-db-update-plan-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { planLockEventSchema } from '../../shared/contracts/update-plan';
import { releaseUpdatePlan } from '../../shared/usecases/release-update-plan';

const config = loadRuntimeConfig();
const observability = createObservability('release-update-plan');
const clients = lazyClients({ dynamoDb: dynamoDbClient }, observability.tracer);
const deps = { planLocks: new DynamoDbUpdatePlanStore(clients.dynamoDb, config.stateTableName) };

export const handler = withMiddleware(
  planLockEventSchema,
  async (event) => {
    const result = await releaseUpdatePlan(deps, event.plan);
    observability.logger.info('update plan released', { planName: event.plan.planName, ...result });
    return result;
  },
  observability,
);
