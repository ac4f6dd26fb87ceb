import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import { AutoScalingScheduledCapacity } from '../../shared/aws/auto-scaling-scheduled-capacity';
import { autoScalingClient, lazyClients } from '../../shared/aws/aws-clients';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { workflowStateSchema } from '../../shared/contracts/rolling-update';
import { planCapacityRestore } from '../../shared/usecases/plan-capacity-restore';

const config = loadRuntimeConfig();
const observability = createObservability('plan-capacity-restore');
const clients = lazyClients(
  { autoScaling: autoScalingClient, dynamoDb: dynamoDbClient },
  observability.tracer,
);
const deps = {
  scalingTarget: new AutoScalingScalingTarget(clients.autoScaling),
  stateStore: new DynamoDbStateStore(clients.dynamoDb, config.stateTableName),
  scheduledCapacity: new AutoScalingScheduledCapacity(clients.autoScaling),
  clock: runtimeClock,
};

export const handler = withMiddleware(
  workflowStateSchema,
  async (state) => {
    const restore = await planCapacityRestore(deps, config.user, state);
    observability.logger.info('capacity restore planned', { groupName: state.plan.groupName, ...restore });
    return restore;
  },
  observability,
);
