import { lazyClients } from '../../shared/aws/aws-clients';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbDiscoveredDependencyStore } from '../../shared/aws/dynamo-db-discovered-dependency-store';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { DynamoDbUpdatePlanStore } from '../../shared/aws/dynamo-db-update-plan-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { workflowStateSchema } from '../../shared/contracts/rolling-update';
import { checkUpdateConflicts } from '../../shared/usecases/check-update-conflicts';

const config = loadRuntimeConfig();
const observability = createObservability('check-update-conflicts');
const clients = lazyClients({ dynamoDb: dynamoDbClient }, observability.tracer);
const deps = {
  locks: new DynamoDbStateStore(clients.dynamoDb, config.stateTableName),
  planLocks: new DynamoDbUpdatePlanStore(clients.dynamoDb, config.stateTableName),
  discoveredDependencies: new DynamoDbDiscoveredDependencyStore(clients.dynamoDb, config.stateTableName),
  clock: runtimeClock,
};

export const handler = withMiddleware(
  workflowStateSchema,
  async (state) => {
    const check = await checkUpdateConflicts(deps, config.user, state);
    observability.logger.info('update conflicts checked', { groupName: state.plan.groupName, ...check });
    return check;
  },
  observability,
);
