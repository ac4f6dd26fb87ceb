import { lazyClients } from '../../shared/aws/aws-clients';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbDiscoveredDependencyStore } from '../../shared/aws/dynamo-db-discovered-dependency-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { readPlanDiscoveryEventSchema } from '../../shared/contracts/plan-discovery';
import { readPlanDiscovery } from '../../shared/usecases/read-plan-discovery';

const config = loadRuntimeConfig();
const observability = createObservability('read-plan-discovery');
const clients = lazyClients({ dynamoDb: dynamoDbClient }, observability.tracer);
const deps = {
  discoveredDependencies: new DynamoDbDiscoveredDependencyStore(clients.dynamoDb, config.stateTableName),
};

export const handler = withMiddleware(
  readPlanDiscoveryEventSchema,
  async (event) => {
    const discovery = await readPlanDiscovery(deps, config.user, event);
    observability.logger.info('plan discovery read', {
      ...('discoveredAtMs' in discovery
        ? { discoveredAtMs: discovery.discoveredAtMs, edges: discovery.edges.length }
        : { stored: false }),
    });
    return discovery;
  },
  observability,
);
