import { lazyClients } from '../../shared/aws/aws-clients';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbDiscoveredDependencyStore } from '../../shared/aws/dynamo-db-discovered-dependency-store';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { DynamoDbUpdatePlanStore } from '../../shared/aws/dynamo-db-update-plan-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { planLockEventSchema } from '../../shared/contracts/update-plan';
import { lockUpdatePlan } from '../../shared/usecases/lock-update-plan';

const config = loadRuntimeConfig();
const observability = createObservability('lock-update-plan');
const clients = lazyClients({ dynamoDb: dynamoDbClient }, observability.tracer);
const deps = {
  locks: new DynamoDbStateStore(clients.dynamoDb, config.stateTableName),
  planLocks: new DynamoDbUpdatePlanStore(clients.dynamoDb, config.stateTableName),
  discoveredDependencies: new DynamoDbDiscoveredDependencyStore(clients.dynamoDb, config.stateTableName),
  clock: runtimeClock,
};

export const handler = withMiddleware(
  planLockEventSchema,
  async (event) => {
    const result = await lockUpdatePlan(deps, config.user, event.plan);
    observability.logger.info('update plan locked', { planName: event.plan.planName, ...result });
    return result;
  },
  observability,
);
