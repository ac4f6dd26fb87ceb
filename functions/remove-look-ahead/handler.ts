import { AutoScalingGroupOwnership } from '../../shared/aws/auto-scaling-group-ownership';
import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import { AutoScalingScheduledCapacity } from '../../shared/aws/auto-scaling-scheduled-capacity';
import { autoScalingClient, lazyClients } from '../../shared/aws/aws-clients';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { customResourceEventSchema } from '../../shared/contracts/custom-resource-event';
import { removeLookAhead } from '../../shared/usecases/remove-look-ahead';
import { LookAheadCleanupError } from './look-ahead-cleanup-error';

const config = loadRuntimeConfig(process.env);
const observability = createObservability('remove-look-ahead');
const clients = lazyClients(
  { autoScaling: autoScalingClient, dynamoDb: dynamoDbClient },
  observability.tracer,
);
const deps = {
  scalingTarget: new AutoScalingScalingTarget(clients.autoScaling),
  scheduledCapacity: new AutoScalingScheduledCapacity(clients.autoScaling),
  groupOwnership: new AutoScalingGroupOwnership(clients.autoScaling, config.deployment),
  // What Prescale recorded of each group's own bounds, and the rolling updates' locks.
  stateStore: new DynamoDbStateStore(clients.dynamoDb, config.stateTableName),
};
const PHYSICAL_ID = 'prescale-look-ahead-cleanup';

/**
 * Custom-resource `onEvent` handler (CDK Provider framework): on stack deletion, gives each group
 * this deployment owns back its own bounds and deletes its `prescale-` scheduled actions and its
 * ownership tag, and deletes the `prescale-` actions of the other enrolled groups (a group another
 * deployment manages is left to it); create and update do nothing.
 */
export const handler = withMiddleware(
  customResourceEventSchema,
  async (event) => {
    if (event.RequestType !== 'Delete') return { PhysicalResourceId: PHYSICAL_ID };
    const result = await removeLookAhead(deps, config.user, { nowMs: runtimeClock.nowMs() });
    observability.logger.info('look-ahead removed', { ...result });
    if (Object.keys(result.notRestored).length > 0)
      observability.logger.warn('groups given up without their own bounds', {
        notRestored: result.notRestored,
      });
    if (result.failed.length > 0) throw new LookAheadCleanupError(result.failed);
    return { PhysicalResourceId: event.PhysicalResourceId };
  },
  observability,
);
